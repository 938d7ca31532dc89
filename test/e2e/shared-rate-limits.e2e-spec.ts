import { Logger } from '@nestjs/common';
import { RateLimitStorage } from '../../src/auth/rate-limit-storage';
import { AppConfig } from '../../src/config/app-config';
import { OwnRedis } from '../utils/own-redis';
import { createTestApp, TestApp } from '../utils/test-app';

const CONSENTS = '/customers/v2/consents/consents';
const LIMIT = 6;

async function metric(t: TestApp, name: string): Promise<number> {
  const text = (await t.http.get('/metrics')).text;
  const line = text.split('\n').find((l) => l.startsWith(`${name} `));
  return Number(line?.split(' ')[1] ?? NaN);
}

/**
 * Rate limits with REDIS_URL: one budget per client across instances, and service without Redis.
 * The other instance is a second RateLimitStorage on the same Redis (passport keeps one strategy
 * per process, so two apps in one test process cannot both verify tokens).
 */
describe('rate limits shared through Redis', () => {
  let redis: OwnRedis;
  let t: TestApp;
  let otherInstance: RateLimitStorage;

  beforeAll(async () => {
    redis = await OwnRedis.create();
    t = await createTestApp({ REDIS_URL: redis.url, RATE_LIMIT_PER_MINUTE: String(LIMIT) });
    otherInstance = new RateLimitStorage(t.app.get(AppConfig));
  });
  afterAll(async () => {
    otherInstance?.onApplicationShutdown();
    await t?.close();
    await redis?.stop();
  });

  const spendOnOtherInstance = (client: string) =>
    otherInstance.increment(`default:client:${client}`, 60_000, LIMIT, 60_000, 'default');

  it('should limit a client here once it spent its budget across instances', async () => {
    const client = `shared-${Date.now()}`;
    const token = t.issuer.partner(1, undefined, client);
    for (let i = 0; i < LIMIT / 2; i++) {
      expect((await t.http.get(CONSENTS, { token })).status).toBe(200);
    }
    // The other instance counts on from where this one left off...
    const records = [];
    for (let i = 0; i < LIMIT / 2; i++) {
      records.push(await spendOnOtherInstance(client));
    }
    expect(records.map((r) => r.totalHits)).toEqual([4, 5, 6]);
    // ...and the budget they spent together is gone here.
    const limited = await t.http.get(CONSENTS, { token });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await spendOnOtherInstance(client)).isBlocked).toBe(true);
    expect(await metric(t, 'customers_rate_limit_storage_degraded')).toBe(0);
  });

  it('should keep serving, counting per instance, while Redis is down, and share again after', async () => {
    const warn = jest.spyOn(Logger.prototype, 'warn');
    await redis.stop();
    const client = `outage-${Date.now()}`;
    const token = t.issuer.partner(1, undefined, client);
    const statuses: number[] = [];
    for (let i = 0; i < LIMIT + 1; i++) {
      statuses.push((await t.http.get(CONSENTS, { token })).status);
    }
    // Served, and still limited: by this instance alone.
    expect(statuses).toEqual([...Array(LIMIT).fill(200), 429]);
    expect(await metric(t, 'customers_rate_limit_storage_degraded')).toBe(1);
    expect(await metric(t, 'customers_rate_limit_local_fallbacks_total')).toBeGreaterThanOrEqual(
      LIMIT,
    );
    const warnings = warn.mock.calls.filter((c) =>
      String(c[1]).startsWith('Redis does not answer'),
    );
    expect(warnings).toHaveLength(1);
    warn.mockRestore();

    await redis.start();
    const again = t.issuer.partner(1, undefined, `${client}-after`);
    for (let tries = 0; tries < 50; tries++) {
      expect((await t.http.get(CONSENTS, { token: again })).status).toBe(200);
      if ((await metric(t, 'customers_rate_limit_storage_degraded')) === 0) {
        break;
      }
      await new Promise((done) => setTimeout(done, 200));
    }
    expect(await metric(t, 'customers_rate_limit_storage_degraded')).toBe(0);
  });
});
