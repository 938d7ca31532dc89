/** The kinds of change events; `type` of the CloudEvent. */
export const EVENT_TYPES = {
  customer: 'customers.customer.changed',
  temporaryCustomer: 'customers.temporary-customer.changed',
  givenConsent: 'customers.given-consent.changed',
  consent: 'customers.consent.changed',
} as const;
export type EventType = (typeof EVENT_TYPES)[keyof typeof EVENT_TYPES];

export type ChangeOperation = 'CREATE' | 'UPDATE' | 'DELETE';

/** The CloudEvents `source` of every event of this service. */
export const EVENT_SOURCE = 'urn:customers';

/** A change to record as an event, in the transaction of the change itself. */
export interface ChangeEvent {
  organisationId: number;
  type: EventType;
  /** The customer number, or `consents/<id>` for an organisation's consent. */
  subject: string;
  operation: ChangeOperation;
  /** What the trail calls the change, e.g. PROFILE_UPDATED or POSTAL_ADDRESS_ADDED. */
  change: string;
  customerNumber: number | null;
  /** Names of the fields the change set, never their values. */
  changedFields: string[];
  /** The changed record's version (a profile's version, a given consent's revision), if it has one. */
  version?: number | null;
  /** Ids of the record the event is about, besides the customer (e.g. givenConsentId). */
  ids?: Record<string, number>;
}

/** The `data` of an event as stored; the sequence is added when the event is read. */
export interface StoredEventData {
  operation: ChangeOperation;
  change: string;
  organisationId: number;
  customerNumber: number | null;
  changedFields: string[];
  version: number | null;
  [id: string]: unknown;
}

/** An event row as the outbox holds it. */
export interface EventRow {
  position: string;
  id: string;
  organisation_id: number;
  type: EventType;
  subject: string;
  sequence: string;
  data: StoredEventData;
  occurred_at: Date;
}

/** A CloudEvents 1.0 event in structured JSON mode. */
export interface CloudEvent {
  specversion: '1.0';
  id: string;
  source: string;
  type: EventType;
  subject: string;
  time: string;
  datacontenttype: 'application/json';
  data: StoredEventData & { sequence: number };
}

export function toStoredData(event: ChangeEvent): StoredEventData {
  return {
    operation: event.operation,
    change: event.change,
    organisationId: event.organisationId,
    customerNumber: event.customerNumber,
    changedFields: [...new Set(event.changedFields)].sort(),
    version: event.version ?? null,
    ...event.ids,
  };
}

export function toCloudEvent(row: EventRow): CloudEvent {
  return {
    specversion: '1.0',
    id: row.id,
    source: EVENT_SOURCE,
    type: row.type,
    subject: row.subject,
    time: new Date(row.occurred_at).toISOString(),
    datacontenttype: 'application/json',
    data: { ...row.data, sequence: Number(row.sequence) },
  };
}

type Kind = { type: EventType; operation: ChangeOperation } | null;

const { customer, temporaryCustomer } = EVENT_TYPES;

/**
 * The event of each operation the audit trail records; null for what changes nothing a partner
 * keeps (a sign-in, an export) or nothing of an organisation's customers (the platform's
 * preference catalogue).
 */
const EVENT_OF_AUDIT: Record<string, Kind> = {
  PROFILE_CREATED: { type: customer, operation: 'CREATE' },
  PROFILE_IMPORTED: { type: customer, operation: 'CREATE' },
  PROFILE_UPDATED: { type: customer, operation: 'UPDATE' },
  PROFILE_REPLACED: { type: customer, operation: 'UPDATE' },
  PROFILE_RESTORED: { type: customer, operation: 'UPDATE' },
  PROFILE_PASSWORD_CHANGED: { type: customer, operation: 'UPDATE' },
  PROFILE_PASSWORD_GENERATED: { type: customer, operation: 'UPDATE' },
  PROFILE_CONNECTED: { type: customer, operation: 'UPDATE' },
  PROFILE_MERGED: { type: customer, operation: 'UPDATE' },
  PROFILE_DEACTIVATED: { type: customer, operation: 'DELETE' },
  PROFILE_MERGED_AWAY: { type: customer, operation: 'DELETE' },
  PURGED: { type: customer, operation: 'DELETE' },
  TEMPORARY_CREATED: { type: temporaryCustomer, operation: 'CREATE' },
  TEMPORARY_REPLACED: { type: temporaryCustomer, operation: 'UPDATE' },
  TEMPORARY_DELETED: { type: temporaryCustomer, operation: 'DELETE' },
  TEMPORARY_EXPIRED: { type: temporaryCustomer, operation: 'DELETE' },
  TEMPORARY_CONNECTED: { type: temporaryCustomer, operation: 'DELETE' },
  TEMPORARY_CONVERTED: { type: customer, operation: 'CREATE' },
  PROFILE_SIGNED_IN: null,
  PROFILE_EXPORTED: null,
  PREFERENCE_DEFINITION_CREATED: null,
  PREFERENCE_DEFINITION_REPLACED: null,
  PREFERENCE_DEFINITION_DELETED: null,
};

/** Sub-resource operations (`ECARD_ADDED`, `POSTAL_ADDRESS_REMOVED`, …) change the customer. */
const SUB_RESOURCE_CHANGE = /^[A-Z_]+_(ADDED|UPDATED|REMOVED)$/;

/**
 * The event kind of an audited operation. An operation nobody mapped is a programming error: it
 * fails the change rather than commit it without its event.
 */
export function eventKindOfAudit(operation: string): Kind {
  if (operation in EVENT_OF_AUDIT) {
    return EVENT_OF_AUDIT[operation];
  }
  if (SUB_RESOURCE_CHANGE.test(operation)) {
    return { type: customer, operation: 'UPDATE' };
  }
  throw new Error(`No change event is defined for the audited operation ${operation}`);
}
