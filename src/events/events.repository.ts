import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { affectedCount } from '../database/query-result';
import { ChangeEvent, EventRow, toStoredData } from './change-event';

/** pg advisory lock of the broker publisher: one instance publishes at a time, in outbox order. */
export const PUBLISHER_LOCK_KEY = 0x65767473; // "evts"
/** pg advisory lock key of the event prune: one instance prunes at a time. */
export const EVENT_PRUNE_LOCK_KEY = 0x65766e74; // "evnt"

/**
 * The columns of an EventRow. `position` comes out as text, so an ORDER BY must name the column
 * `events.position`: a bare `position` would sort by the text alias (10 before 9).
 */
const EVENT_COLUMNS = `position::text AS position, id, organisation_id, type, subject,
  sequence::text AS sequence, data, occurred_at`;

/** The event outbox and feed (table `events`), and the per-subject sequences. */
@Injectable()
export class EventsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Appends events in the caller's transaction, numbering each subject's events on from its last.
   * The upsert locks the subject's sequence row until the transaction ends, so a subject's next
   * event is written only after this one committed or rolled back: sequence order is commit order.
   */
  async append(manager: EntityManager, events: ChangeEvent[]): Promise<void> {
    if (!events.length) {
      return;
    }
    await manager.query(
      `WITH input AS (
         SELECT * FROM unnest($1::int[], $2::text[], $3::text[], $4::text[]) WITH ORDINALITY
                AS v(organisation_id, type, subject, data, ord)
       ), counts AS (
         SELECT organisation_id, subject, count(*) AS n FROM input GROUP BY organisation_id, subject
       ), numbered AS (
         INSERT INTO event_sequences AS s (organisation_id, subject, last)
         SELECT organisation_id, subject, n FROM counts
         ON CONFLICT (organisation_id, subject) DO UPDATE SET last = s.last + EXCLUDED.last
         RETURNING s.organisation_id, s.subject, s.last
       )
       INSERT INTO events (organisation_id, type, subject, sequence, data)
       SELECT i.organisation_id, i.type, i.subject,
              numbered.last - counts.n
                + row_number() OVER (PARTITION BY i.organisation_id, i.subject ORDER BY i.ord),
              i.data::jsonb
         FROM input i
         JOIN counts USING (organisation_id, subject)
         JOIN numbered USING (organisation_id, subject)
        ORDER BY i.ord`,
      [
        events.map((e) => e.organisationId),
        events.map((e) => e.type),
        events.map((e) => e.subject),
        events.map((e) => JSON.stringify(toStoredData(e))),
      ],
    );
  }

  /**
   * The organisation's events after `position`, in order. Only events whose transaction ended
   * before every transaction still open are returned: a later position that committed first
   * waits until the earlier ones are decided, so a cursor never skips an event.
   */
  async feedPage(organisationId: number, after: bigint, limit: number): Promise<EventRow[]> {
    return this.dataSource.query(
      `SELECT ${EVENT_COLUMNS} FROM events
        WHERE organisation_id = $1 AND position > $2
          AND tx < pg_snapshot_xmin(pg_current_snapshot())
        ORDER BY events.position
        LIMIT $3`,
      [organisationId, after.toString(), limit],
    );
  }

  /** Every event about one customer of the organisation, in order (the access export). */
  async ofCustomer(
    manager: EntityManager,
    organisationId: number,
    customerNumber: number,
  ): Promise<EventRow[]> {
    return manager.query(
      `SELECT ${EVENT_COLUMNS} FROM events
        WHERE organisation_id = $1 AND subject = $2
        ORDER BY events.position`,
      [organisationId, String(customerNumber)],
    );
  }

  /** Takes the prune's transaction-scoped advisory lock; false while another instance holds it. */
  async tryLockPrune(manager: EntityManager): Promise<boolean> {
    const [{ locked }]: { locked: boolean }[] = await manager.query(
      'SELECT pg_try_advisory_xact_lock($1) AS locked',
      [EVENT_PRUNE_LOCK_KEY],
    );
    return locked;
  }

  /**
   * Deletes up to `limit` events that occurred before `before` (with `keepUnpublished`, only those
   * the broker acknowledged); how many it deleted.
   */
  async pruneBatch(
    before: Date,
    limit: number,
    manager: EntityManager = this.dataSource.manager,
    keepUnpublished = false,
  ): Promise<number> {
    const result: unknown = await manager.query(
      `DELETE FROM events WHERE position IN (
         SELECT position FROM events
          WHERE occurred_at < $1 AND (NOT $3::boolean OR published_at IS NOT NULL)
          ORDER BY occurred_at LIMIT $2)`,
      [before, limit, keepUnpublished],
    );
    return affectedCount(result);
  }

  /**
   * Claims the oldest unpublished events for the broker, in the caller's transaction; null when
   * another instance holds the publisher lock. Rows stay claimed until the transaction ends.
   */
  async claimUnpublished(manager: EntityManager, limit: number): Promise<EventRow[] | null> {
    const [{ locked }]: { locked: boolean }[] = await manager.query(
      `SELECT pg_try_advisory_xact_lock($1) AS locked`,
      [PUBLISHER_LOCK_KEY],
    );
    if (!locked) {
      return null;
    }
    return manager.query(
      `SELECT ${EVENT_COLUMNS} FROM events
        WHERE published_at IS NULL
        ORDER BY events.position
        LIMIT $1
        FOR UPDATE SKIP LOCKED`,
      [limit],
    );
  }

  /** Marks events the broker acknowledged, in the transaction that claimed them. */
  async markPublished(manager: EntityManager, positions: string[]): Promise<void> {
    await manager.query(
      `UPDATE events SET published_at = clock_timestamp() WHERE position = ANY($1::bigint[])`,
      [positions],
    );
  }

  /** How many events await the broker, and the age in seconds of the oldest (0 when none). */
  async unpublishedBacklog(): Promise<{ depth: number; oldestAgeSeconds: number }> {
    const [row]: { depth: number; age: number | null }[] = await this.dataSource.query(
      `SELECT (SELECT count(*) FROM events WHERE published_at IS NULL)::int AS depth,
              extract(epoch FROM clock_timestamp() - (
                SELECT occurred_at FROM events WHERE published_at IS NULL
                 ORDER BY position LIMIT 1))::float8 AS age`,
    );
    return { depth: row.depth, oldestAgeSeconds: Math.max(0, row.age ?? 0) };
  }
}
