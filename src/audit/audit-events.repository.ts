import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Page } from '../common/http/page-query.dto';

/** A row of `audit_events` as read; the bigint id and customer number come as text. */
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

/** The columns a new audit row sets; the id and occurred_at come from the database. */
export type NewAuditEvent = Omit<AuditEventRow, 'id' | 'customer_number' | 'occurred_at'> & {
  customer_number: number | null;
};

/** The table `audit_events`: append-only, read per customer. */
@Injectable()
export class AuditEventsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async insert(
    event: NewAuditEvent,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<void> {
    await manager.query(
      `INSERT INTO audit_events
         (organisation_id, customer_number, operation, fields, client_id, client_name, actor,
          channel, correlation_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [
        event.organisation_id,
        event.customer_number,
        event.operation,
        event.fields,
        event.client_id,
        event.client_name,
        event.actor,
        event.channel,
        event.correlation_id,
      ],
    );
  }

  /** Many rows in one statement (the bulk import). */
  async insertMany(
    events: NewAuditEvent[],
    manager: EntityManager = this.dataSource.manager,
  ): Promise<void> {
    if (!events.length) {
      return;
    }
    const column = <T>(f: (e: NewAuditEvent) => T) => events.map(f);
    // unnest cannot take an array of arrays of different lengths: the field lists travel joined.
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
        column((e) => e.organisation_id),
        column((e) => e.customer_number),
        column((e) => e.operation),
        column((e) => e.fields.join(',')),
        column((e) => e.client_id),
        column((e) => e.client_name),
        column((e) => e.actor),
        column((e) => e.channel),
        column((e) => e.correlation_id),
      ],
    );
  }

  /**
   * A customer's events in the order they were recorded (by id), whatever its organisation
   * (customer numbers are global), a page at a time. The lateral join walks the organisations so
   * every probe uses the (organisation_id, customer_number, id) index.
   */
  async listForCustomer(customerNumber: number, page: Page): Promise<AuditEventRow[]> {
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
