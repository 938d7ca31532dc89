import { connect } from '@nats-io/transport-node';
import { ChildProcess, spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { EventPublisher } from '../../src/events/publisher/event-publisher';
import { createProfile } from '../factories/profile.factory';
import { createTestApp, onPostgres, TestApp, testDatabaseEnv } from '../utils/test-app';
import { eventually } from '../utils/eventually';
import { TEST_AUDIENCE } from '../utils/test-issuer';
import {
  deleteStream,
  freePort,
  OwnNatsServer,
  readStream,
  StreamMessage,
  TEST_NATS_URL,
  uniqueStreamName,
} from '../utils/nats';

const PROFILES = '/customers/v2/profiles';

interface OutboxEvent {
  id: string;
  organisation_id: number;
  subject: string;
  sequence: string;
  published: boolean;
}

/** The outbox rows of the given customers of one organisation, in order. */
function outboxOf(t: TestApp, organisationId: number, customers: number[]): Promise<OutboxEvent[]> {
  return t.dataSource.query(
    `SELECT id, organisation_id, subject, sequence::text AS sequence,
            published_at IS NOT NULL AS published
       FROM events WHERE organisation_id = $1 AND subject = ANY($2::text[]) ORDER BY position`,
    [organisationId, customers.map(String)],
  );
}

/** Creates `count` profiles of the organisation, eight at a time. */
async function createProfiles(t: TestApp, count: number, organisationId = 1): Promise<number[]> {
  const numbers: number[] = [];
  const statuses: number[] = [];
  let next = 0;
  const worker = async () => {
    while (next < count) {
      next += 1;
      const profile = await createProfile(t, {}, organisationId).catch(() => undefined);
      statuses.push(profile ? 201 : 0);
      if (profile) {
        numbers.push(profile.customerNumber);
      }
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  expect(statuses.filter((s) => s !== 201)).toEqual([]);
  return numbers;
}

async function patchTwice(t: TestApp, customerNumber: number): Promise<void> {
  for (const surname of ['Endret', 'Igjen']) {
    const res = await t.http.patch(`${PROFILES}/${customerNumber}`, {
      token: t.issuer.partner(1),
      body: { surname, changedBy: 'test', changedByChannel: 'test' },
    });
    expect(res.status).toBe(200);
  }
}

/** Each outbox event is in the stream exactly once, and each customer's in sequence order. */
function expectPublishedOnceInOrder(outbox: OutboxEvent[], stream: StreamMessage[]): void {
  const wanted = new Set(outbox.map((e) => e.id));
  const mine = stream.filter((m) => wanted.has(m.event.id));
  expect(mine.map((m) => m.event.id).sort()).toEqual([...wanted].sort());
  for (const m of mine) {
    expect(m.msgId).toBe(m.event.id);
  }
  const lastSequence = new Map<string, number>();
  for (const m of mine) {
    const sequence = m.event.data.sequence as number;
    expect(sequence).toBeGreaterThan(lastSequence.get(m.event.subject) ?? 0);
    lastSequence.set(m.event.subject, sequence);
  }
}

async function metricValue(t: TestApp, name: string): Promise<number> {
  const res = await t.http.get('/metrics');
  const line = res.text.split('\n').find((l) => l.startsWith(`${name} `));
  return line === undefined ? NaN : Number(line.split(' ')[1]);
}

describe('change events: the NATS JetStream publisher', () => {
  jest.setTimeout(300_000);

  it('should keep accepting changes while the broker is down and publish every event once, in order, after it returns', async () => {
    const nats = await OwnNatsServer.create();
    const stream = uniqueStreamName();
    let t: TestApp | undefined;
    try {
      await nats.start();
      t = await createTestApp({ EVENTS_NATS_URL: nats.url, EVENTS_NATS_STREAM: stream });
      const app = t;
      const [first] = await createProfiles(app, 1);
      await eventually(
        () => readStream(nats.url, stream),
        (messages) => messages.length > 0,
      );
      await nats.stop();

      const numbers = [first, ...(await createProfiles(app, 500))];
      for (const n of numbers.slice(1, 21)) {
        await patchTwice(app, n);
      }
      expect(await metricValue(app, 'customers_events_outbox_depth')).toBeGreaterThan(0);
      expect(await metricValue(app, 'customers_events_oldest_unsent_age_seconds')).toBeGreaterThan(
        0,
      );
      expect((await app.http.get('/health/ready')).status).toBe(200);

      await nats.start();
      const outbox = await eventually(
        () => outboxOf(app, 1, numbers),
        (rows) => rows.every((r) => r.published),
        120_000,
      );
      expect(outbox).toHaveLength(501 + 40);
      expect(outbox.every((r) => r.published)).toBe(true);
      expectPublishedOnceInOrder(outbox, await readStream(nats.url, stream));
      expect(
        await eventually(
          () => metricValue(app, 'customers_events_outbox_depth'),
          (depth) => depth === 0,
        ),
      ).toBe(0);
      expect(await metricValue(app, 'customers_events_publish_failures_total')).toBeGreaterThan(0);
      expect(await metricValue(app, 'customers_events_published_total')).toBeGreaterThanOrEqual(
        541,
      );
    } finally {
      await t?.close();
      await nats.dispose();
    }
  });

  describe('on the shared broker', () => {
    let t: TestApp;
    const stream = uniqueStreamName();
    beforeAll(async () => {
      t = await createTestApp({ EVENTS_NATS_URL: TEST_NATS_URL, EVENTS_NATS_STREAM: stream });
    });
    afterAll(async () => {
      await t.close();
      await deleteStream(TEST_NATS_URL, stream);
    });

    it('should publish a batch again when the service fails between publish and mark-sent, and the stream should hold each event once', async () => {
      const publisher = t.app.get(EventPublisher);
      let failed = 0;
      publisher.afterPublish = () => {
        if (failed === 0) {
          failed += 1;
          throw new Error('the service stops before it marks the batch sent');
        }
      };
      try {
        const numbers = await createProfiles(t, 30);
        const outbox = await eventually(
          () => outboxOf(t, 1, numbers),
          (rows) => rows.length === 30 && rows.every((r) => r.published),
        );
        expect(failed).toBe(1);
        expect(outbox.every((r) => r.published)).toBe(true);
        expectPublishedOnceInOrder(outbox, await readStream(TEST_NATS_URL, stream));
      } finally {
        publisher.afterPublish = undefined;
      }
    });

    it("should put an organisation's events on its own subjects only", async () => {
      const own = await createProfiles(t, 5, 1);
      const other = await createProfiles(t, 5, 2);
      const ownOutbox = await eventually(
        () => outboxOf(t, 1, own),
        (rows) => rows.length === 5 && rows.every((r) => r.published),
      );
      const otherOutbox = await eventually(
        () => outboxOf(t, 2, other),
        (rows) => rows.length === 5 && rows.every((r) => r.published),
      );
      const ownIds = new Set(ownOutbox.map((e) => e.id));

      const ofOrg2 = await readStream(TEST_NATS_URL, stream, 'customers.2.>');
      expect(ofOrg2.filter((m) => ownIds.has(m.event.id))).toEqual([]);
      expect(ofOrg2.every((m) => m.event.data.organisationId === 2)).toBe(true);
      expectPublishedOnceInOrder(otherOutbox, ofOrg2);

      const all = await readStream(TEST_NATS_URL, stream);
      const ownMessages = all.filter((m) => ownIds.has(m.event.id));
      expect(ownMessages).toHaveLength(5);
      expect(ownMessages.map((m) => m.subject)).toEqual(
        Array(5).fill('customers.1.customers.customer.changed'),
      );
    });
  });

  // Two applications cannot share an embedded database.
  if (onPostgres) {
    it('should publish every event once, none skipped, with two instances on one outbox', async () => {
      const stream = uniqueStreamName();
      const env = { EVENTS_NATS_URL: TEST_NATS_URL, EVENTS_NATS_STREAM: stream };
      const first = await createTestApp(env);
      const second = await createTestApp(env).catch(async (error) => {
        await first.close();
        throw error;
      });
      try {
        // Both publish. Passport keeps one strategy per process, the last app's: it takes the writes.
        const numbers = await createProfiles(second, 300);
        const outbox = await eventually(
          () => outboxOf(first, 1, numbers),
          (rows) => rows.length === 300 && rows.every((r) => r.published),
        );
        expect(outbox.every((r) => r.published)).toBe(true);
        expectPublishedOnceInOrder(outbox, await readStream(TEST_NATS_URL, stream));
        const published =
          (await metricValue(first, 'customers_events_published_total')) +
          (await metricValue(second, 'customers_events_published_total'));
        expect(published).toBeGreaterThanOrEqual(300);
      } finally {
        await first.close();
        await second.close();
        await deleteStream(TEST_NATS_URL, stream);
      }
    });
  }
});

// The killed service and the test share one database, which PGlite cannot.
if (onPostgres) {
  describe('change events: a publisher killed between publish and mark-sent', () => {
    jest.setTimeout(300_000);
    const MAIN = resolve(__dirname, '../../dist/src/main.js');

    /** The built service as its own process, publishing the outbox to `stream`, nothing else. */
    async function startService(t: TestApp, stream: string): Promise<ChildProcess> {
      const port = await freePort();
      return spawn(process.execPath, [MAIN], {
        env: {
          PATH: process.env.PATH,
          PORT: String(port),
          ...testDatabaseEnv(),
          AUTH_ISSUER: t.issuer.issuer,
          AUTH_AUDIENCE: TEST_AUDIENCE,
          ORGANISATIONS: '1:Org One,2:Org Two,3:Org Three',
          EXPIRY_ENABLED: 'false',
          IMPORT_WORKER_ENABLED: 'false',
          WEBHOOKS_ENABLED: 'false',
          EVENTS_NATS_URL: TEST_NATS_URL,
          EVENTS_NATS_STREAM: stream,
          LOG_LEVEL: 'warn',
        },
        stdio: 'ignore',
      });
    }

    const exited = (child: ChildProcess) =>
      new Promise((done) =>
        child.exitCode !== null || child.signalCode !== null
          ? done(undefined)
          : child.once('exit', done),
      );

    it('should hold each event once in the stream after a SIGKILL between publish and mark-sent, and a restart', async () => {
      const stream = uniqueStreamName();
      // Without a broker here, the outbox fills; the child service publishes it.
      const t = await createTestApp();
      const nc = await connect({ servers: TEST_NATS_URL });
      let child: ChildProcess | undefined;
      try {
        const numbers = await createProfiles(t, 600);
        const firstPublished = new Promise<void>((done) =>
          nc.subscribe('customers.>', { max: 1, callback: () => done() }),
        );
        child = await startService(t, stream);
        // Kill it the moment its first batch reaches the broker: before it can mark the batch sent.
        await firstPublished;
        child.kill('SIGKILL');
        await exited(child);

        const inStream = (await readStream(TEST_NATS_URL, stream)).map((m) => m.event.id);
        expect(inStream.length).toBeGreaterThan(0);
        const [{ n: publishedButUnmarked }]: { n: number }[] = await t.dataSource.query(
          `SELECT count(*)::int AS n FROM events WHERE published_at IS NULL AND id = ANY($1::uuid[])`,
          [inStream],
        );
        // The kill fell in the window the test is about.
        expect(publishedButUnmarked).toBeGreaterThan(0);

        child = await startService(t, stream);
        const outbox = await eventually(
          () => outboxOf(t, 1, numbers),
          (rows) => rows.length === 600 && rows.every((r) => r.published),
        );
        const messages = await readStream(TEST_NATS_URL, stream);
        expectPublishedOnceInOrder(outbox, messages);
        expect(new Set(messages.map((m) => m.event.id)).size).toBe(messages.length);
      } finally {
        child?.kill('SIGKILL');
        if (child) {
          await exited(child);
        }
        await nc.close();
        await t.close();
        await deleteStream(TEST_NATS_URL, stream);
      }
    });
  });
}
