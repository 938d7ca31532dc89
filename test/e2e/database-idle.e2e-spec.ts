import { Pool } from 'pg';
import { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import { createProfile } from '../factories/profile.factory';
import { behindTransactionPooler, createTestApp, TestApp } from '../utils/test-app';

const IDLE_TIMEOUT_MS = 300;

/**
 * The pool closes idle connections; the next request opens a new one. On the embedded database
 * every connection shares ONE session, so a new connection used to find the previous one's
 * prepared statement ("already exists") and every lookup failed until restart. Behind a
 * transaction pooler prepared statements are refused at start-up, so only "off" runs there.
 */
describe.each(behindTransactionPooler ? ['off'] : ['on', 'off'])(
  'database connections closed for idleness (prepared statements %s)',
  (prepared) => {
    let t: TestApp;
    let token: string;
    /** Endpoints registered here: every later event of the organisation would fan out to them. */
    const endpoints: string[] = [];

    beforeAll(async () => {
      t = await createTestApp({
        DATABASE_IDLE_TIMEOUT_MS: String(IDLE_TIMEOUT_MS),
        DATABASE_PREPARED_STATEMENTS: prepared,
        // The webhook below points at a closed loopback port: it is registered, never delivered.
        WEBHOOK_ALLOW_PRIVATE: 'true',
      });
      token = t.issuer.partner(1);
    });
    afterAll(async () => {
      try {
        for (const id of endpoints) {
          expect((await t.http.delete(`/customers/v2/webhooks/${id}`, { token })).status).toBe(204);
        }
      } finally {
        await t?.close();
      }
    });

    /** Waits (bounded) until the pool has closed every connection for idleness. */
    async function idlePastTimeout(): Promise<void> {
      const pool = (t.dataSource.driver as PostgresDriver).master as Pool;
      for (let waited = 0; pool.totalCount > 0 && waited < 10_000; waited += 50) {
        await new Promise((done) => setTimeout(done, 50));
      }
      expect(pool.totalCount).toBe(0);
    }

    it('should serve lookups, v1 reads, conversions and readiness after every idle period', async () => {
      for (let round = 0; round < 3; round++) {
        const { customerNumber } = await createProfile(t);
        const temporary = await t.http.post('/customers/v2/profiles/temporary', {
          token,
          body: {
            expirationDate: '2099-01-01',
            createdBy: 'ticket-office',
            createdByChannel: 'web',
          },
        });
        expect(temporary.status).toBe(201);
        // The lookup prepares its statement on this connection...
        expect(
          (await t.http.get(`/customers/v2/profiles/${customerNumber}`, { token })).status,
        ).toBe(200);

        await idlePastTimeout();
        // ...and every route must still work on the next one.
        const v2 = await t.http.get(`/customers/v2/profiles/${customerNumber}`, { token });
        expect(v2.status).toBe(200);

        await idlePastTimeout();
        const v1 = await t.http.get(`/customers/v1/profiles/${customerNumber}`, { token });
        expect(v1.status).toBe(200);

        await idlePastTimeout();
        const converted = await t.http.post(
          `/customers/v2/profiles/temporary/${temporary.body.customerNumber}/convert`,
          {
            token,
            body: {
              firstName: 'Kari',
              surname: 'Hansen',
              email: `idle-${round}-${Date.now()}@example.com`,
              createdBy: 'web',
              createdByChannel: 'web',
            },
          },
        );
        expect(converted.status).toBe(200);

        await idlePastTimeout();
        expect((await t.http.get('/health/ready')).status).toBe(200);
      }
    });

    it('should serve the events feed, webhooks, exports and imports after every idle period', async () => {
      const { customerNumber } = await createProfile(t);
      const steps: [string, () => Promise<{ status: number }>, number][] = [
        ['events feed', () => t.http.get('/customers/v2/events', { token }), 200],
        [
          'webhook registration',
          async () => {
            const res = await t.http.post('/customers/v2/webhooks', {
              token,
              body: { url: `http://127.0.0.1:9/idle-${prepared}-${Date.now()}` },
            });
            if (res.status === 201) {
              endpoints.push(res.body.id);
            }
            return res;
          },
          201,
        ],
        ['webhook list', () => t.http.get('/customers/v2/webhooks', { token }), 200],
        [
          'access export',
          () => t.http.get(`/customers/v2/profiles/${customerNumber}/export`, { token }),
          200,
        ],
        ['bulk export', () => t.http.get('/customers/v2/exports/profiles', { token }), 200],
        [
          'import',
          () =>
            t.http.post('/customers/v2/imports', {
              token,
              headers: { 'content-type': 'application/x-ndjson' },
              rawBody: `${JSON.stringify({ firstName: 'Idle', surname: 'Import' })}\n`,
            }),
          202,
        ],
      ];
      for (const [what, request, expected] of steps) {
        await idlePastTimeout();
        const res = await request();
        expect({ what, status: res.status }).toEqual({ what, status: expected });
      }
    });
  },
);
