import { Client } from 'pg';
import { EventRetention } from '../../src/events/event-retention';
import { EVENT_PRUNE_LOCK_KEY } from '../../src/events/events.repository';
import { createProfile } from '../factories/profile.factory';
import { TEST_NATS_URL } from '../utils/nats';
import { createTestApp, onPostgres, TestApp } from '../utils/test-app';

const DAY_MS = 24 * 60 * 60_000;

describe('change events: retention', () => {
  let t: TestApp;
  let retention: EventRetention;
  beforeAll(async () => {
    t = await createTestApp({ EVENTS_RETENTION_DAYS: '30' });
    retention = t.app.get(EventRetention);
  });
  afterAll(async () => {
    // Rows written here must not outlive the suite: others on the same database read the feed.
    await t.dataSource.query(`DELETE FROM events WHERE subject LIKE 'retention-%'`);
    await t.close();
  });

  /** `count` whole consent events of a fresh subject that occurred `daysAgo` days ago, written by SQL. */
  async function insertEvents(subject: string, count: number, daysAgo: number): Promise<void> {
    const data = {
      operation: 'UPDATE',
      change: 'CONSENT_UPDATED',
      organisationId: 3,
      customerNumber: null,
      changedFields: ['active'],
      version: null,
    };
    await t.dataSource.query(
      `INSERT INTO events (organisation_id, type, subject, sequence, data, occurred_at)
       SELECT 3, 'customers.consent.changed', $1, n, $2::jsonb, $3
         FROM generate_series(1, $4::int) AS n`,
      [subject, JSON.stringify(data), new Date(Date.now() - daysAgo * DAY_MS), count],
    );
  }

  const countOf = async (subject: string): Promise<number> => {
    const [{ n }] = await t.dataSource.query(
      `SELECT count(*)::int AS n FROM events WHERE subject = $1`,
      [subject],
    );
    return n;
  };

  it('should delete the events older than the retention in batches and keep the newer ones', async () => {
    const old = `retention-old-${Date.now()}`;
    const recent = `retention-recent-${Date.now()}`;
    await insertEvents(old, 25, 31);
    await insertEvents(recent, 5, 29);
    const { customerNumber } = await createProfile(t);

    const result = await retention.prune(10);

    expect(result.ran).toBe(true);
    // Three batches at least (10 + 10 + 5); more when other suites left old events too.
    expect(result.deleted).toBeGreaterThanOrEqual(25);
    expect(result.batches).toBeGreaterThanOrEqual(3);
    expect(await countOf(old)).toBe(0);
    expect(await countOf(recent)).toBe(5);
    expect(await countOf(String(customerNumber))).toBe(1);
    // Nothing older is left: a second run deletes nothing, in one batch.
    expect(await retention.prune(10)).toMatchObject({ ran: true, batches: 1 });
    expect(await countOf(recent)).toBe(5);
  });

  it('should keep numbering a customer on from its last event after older ones were pruned', async () => {
    const { customerNumber } = await createProfile(t);
    const subject = String(customerNumber);
    await t.dataSource.query(
      `UPDATE events SET occurred_at = occurred_at - interval '40 days' WHERE subject = $1`,
      [subject],
    );
    await retention.prune();
    expect(await countOf(subject)).toBe(0);
    const patched = await t.http.patch(`/customers/v2/profiles/${customerNumber}`, {
      token: t.issuer.partner(1),
      body: { surname: 'Etterpå', changedBy: 'agent', changedByChannel: 'test' },
    });
    expect(patched.status).toBe(200);
    const [event] = await t.dataSource.query(
      `SELECT sequence::int AS sequence FROM events WHERE subject = $1`,
      [subject],
    );
    expect(event.sequence).toBe(2);
  });

  if (onPostgres) {
    it('should prune nothing while another instance holds the prune lock', async () => {
      const subject = `retention-locked-${Date.now()}`;
      await insertEvents(subject, 3, 31);
      const other = new Client({ connectionString: process.env.TEST_DATABASE_URL });
      await other.connect();
      try {
        await other.query('BEGIN');
        await other.query('SELECT pg_advisory_xact_lock($1)', [EVENT_PRUNE_LOCK_KEY]);
        expect(await retention.prune(10)).toEqual({ ran: false, deleted: 0, batches: 0 });
        expect(await countOf(subject)).toBe(3);
        await other.query('COMMIT');
      } finally {
        await other.end();
      }
      expect((await retention.prune(10)).ran).toBe(true);
      expect(await countOf(subject)).toBe(0);
    });
  }
});

describe('change events: retention with a broker', () => {
  it('should keep an old event the broker has not acknowledged, and prune it once it has', async () => {
    // This instance knows the broker but does not publish: the outbox keeps what is unsent.
    const t = await createTestApp({
      EVENTS_RETENTION_DAYS: '30',
      EVENTS_NATS_URL: TEST_NATS_URL,
      EVENTS_PUBLISHER_ENABLED: 'false',
    });
    try {
      const { customerNumber } = await createProfile(t);
      const subject = String(customerNumber);
      await t.dataSource.query(
        `UPDATE events SET occurred_at = occurred_at - interval '40 days' WHERE subject = $1`,
        [subject],
      );
      const count = async () =>
        (
          await t.dataSource.query(`SELECT count(*)::int AS n FROM events WHERE subject = $1`, [
            subject,
          ])
        )[0].n as number;
      await t.app.get(EventRetention).prune();
      expect(await count()).toBe(1);
      await t.dataSource.query(`UPDATE events SET published_at = now() WHERE subject = $1`, [
        subject,
      ]);
      await t.app.get(EventRetention).prune();
      expect(await count()).toBe(0);
    } finally {
      await t.close();
    }
  });
});
