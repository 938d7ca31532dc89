import { EntityManager } from 'typeorm';

/** A sub-resource row as the database returns it: every column, by its name. */
export type Row = Record<string, any>;

/** How one kind of sub-resource maps onto its table. Names here are fixed identifiers, never input. */
export interface ResourceDefinition<TResponse> {
  table: string;
  /** What a client calls one row, for messages: "Ecard 12 was not found". */
  noun: string;
  /** Prefix of audit operations: `ECARD_ADDED`, `ECARD_UPDATED`, `ECARD_REMOVED`. */
  auditName: string;
  /** Request field → column. Every column is written on add and on (full-replace) update. */
  columns: Record<string, string>;
  /** The columns an update writes, when not all of them (a note keeps its createdBy). */
  updateColumns?: Record<string, string>;
  /** What an add stores, when more than the body holds (a note's changedBy starts as createdBy). */
  onAdd?(body: object): object;
  toResponse(row: Row): TResponse;
  /** Set when temporary profiles may not hold this kind of resource. */
  notForTemporaryProfiles?: boolean;
  /** A boolean field of which at most one row per customer is true (the primary address). */
  exclusiveFlag?: { field: string; column: string };
  /** A rule the body of an add or a replace must pass, checked in the write's transaction. */
  checkWrite?(manager: EntityManager, body: object): Promise<void>;
}

export function toIso(value: Date | string | null): string | null {
  return value === null ? null : new Date(value).toISOString();
}
