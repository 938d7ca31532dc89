import { randomUUID } from 'node:crypto';
import { createServer, IncomingHttpHeaders, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { EVENT_TYPES } from '../../src/events/change-event';
import { newWebhookSecret } from '../../src/webhooks/webhook-secret';
import { MAX_ENDPOINTS_PER_ORGANISATION } from '../../src/webhooks/webhooks.service';
import { createProfile } from '../factories/profile.factory';
import { createTestApp, TestApp } from '../utils/test-app';
import { createTemporaryProfile } from './consents.fixtures';
import { eventually } from '../utils/eventually';

const HOOKS = '/customers/v2/webhooks';

interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  event: { id: string; type: string; subject: string; data: { organisationId: number } };
}

/** A webhook receiver on loopback: records every request; answers per path (default 200). */
class Receiver {
  readonly received: Received[] = [];
  readonly answers = new Map<
    string,
    (hit: Received, nth: number) => [number, Record<string, string>?]
  >();
  private server?: Server;

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString();
        const hit: Received = {
          path: req.url ?? '',
          headers: req.headers,
          body,
          event: JSON.parse(body) as Received['event'],
        };
        this.received.push(hit);
        const nth = this.received.filter(
          (r) => r.path === hit.path && r.headers['webhook-id'] === hit.headers['webhook-id'],
        ).length;
        const [status, headers] = this.answers.get(hit.path)?.(hit, nth) ?? [200];
        res.writeHead(status, headers).end('ok');
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return this;
  }

  url(path: string): string {
    return `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}${path}`;
  }

  at(path: string): Received[] {
    return this.received.filter((r) => r.path === path);
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }
}

function headersOf(hit: Received): Record<string, string> {
  return {
    'webhook-id': String(hit.headers['webhook-id']),
    'webhook-timestamp': String(hit.headers['webhook-timestamp']),
    'webhook-signature': String(hit.headers['webhook-signature']),
  };
}

async function register(t: TestApp, body: Record<string, unknown>, organisationId = 1) {
  const res = await t.http.post(HOOKS, { token: t.issuer.partner(organisationId), body });
  expect(res.status).toBe(201);
  return res.body as { id: string; secret: string; url: string };
}

/** The delivery of the event about `subject` of type `type` to `path`, as the receiver saw it. */
function hitFor(receiver: Receiver, path: string, subject: number, type: string) {
  return () =>
    receiver.at(path).filter((r) => r.event.subject === String(subject) && r.event.type === type);
}

describe('webhooks', () => {
  const receiver = new Receiver();
  beforeAll(() => receiver.start());
  afterAll(() => receiver.stop());

  describe('endpoints and delivery', () => {
    let t: TestApp;
    const created: string[] = [];
    beforeAll(async () => {
      t = await createTestApp({
        WEBHOOK_ALLOW_PRIVATE: 'true',
        WEBHOOK_RETRY_BASE_MS: '50',
        WEBHOOK_RETRY_WINDOW_MS: '600000',
      });
    });
    afterAll(async () => {
      await t.dataSource.query(`DELETE FROM webhook_endpoints WHERE id = ANY($1::uuid[])`, [
        created,
      ]);
      await t.close();
    });
    const org1 = () => t.issuer.partner(1);

    async function registered(body: Record<string, unknown>, organisationId = 1) {
      const endpoint = await register(t, body, organisationId);
      created.push(endpoint.id);
      return endpoint;
    }

    it('should register, list, get, update and delete an endpoint, showing the secret once', async () => {
      const res = await t.http.post(HOOKS, {
        token: org1(),
        body: {
          url: receiver.url('/crud'),
          description: 'CRM',
          eventTypes: [EVENT_TYPES.customer],
        },
      });
      expect(res.status).toBe(201);
      const id = res.body.id as string;
      created.push(id);
      expect(res.headers.get('location')).toBe(`${HOOKS}/${id}`);
      expect(res.body).toMatchObject({
        url: receiver.url('/crud'),
        description: 'CRM',
        eventTypes: [EVENT_TYPES.customer],
        enabled: true,
        createdBy: 'client-1',
      });
      expect(res.body.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);

      const got = await t.http.get(`${HOOKS}/${id}`, { token: org1() });
      expect(got.status).toBe(200);
      expect(got.body.secret).toBeUndefined();
      const list = await t.http.get(HOOKS, { token: org1() });
      expect(list.status).toBe(200);
      const listed = list.body.find((e: { id: string }) => e.id === id);
      expect(listed).toEqual(got.body);
      expect(JSON.stringify(list.body)).not.toContain('whsec_');

      const patched = await t.http.patch(`${HOOKS}/${id}`, {
        token: org1(),
        body: { enabled: false, eventTypes: [], description: null },
      });
      expect(patched.status).toBe(200);
      expect(patched.body).toMatchObject({
        url: receiver.url('/crud'),
        enabled: false,
        eventTypes: [],
        description: null,
      });

      const rotated = await t.http.post(`${HOOKS}/${id}/rotate-secret`, { token: org1() });
      expect(rotated.status).toBe(200);
      expect(rotated.body.secret).toMatch(/^whsec_/);
      expect(rotated.body.secret).not.toBe(res.body.secret);

      expect((await t.http.delete(`${HOOKS}/${id}`, { token: org1() })).status).toBe(204);
      expect((await t.http.get(`${HOOKS}/${id}`, { token: org1() })).status).toBe(404);
      expect((await t.http.delete(`${HOOKS}/${id}`, { token: org1() })).status).toBe(404);
    });

    it.each([
      ['no url', {}],
      ['a URL that is not http(s)', { url: 'ftp://hooks.example.com/x' }],
      ['a relative URL', { url: '/hooks' }],
      ['credentials in the URL', { url: 'https://user:pw@hooks.example.com/x' }],
      ['an unknown event type', { url: 'https://hooks.example.com/x', eventTypes: ['nope'] }],
      [
        'a repeated event type',
        {
          url: 'https://hooks.example.com/x',
          eventTypes: [EVENT_TYPES.customer, EVENT_TYPES.customer],
        },
      ],
      ['an unknown field', { url: 'https://hooks.example.com/x', secret: 'whsec_mine' }],
    ])('should refuse %s with 400 problem+json', async (_, body) => {
      const res = await t.http.post(HOOKS, { token: org1(), body });
      expect(res.status).toBe(400);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
    });

    it('should register a URL once, however many identical registrations arrive at once', async () => {
      const url = receiver.url(`/once-${randomUUID()}`);
      const answers = await Promise.all(
        Array.from({ length: 20 }, () => t.http.post(HOOKS, { token: org1(), body: { url } })),
      );
      const statuses = answers.map((a) => a.status).sort();
      expect(statuses).toEqual([201, ...Array(19).fill(409)]);
      for (const conflict of answers.filter((a) => a.status === 409)) {
        expect(conflict.headers.get('content-type')).toContain('application/problem+json');
        expect(conflict.body.errors).toEqual([expect.objectContaining({ field: 'url' })]);
      }
      const id = answers.find((a) => a.status === 201)!.body.id as string;
      created.push(id);
      const list = await t.http.get(HOOKS, { token: org1() });
      expect(list.body.filter((e: { url: string }) => e.url === url)).toHaveLength(1);
      // Another endpoint cannot take the URL by a change either; another organisation may have it.
      const other = await registered({ url: receiver.url(`/other-${randomUUID()}`) });
      const taken = await t.http.patch(`${HOOKS}/${other.id}`, { token: org1(), body: { url } });
      expect(taken.status).toBe(409);
      const elsewhere = await registered({ url }, 2);
      expect(elsewhere.url).toBe(url);
      // Gone before the next test, so their deliveries add nothing to its receiver.
      for (const [endpoint, organisationId] of [
        [id, 1],
        [other.id, 1],
        [elsewhere.id, 2],
      ] as const) {
        const token = t.issuer.partner(organisationId);
        expect((await t.http.delete(`${HOOKS}/${endpoint}`, { token })).status).toBe(204);
      }
    });

    it('should hold the per-organisation endpoint limit under parallel registrations', async () => {
      const token = t.issuer.partner(3);
      const before = (await t.http.get(HOOKS, { token })).body.length as number;
      const room = MAX_ENDPOINTS_PER_ORGANISATION - before;
      const answers = await Promise.all(
        Array.from({ length: room + 5 }, (_, i) =>
          t.http.post(HOOKS, { token, body: { url: receiver.url(`/limit-${i}-${randomUUID()}`) } }),
        ),
      );
      const accepted = answers.filter((a) => a.status === 201);
      created.push(...accepted.map((a) => a.body.id as string));
      expect(accepted).toHaveLength(room);
      expect(answers.filter((a) => a.status === 409)).toHaveLength(5);
      expect((await t.http.get(HOOKS, { token })).body).toHaveLength(
        MAX_ENDPOINTS_PER_ORGANISATION,
      );
      for (const { body } of accepted) {
        expect((await t.http.delete(`${HOOKS}/${body.id}`, { token })).status).toBe(204);
      }
    });

    it('should name url when it is refused, and refuse bad ids with 400', async () => {
      const res = await t.http.post(HOOKS, { token: org1(), body: { url: 'gopher://x' } });
      expect(res.status).toBe(400);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain('url');
      expect((await t.http.get(`${HOOKS}/not-a-uuid`, { token: org1() })).status).toBe(400);
      const missing = `${HOOKS}/${randomUUID()}`;
      expect((await t.http.get(`${missing}/deliveries/nope`, { token: org1() })).status).toBe(400);
      expect((await t.http.get(`${missing}/deliveries`, { token: org1() })).status).toBe(404);
    });

    it('should refuse tokens without webhooks:manage with 403, and let customers:admin in', async () => {
      const reader = t.issuer.partner(1, ['customers:read', 'customers:write']);
      expect((await t.http.get(HOOKS, { token: reader })).status).toBe(403);
      const post = await t.http.post(HOOKS, {
        token: reader,
        body: { url: receiver.url('/forbidden') },
      });
      expect(post.status).toBe(403);
      expect((await t.http.get(HOOKS, { token: t.issuer.admin() })).status).toBe(200);
      expect((await t.http.get(HOOKS)).status).toBe(401);
    });

    it("should answer 404 for another organisation's endpoint and list none of them", async () => {
      const own = await registered({ url: receiver.url('/own'), enabled: false });
      const foreign = t.issuer.partner(2);
      for (const [method, path] of [
        ['GET', `${HOOKS}/${own.id}`],
        ['PATCH', `${HOOKS}/${own.id}`],
        ['DELETE', `${HOOKS}/${own.id}`],
        ['POST', `${HOOKS}/${own.id}/rotate-secret`],
        ['GET', `${HOOKS}/${own.id}/deliveries`],
        ['GET', `${HOOKS}/${own.id}/deliveries/${randomUUID()}`],
        ['POST', `${HOOKS}/${own.id}/deliveries/${randomUUID()}/replay`],
      ] as const) {
        const res = await t.http.request(method, path, {
          token: foreign,
          ...(method === 'PATCH' ? { body: { enabled: true } } : {}),
        });
        expect(`${method} ${path} ${res.status}`).toBe(`${method} ${path} 404`);
      }
      const list = await t.http.get(HOOKS, { token: foreign });
      expect(list.body.map((e: { id: string }) => e.id)).not.toContain(own.id);
      // Still there, unchanged, for its owner.
      const got = await t.http.get(`${HOOKS}/${own.id}`, { token: org1() });
      expect(got.body.enabled).toBe(false);
    });

    it('should retry a failing receiver with backoff until it answers 2xx, signed per Standard Webhooks', async () => {
      // 500 to the first three attempts of each delivery, then 200.
      receiver.answers.set('/flaky', (_, nth) => [nth <= 3 ? 500 : 200]);
      const endpoint = await registered({ url: receiver.url('/flaky') });
      const profile = await createProfile(t, {}, 1);
      const hits = await eventually(
        hitFor(receiver, '/flaky', profile.customerNumber, EVENT_TYPES.customer),
        (h) => h.length >= 4,
      );
      const deliveryId = String(hits[0].headers['webhook-id']);
      const delivery = await eventually(
        async () =>
          (await t.http.get(`${HOOKS}/${endpoint.id}/deliveries/${deliveryId}`, { token: org1() }))
            .body,
        (d) => d.status === 'SUCCEEDED',
      );
      expect(delivery).toMatchObject({
        endpointId: endpoint.id,
        eventType: EVENT_TYPES.customer,
        attemptCount: 4,
        lastStatusCode: 200,
        nextAttemptAt: null,
      });
      expect(delivery.attempts.map((a: { statusCode: number }) => a.statusCode)).toEqual([
        500, 500, 500, 200,
      ]);
      expect(delivery.attempts.map((a: { attempt: number }) => a.attempt)).toEqual([1, 2, 3, 4]);
      // Delivered once more after the failures, and never again.
      expect(
        hitFor(receiver, '/flaky', profile.customerNumber, EVENT_TYPES.customer)(),
      ).toHaveLength(4);
      // Every attempt carries the same webhook-id (the delivery's) and verifies with the secret.
      const last = hits[3];
      expect(hits.every((h) => h.headers['webhook-id'] === deliveryId)).toBe(true);
      expect(last.headers['content-type']).toBe('application/cloudevents+json; charset=utf-8');
      expect(last.headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
      expect(new Webhook(endpoint.secret).verify(last.body, headersOf(last))).toMatchObject({
        specversion: '1.0',
        id: delivery.eventId,
        type: EVENT_TYPES.customer,
        subject: String(profile.customerNumber),
      });
      expect(() => new Webhook(newWebhookSecret()).verify(last.body, headersOf(last))).toThrow();
      expect(() =>
        new Webhook(endpoint.secret).verify(last.body.replace('CREATE', 'DELETE'), headersOf(last)),
      ).toThrow();

      const list = await t.http.get(`${HOOKS}/${endpoint.id}/deliveries`, {
        token: org1(),
        query: { status: 'SUCCEEDED' },
      });
      expect(list.status).toBe(200);
      expect(list.body.map((d: { id: string }) => d.id)).toContain(deliveryId);
      expect((await t.http.delete(`${HOOKS}/${endpoint.id}`, { token: org1() })).status).toBe(204);
    });

    it('should page the deliveries of an endpoint', async () => {
      const endpoint = await registered({ url: receiver.url('/paged') });
      const numbers: number[] = [];
      for (let i = 0; i < 3; i++) {
        numbers.push((await createProfile(t, {}, 1)).customerNumber);
      }
      await eventually(
        () => receiver.at('/paged').filter((r) => numbers.includes(Number(r.event.subject))),
        (h) => h.length === 3,
      );
      const seen: string[] = [];
      let path = `${HOOKS}/${endpoint.id}/deliveries?maxResultSet=2`;
      for (;;) {
        const res = await t.http.get(path, { token: org1() });
        expect(res.status).toBe(200);
        seen.push(...res.body.map((d: { id: string }) => d.id));
        const link = res.headers.get('link');
        if (!link) {
          break;
        }
        path = /<([^>]+)>/.exec(link)![1];
      }
      expect(new Set(seen).size).toBe(seen.length);
      expect(seen.length).toBeGreaterThanOrEqual(3);
    });

    it('should not follow a redirect: a 302 is a failed attempt', async () => {
      receiver.answers.set('/moved', () => [302, { location: receiver.url('/moved-here') }]);
      const endpoint = await registered({ url: receiver.url('/moved') });
      const profile = await createProfile(t, {}, 1);
      const hits = await eventually(
        hitFor(receiver, '/moved', profile.customerNumber, EVENT_TYPES.customer),
        (h) => h.length >= 2,
      );
      const delivery = (
        await t.http.get(
          `${HOOKS}/${endpoint.id}/deliveries/${String(hits[0].headers['webhook-id'])}`,
          {
            token: org1(),
          },
        )
      ).body;
      expect(delivery.status).toBe('PENDING');
      expect(delivery.attempts[0].statusCode).toBe(302);
      expect(receiver.at('/moved-here')).toEqual([]);
      // Still being tried: nothing to replay yet.
      const replay = await t.http.post(`${HOOKS}/${endpoint.id}/deliveries/${delivery.id}/replay`, {
        token: org1(),
      });
      expect(replay.status).toBe(409);
      expect(replay.headers.get('content-type')).toContain('application/problem+json');
      await t.http.delete(`${HOOKS}/${endpoint.id}`, { token: org1() });
    });

    it("should deliver only the endpoint's event types, and never another organisation's events", async () => {
      const all = await registered({ url: receiver.url('/all') });
      const temporaryOnly = await registered({
        url: receiver.url('/temporary-only'),
        eventTypes: [EVENT_TYPES.temporaryCustomer],
      });
      const org2 = await registered({ url: receiver.url('/org2') }, 2);
      const permanent = (await createProfile(t, {}, 1)).customerNumber;
      const temporary = await createTemporaryProfile(t, 1);
      // Both events reached the endpoint that takes all types: both were dispatched.
      await eventually(
        () => [
          ...hitFor(receiver, '/all', permanent, EVENT_TYPES.customer)(),
          ...hitFor(receiver, '/all', temporary, EVENT_TYPES.temporaryCustomer)(),
        ],
        (h) => h.length === 2,
      );
      const filtered = await t.http.get(`${HOOKS}/${temporaryOnly.id}/deliveries`, {
        token: org1(),
      });
      expect(filtered.body.map((d: { eventType: string }) => d.eventType)).toEqual([
        EVENT_TYPES.temporaryCustomer,
      ]);
      await eventually(
        () => receiver.at('/temporary-only'),
        (h) => h.length === 1,
      );
      expect(receiver.at('/temporary-only')[0].event.subject).toBe(String(temporary));
      // Organisation 2's endpoint: no delivery and no request about organisation 1.
      const foreign = await t.http.get(`${HOOKS}/${org2.id}/deliveries`, {
        token: t.issuer.partner(2),
      });
      expect(foreign.body).toEqual([]);
      expect(receiver.at('/org2').filter((r) => r.event.data.organisationId !== 2)).toEqual([]);
      for (const id of [all.id, temporaryOnly.id]) {
        await t.http.delete(`${HOOKS}/${id}`, { token: org1() });
      }
    });
  });

  describe('dead letters and replay', () => {
    let t: TestApp;
    let endpointId: string | undefined;
    beforeAll(async () => {
      t = await createTestApp({
        WEBHOOK_ALLOW_PRIVATE: 'true',
        WEBHOOK_RETRY_BASE_MS: '50',
        WEBHOOK_RETRY_WINDOW_MS: '1500',
      });
    });
    afterAll(async () => {
      await t.dataSource.query(`DELETE FROM webhook_endpoints WHERE id = $1`, [endpointId]);
      await t.close();
    });

    it('should dead-letter a delivery still failing after the retry window, and replay it', async () => {
      let fixed = false;
      receiver.answers.set('/down', () => [fixed ? 204 : 503]);
      const endpoint = await register(t, { url: receiver.url('/down') });
      endpointId = endpoint.id;
      const token = t.issuer.partner(1);
      const profile = await createProfile(t, {}, 1);
      const [first] = await eventually(
        hitFor(receiver, '/down', profile.customerNumber, EVENT_TYPES.customer),
        (h) => h.length >= 1,
      );
      const path = `${HOOKS}/${endpoint.id}/deliveries/${String(first.headers['webhook-id'])}`;
      const dead = await eventually(
        async () => (await t.http.get(path, { token })).body,
        (d) => d.status === 'DEAD_LETTERED',
      );
      expect(dead.attemptCount).toBeGreaterThanOrEqual(2);
      expect(dead.attempts.every((a: { statusCode: number }) => a.statusCode === 503)).toBe(true);
      expect(dead.finishedAt).not.toBeNull();
      const listed = await t.http.get(`${HOOKS}/${endpoint.id}/deliveries`, {
        token,
        query: { status: 'DEAD_LETTERED' },
      });
      expect(listed.body.map((d: { id: string }) => d.id)).toContain(dead.id);

      fixed = true;
      const replayed = await t.http.post(`${path}/replay`, { token });
      expect(replayed.status).toBe(202);
      expect(replayed.body.status).toBe('PENDING');
      const delivered = await eventually(
        async () => (await t.http.get(path, { token })).body,
        (d) => d.status === 'SUCCEEDED',
      );
      // The attempts went on counting from the dead-lettered run.
      expect(delivered.attemptCount).toBe(dead.attemptCount + 1);
      expect(delivered.attempts.at(-1).statusCode).toBe(204);
      const again = hitFor(receiver, '/down', profile.customerNumber, EVENT_TYPES.customer)();
      expect(again.at(-1)!.headers['webhook-id']).toBe(dead.id);
      expect(
        new Webhook(endpoint.secret).verify(again.at(-1)!.body, headersOf(again.at(-1)!)),
      ).toBeTruthy();
    });
  });

  describe('private addresses', () => {
    let t: TestApp;
    let insertedId: string | undefined;
    beforeAll(async () => {
      t = await createTestApp({ WEBHOOK_RETRY_BASE_MS: '50', WEBHOOK_RETRY_WINDOW_MS: '600000' });
    });
    afterAll(async () => {
      await t.dataSource.query(`DELETE FROM webhook_endpoints WHERE id = $1`, [insertedId]);
      await t.close();
    });

    it.each([
      'http://127.0.0.1:9/hooks',
      'http://localhost:8080/hooks',
      'http://[::1]/hooks',
      'https://10.1.2.3/hooks',
      'https://192.168.0.10/hooks',
      'http://169.254.169.254/latest/meta-data',
      'http://[fd00::1]/hooks',
      'http://100.64.0.1/hooks',
      'http://0.0.0.0/hooks',
      'http://[::ffff:127.0.0.1]/hooks',
    ])('should refuse the endpoint %s (loopback, private, link-local)', async (url) => {
      const res = await t.http.post(HOOKS, {
        token: t.issuer.partner(1),
        body: { url },
      });
      expect(res.status).toBe(400);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual(['url']);
    });

    it('should refuse at connect time a host that now resolves to loopback', async () => {
      // As if the name had resolved to a public address at registration and to loopback now
      // (DNS rebinding): the row goes in directly, past the registration check.
      insertedId = randomUUID();
      const url = receiver.url('/rebound').replace('127.0.0.1', 'localhost');
      await t.dataSource.query(
        `INSERT INTO webhook_endpoints (id, organisation_id, url, secret, created_at, created_by,
                changed_at, changed_by)
         VALUES ($1, 1, $2, $3, now(), 'test', now(), 'test')`,
        [insertedId, url, newWebhookSecret()],
      );
      const token = t.issuer.partner(1);
      const profile = await createProfile(t, {}, 1);
      const delivery = await eventually(
        async () => {
          const list = await t.http.get(`${HOOKS}/${insertedId}/deliveries`, { token });
          const pending = list.body.find((d: { attemptCount: number }) => d.attemptCount > 0);
          return pending
            ? (await t.http.get(`${HOOKS}/${insertedId}/deliveries/${pending.id}`, { token })).body
            : undefined;
        },
        (d) => d !== undefined,
      );
      expect(delivery.attempts[0].statusCode).toBeNull();
      expect(delivery.attempts[0].error).toMatch(
        /^Refused: localhost resolves to (127\.0\.0\.1|::1)/,
      );
      expect(receiver.at('/rebound')).toEqual([]);
      expect(profile.customerNumber).toBeDefined();
    });
  });
});
