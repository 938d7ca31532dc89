import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Page } from '../common/http/page-query.dto';
import { ChangeEvent, eventKindOfAudit } from '../events/change-event';
import { EventsRepository } from '../events/events.repository';
import { AuditEventRow, AuditEventsRepository, NewAuditEvent } from './audit-events.repository';

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

/**
 * The audit trail. `record` takes the EntityManager of the change's own transaction, so a change,
 * its audit row and its change event commit or roll back together.
 */
@Injectable()
export class AuditService {
  constructor(
    private readonly auditEvents: AuditEventsRepository,
    private readonly events: EventsRepository,
  ) {}

  /** Many audit rows in one statement (the bulk import), in the same transaction as the change. */
  async recordMany(manager: EntityManager, entries: AuditEntry[]): Promise<void> {
    if (!entries.length) {
      return;
    }
    await this.auditEvents.insertMany(entries.map(toNewAuditEvent), manager);
    await this.events.append(manager, changeEventsOf(entries));
  }

  async record(manager: EntityManager, entry: AuditEntry): Promise<void> {
    await this.auditEvents.insert(toNewAuditEvent(entry), manager);
    await this.events.append(manager, changeEventsOf([entry]));
  }

  /** A customer's events in the order they were recorded, whatever its organisation. */
  listForCustomer(
    customerNumber: number,
    page: Page = { after: 0n, limit: 1000 },
  ): Promise<AuditEventRow[]> {
    return this.auditEvents.listForCustomer(customerNumber, page);
  }
}

/** The row of an entry: each field named once, in order; texts cut to their columns' widths. */
function toNewAuditEvent(entry: AuditEntry): NewAuditEvent {
  return {
    organisation_id: entry.organisationId,
    customer_number: entry.customerNumber,
    operation: entry.operation,
    fields: [...new Set(entry.fields)].sort(),
    client_id: entry.clientId?.slice(0, 200) ?? null,
    client_name: entry.clientName?.slice(0, 200) ?? null,
    actor: entry.actor?.slice(0, 100) ?? null,
    channel: entry.channel?.slice(0, 100) ?? null,
    correlation_id: entry.correlationId?.slice(0, 100) ?? null,
  };
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
