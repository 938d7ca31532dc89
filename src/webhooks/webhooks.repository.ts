import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { EventRow } from '../events/change-event';
import { Page } from '../common/http/page-query.dto';

export type DeliveryStatus = 'PENDING' | 'SUCCEEDED' | 'DEAD_LETTERED';

export interface EndpointRow {
  id: string;
  organisation_id: number;
  url: string;
  event_types: string[];
  secret: string;
  description: string | null;
  enabled: boolean;
  created_at: Date;
  created_by: string;
  changed_at: Date;
  changed_by: string;
}

export interface DeliveryRow {
  id: string;
  endpoint_id: string;
  event_position: string;
  event_id: string;
  event_type: string;
  status: DeliveryStatus;
  attempts: number;
  next_attempt_at: Date | null;
  last_status_code: number | null;
  last_error: string | null;
  created_at: Date;
  finished_at: Date | null;
}

export interface AttemptRow {
  attempt: number;
  at: Date;
  status_code: number | null;
  error: string | null;
  duration_ms: number;
}

/** pg advisory lock class of webhook registrations; the second key is the organisation. */
const REGISTRATION_LOCK_CLASS = 0x77686b73; // "whks"
/** A delivery claimed for one attempt, with what the attempt needs. */
export interface ClaimedDelivery {
  id: string;
  attempts: number;
  run_attempts: number;
  run_started_at: Date | null;
  url: string;
  secret: string;
  event: EventRow;
}

export interface EndpointChanges {
  url?: string;
  eventTypes?: string[];
  description?: string | null;
  enabled?: boolean;
}

const ENDPOINT_COLUMNS = `id, organisation_id, url, event_types, secret, description, enabled,
  created_at, created_by, changed_at, changed_by`;

const DELIVERY_COLUMNS = `d.id, d.endpoint_id, d.event_position::text AS event_position, d.event_id,
  ev.type AS event_type, d.status, d.attempts, d.next_attempt_at, d.last_status_code, d.last_error,
  d.created_at, d.finished_at`;

/** Webhook endpoints, deliveries and attempts; every read of the API takes the organisation. */
@Injectable()
export class WebhooksRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Registers an endpoint unless the organisation already has `limit` of them (then undefined).
   * Registrations of one organisation queue on a transaction-scoped lock, so parallel ones cannot
   * all pass the count; a URL registered twice fails on uq_webhook_endpoints_url.
   */
  insertEndpointWithinLimit(
    row: Omit<EndpointRow, 'changed_at' | 'changed_by'>,
    limit: number,
  ): Promise<EndpointRow | undefined> {
    return this.dataSource.transaction(async (manager) => {
      await manager.query(`SELECT pg_advisory_xact_lock($1, $2)`, [
        REGISTRATION_LOCK_CLASS,
        row.organisation_id,
      ]);
      const [{ n }]: { n: number }[] = await manager.query(
        `SELECT count(*)::int AS n FROM webhook_endpoints WHERE organisation_id = $1`,
        [row.organisation_id],
      );
      if (n >= limit) {
        return undefined;
      }
      const [created]: EndpointRow[] = await manager.query(
        `INSERT INTO webhook_endpoints (id, organisation_id, url, event_types, secret, description,
                enabled, created_at, created_by, changed_at, changed_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $8, $9)
         RETURNING ${ENDPOINT_COLUMNS}`,
        [
          row.id,
          row.organisation_id,
          row.url,
          row.event_types,
          row.secret,
          row.description,
          row.enabled,
          row.created_at,
          row.created_by,
        ],
      );
      return created;
    });
  }

  listEndpoints(organisationId: number): Promise<EndpointRow[]> {
    return this.dataSource.query(
      `SELECT ${ENDPOINT_COLUMNS} FROM webhook_endpoints WHERE organisation_id = $1
        ORDER BY created_at, id`,
      [organisationId],
    );
  }

  async findEndpoint(organisationId: number, id: string): Promise<EndpointRow | undefined> {
    const rows: EndpointRow[] = await this.dataSource.query(
      `SELECT ${ENDPOINT_COLUMNS} FROM webhook_endpoints WHERE organisation_id = $1 AND id = $2`,
      [organisationId, id],
    );
    return rows[0];
  }

  async updateEndpoint(
    organisationId: number,
    id: string,
    changes: EndpointChanges,
    by: { at: Date; clientId: string },
  ): Promise<EndpointRow | undefined> {
    const [rows]: [EndpointRow[], number] = await this.dataSource.query(
      `UPDATE webhook_endpoints
          SET url = COALESCE($3, url),
              event_types = COALESCE($4, event_types),
              description = CASE WHEN $5 THEN $6 ELSE description END,
              enabled = COALESCE($7, enabled),
              changed_at = $8, changed_by = $9
        WHERE organisation_id = $1 AND id = $2
        RETURNING ${ENDPOINT_COLUMNS}`,
      [
        organisationId,
        id,
        changes.url ?? null,
        changes.eventTypes ?? null,
        changes.description !== undefined,
        changes.description ?? null,
        changes.enabled ?? null,
        by.at,
        by.clientId,
      ],
    );
    return rows[0];
  }

  async replaceSecret(
    organisationId: number,
    id: string,
    secret: string,
    by: { at: Date; clientId: string },
  ): Promise<EndpointRow | undefined> {
    const [rows]: [EndpointRow[], number] = await this.dataSource.query(
      `UPDATE webhook_endpoints SET secret = $3, changed_at = $4, changed_by = $5
        WHERE organisation_id = $1 AND id = $2
        RETURNING ${ENDPOINT_COLUMNS}`,
      [organisationId, id, secret, by.at, by.clientId],
    );
    return rows[0];
  }

  async deleteEndpoint(organisationId: number, id: string): Promise<boolean> {
    const [, deleted]: [unknown, number] = await this.dataSource.query(
      `DELETE FROM webhook_endpoints WHERE organisation_id = $1 AND id = $2`,
      [organisationId, id],
    );
    return deleted > 0;
  }

  /** An endpoint's deliveries in event order, after the page's cursor (an event position). */
  listDeliveries(
    organisationId: number,
    endpointId: string,
    page: Page,
    status?: DeliveryStatus,
  ): Promise<DeliveryRow[]> {
    return this.dataSource.query(
      `SELECT ${DELIVERY_COLUMNS}
         FROM webhook_deliveries d JOIN events ev ON ev.position = d.event_position
        WHERE d.organisation_id = $1 AND d.endpoint_id = $2 AND d.event_position > $3
          AND ($5::text IS NULL OR d.status = $5)
        ORDER BY d.event_position
        LIMIT $4`,
      [organisationId, endpointId, page.after.toString(), page.limit, status ?? null],
    );
  }

  async findDelivery(
    organisationId: number,
    endpointId: string,
    id: string,
  ): Promise<DeliveryRow | undefined> {
    const rows: DeliveryRow[] = await this.dataSource.query(
      `SELECT ${DELIVERY_COLUMNS}
         FROM webhook_deliveries d JOIN events ev ON ev.position = d.event_position
        WHERE d.organisation_id = $1 AND d.endpoint_id = $2 AND d.id = $3`,
      [organisationId, endpointId, id],
    );
    return rows[0];
  }

  attemptsOf(deliveryId: string): Promise<AttemptRow[]> {
    return this.dataSource.query(
      `SELECT attempt, at, status_code, error, duration_ms FROM webhook_attempts
        WHERE delivery_id = $1 ORDER BY attempt`,
      [deliveryId],
    );
  }

  /** A finished delivery back to PENDING, due now, in a new run of retries; false if not finished. */
  async replay(organisationId: number, endpointId: string, id: string): Promise<boolean> {
    const [, updated]: [unknown, number] = await this.dataSource.query(
      `UPDATE webhook_deliveries
          SET status = 'PENDING', next_attempt_at = now(), run_attempts = 0,
              run_started_at = NULL, finished_at = NULL
        WHERE organisation_id = $1 AND endpoint_id = $2 AND id = $3 AND status <> 'PENDING'`,
      [organisationId, endpointId, id],
    );
    return updated > 0;
  }

  /**
   * Turns up to `limit` undispatched events into deliveries, one per enabled endpoint of the
   * event's organisation whose types match, and marks them dispatched, in one statement (one
   * transaction). SKIP LOCKED lets other instances take the next events meanwhile.
   */
  async dispatchEvents(limit: number): Promise<number> {
    const [, dispatched]: [unknown, number] = await this.dataSource.query(
      `WITH batch AS (
         SELECT position, id, organisation_id, type FROM events
          WHERE dispatched_at IS NULL
          ORDER BY position
          LIMIT $1
          FOR UPDATE SKIP LOCKED
       ), deliveries AS (
         INSERT INTO webhook_deliveries
                (endpoint_id, organisation_id, event_position, event_id, next_attempt_at)
         SELECT e.id, b.organisation_id, b.position, b.id, now()
           FROM batch b
           JOIN webhook_endpoints e
             ON e.organisation_id = b.organisation_id AND e.enabled
            AND (cardinality(e.event_types) = 0 OR b.type = ANY (e.event_types))
         ON CONFLICT (endpoint_id, event_position) DO NOTHING
       )
       UPDATE events SET dispatched_at = now()
        WHERE position IN (SELECT position FROM batch)`,
      [limit],
    );
    return dispatched;
  }

  /**
   * Claims up to `limit` due deliveries of enabled endpoints for one attempt each: their next
   * attempt moves `leaseMs` ahead, so no other instance takes them while this one posts (and one
   * does if this instance dies meanwhile). The claim commits before any request is made.
   */
  async claimDue(limit: number, leaseMs: number): Promise<ClaimedDelivery[]> {
    const [rows]: [
      (Omit<ClaimedDelivery, 'event'> & EventRow & { delivery_id: string })[],
      number,
    ] = await this.dataSource.query(
      `UPDATE webhook_deliveries d
            SET next_attempt_at = now() + make_interval(secs => $2::double precision / 1000)
           FROM (
             SELECT d.id AS delivery_id, e.url, e.secret, ev.position::text AS position, ev.id,
                    ev.organisation_id, ev.type, ev.subject, ev.sequence::text AS sequence, ev.data,
                    ev.occurred_at
               FROM webhook_deliveries d
               JOIN webhook_endpoints e ON e.id = d.endpoint_id AND e.enabled
               JOIN events ev ON ev.position = d.event_position
              WHERE d.status = 'PENDING' AND d.next_attempt_at <= now()
              ORDER BY d.next_attempt_at
              LIMIT $1
              FOR UPDATE OF d SKIP LOCKED
           ) c
          WHERE d.id = c.delivery_id
          RETURNING c.*, d.attempts, d.run_attempts, d.run_started_at`,
      [limit, leaseMs],
    );
    return rows.map((r) => ({
      id: r.delivery_id,
      attempts: r.attempts,
      run_attempts: r.run_attempts,
      run_started_at: r.run_started_at,
      url: r.url,
      secret: r.secret,
      event: {
        position: r.position,
        id: r.id,
        organisation_id: r.organisation_id,
        type: r.type,
        subject: r.subject,
        sequence: r.sequence,
        data: r.data,
        occurred_at: r.occurred_at,
      },
    }));
  }

  /**
   * Records an attempt and the delivery's new state, unless the delivery changed since it was
   * claimed (its attempt count moved on): then another instance recorded this attempt already.
   */
  async recordAttempt(
    claimed: ClaimedDelivery,
    at: Date,
    outcome: { statusCode: number | null; error: string | null; durationMs: number },
    next: { status: DeliveryStatus; nextAttemptAt: Date | null; runStartedAt: Date },
  ): Promise<boolean> {
    return this.dataSource.transaction(async (m) => {
      const [, updated]: [unknown, number] = await m.query(
        `UPDATE webhook_deliveries
            SET attempts = attempts + 1, run_attempts = run_attempts + 1,
                run_started_at = $3, status = $4::varchar, next_attempt_at = $5,
                last_status_code = $6, last_error = $7,
                finished_at = CASE WHEN $4::varchar = 'PENDING' THEN NULL ELSE $8::timestamptz END
          WHERE id = $1 AND attempts = $2 AND status = 'PENDING'`,
        [
          claimed.id,
          claimed.attempts,
          next.runStartedAt,
          next.status,
          next.nextAttemptAt,
          outcome.statusCode,
          outcome.error,
          at,
        ],
      );
      if (!updated) {
        return false;
      }
      await m.query(
        `INSERT INTO webhook_attempts (delivery_id, attempt, at, status_code, error, duration_ms)
         VALUES ($1, $2, $3, $4, $5, $6)`,
        [
          claimed.id,
          claimed.attempts + 1,
          at,
          outcome.statusCode,
          outcome.error,
          outcome.durationMs,
        ],
      );
      return true;
    });
  }
}
