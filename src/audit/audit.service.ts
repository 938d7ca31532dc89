import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Page } from '../common/http/page-query.dto';
import { ChangeEvent, eventKindOfAudit } from '../events/change-event';
import { EventsRepository } from '../events/events.repository';

/** What one change did; field names only, never their values (GDPR: audit rows outlive purges). */
export interface AuditEntry {
  organisationId: number;
  customerNumber: number | null;
  /** e.g. PROFILE_CREATED, PROFILE_UPDATED, PROFILE_DEACTIVATED. */
  operation: string;
  /** Names of the fields the change set or changed. */
  fields: string[];
  /** Null for the platform's own jobs (expiry). */
  clientId: string | null;
  clientName?: string | null;
  /** createdBy / changedBy of the request. */
  actor?: string | null;
  channel?: string | null;
  correlationId?: string | null;
  /** The changed profile's version after the change, for its change event. */
  version?: number | null;
}

export interface AuditEventRow {
  id: string;
  organisation_id: number;
  customer_number: string | null;
  operation: string;
  fields: string[];
  client_id: string | null;
  client_name: string | null;
  actor: string | null;
  channel: string | null;
  correlation_id: string | null;
  occurred_at: Date;
}

/**
 * The audit trail. `record` takes the EntityManager of the change's own transaction, so a change,
 * its audit row and its change event commit or roll back together.
 */
@Injectable()
export class AuditService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly events: EventsRepository,
  ) {}

  /** Many audit rows in one statement (the bulk import), in the same transaction as the change. */
  async recordMany(manager: EntityManager, entries: AuditEntry[]): Promise<void> {
    if (!entries.length) {
      return;
    }
    const column = <T>(f: (e: AuditEntry) => T) => entries.map(f);
    await manager.query(
      `INSERT INTO audit_events
         (organisation_id, customer_number, operation, fields, client_id, client_name, actor,
          channel, correlation_id)
       SELECT v.organisation_id, v.customer_number, v.operation,
              CASE WHEN v.fields = '' THEN '{}'::text[] ELSE string_to_array(v.fields, ',') END,
              v.client_id, v.client_name, v.actor, v.channel, v.correlation_id
         FROM unnest($1::int[], $2::bigint[], $3::text[], $4::text[], $5::text[], $6::text[],
                     $7::text[], $8::text[], $9::text[])
              AS v(organisation_id, customer_number, operation, fields, client_id, client_name,
                   actor, channel, correlation_id)`,
      [
        column((e) => e.organisationId),
        column((e) => e.customerNumber),
        column((e) => e.operation),
        column((e) => [...new Set(e.fields)].sort().join(',')),
        column((e) => e.clientId?.slice(0, 200) ?? null),
        column((e) => e.clientName?.slice(0, 200) ?? null),
        column((e) => e.actor?.slice(0, 100) ?? null),
        column((e) => e.channel?.slice(0, 100) ?? null),
        column((e) => e.correlationId?.slice(0, 100) ?? null),
      ],
    );
    await this.events.append(manager, changeEventsOf(entries));
  }

  async record(manager: EntityManager, entry: AuditEntry): Promise<void> {
    await manager.query(
      `INSERT INTO audit_events
         (organisation_id, customer_number, operation, fields, client_id, client_name, actor,
          channel, correlation_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [
        entry.organisationId,
        entry.customerNumber,
        entry.operation,
        [...new Set(entry.fields)].sort(),
        entry.clientId?.slice(0, 200) ?? null,
        entry.clientName?.slice(0, 200) ?? null,
        entry.actor?.slice(0, 100) ?? null,
        entry.channel?.slice(0, 100) ?? null,
        entry.correlationId?.slice(0, 100) ?? null,
      ],
    );
    await this.events.append(manager, changeEventsOf([entry]));
  }

  /**
   * A customer's events in the order they were recorded (by id), whatever its organisation
   * (customer numbers are global), a page at a time. The lateral join walks the organisations so
   * every probe uses the (organisation_id, customer_number, id) index.
   */
  async listForCustomer(
    customerNumber: number,
    page: Page = { after: 0n, limit: 1000 },
  ): Promise<AuditEventRow[]> {
    return this.dataSource.query(
      `SELECT e.id::text AS id, e.organisation_id, e.customer_number::text AS customer_number,
              e.operation, e.fields, e.client_id, e.client_name, e.actor, e.channel,
              e.correlation_id, e.occurred_at
         FROM organisations o
         CROSS JOIN LATERAL (
           SELECT * FROM audit_events a
            WHERE a.organisation_id = o.id AND a.customer_number = $1 AND a.id > $2
            ORDER BY a.id LIMIT $3) e
        ORDER BY e.id
        LIMIT $3`,
      [customerNumber, page.after.toString(), page.limit],
    );
  }
}

/** The change events of audited operations; operations that change nothing have none. */
function changeEventsOf(entries: AuditEntry[]): ChangeEvent[] {
  const events: ChangeEvent[] = [];
  for (const entry of entries) {
    const kind = eventKindOfAudit(entry.operation);
    if (!kind) {
      continue;
    }
    if (entry.customerNumber === null) {
      throw new Error(`The audited operation ${entry.operation} names no customer`);
    }
    events.push({
      organisationId: entry.organisationId,
      type: kind.type,
      subject: String(entry.customerNumber),
      operation: kind.operation,
      change: entry.operation,
      customerNumber: entry.customerNumber,
      changedFields: entry.fields,
      version: entry.version,
    });
  }
  return events;
}
