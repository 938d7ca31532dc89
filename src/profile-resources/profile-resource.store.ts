import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AuthContext } from '../auth/auth-context';
import { Clock } from '../common/clock/clock';
import {
  ConflictDomainException,
  NotFoundDomainException,
} from '../common/errors/domain.exception';
import { ProfileAccessService } from '../profiles/profile-access.service';
import { AuditService } from '../audit/audit.service';
import { IdempotencyService } from '../idempotency/idempotency.service';

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
  toResponse(row: Row): TResponse;
  /** Set when temporary profiles may not hold this kind of resource. */
  notForTemporaryProfiles?: boolean;
  /** A boolean field of which at most one row per customer is true (the primary address). */
  exclusiveFlag?: { field: string; column: string };
  /** A rule the body of an add or a replace must pass, checked in the write's transaction. */
  checkWrite?(manager: EntityManager, body: object): Promise<void>;
}

/** Who asks: the verified token, and the request's correlation id for the audit trail. */
export interface Caller {
  auth: AuthContext;
  correlationId: string;
}

/**
 * Organisation-scoped storage of a profile's sub-resources. Every operation first asks
 * ProfileAccessService for the profile (404 for another organisation's, a missing or an expired
 * one), then touches rows only through `organisation_id` + `customer_number` + `id`, so an id of
 * another organisation or another customer answers the same 404 as a missing one. Writes also
 * pass the profile's lifecycle rule (a deactivated profile takes none).
 */
@Injectable()
export class ProfileResourceStore {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly access: ProfileAccessService,
    private readonly clock: Clock,
    private readonly auditService: AuditService,
    private readonly idempotency: IdempotencyService,
  ) {}

  async list<T>(def: ResourceDefinition<T>, auth: AuthContext, customerNumber: number) {
    await this.access.require(auth.organisationId, customerNumber);
    const rows: Row[] = await this.dataSource.query(
      `SELECT * FROM ${def.table} WHERE organisation_id = $1 AND customer_number = $2 ORDER BY id`,
      [auth.organisationId, customerNumber],
    );
    return rows.map((row) => def.toResponse(row));
  }

  async get<T>(def: ResourceDefinition<T>, auth: AuthContext, customerNumber: number, id: number) {
    await this.access.require(auth.organisationId, customerNumber);
    const rows: Row[] = await this.dataSource.query(
      `SELECT * FROM ${def.table} WHERE organisation_id = $1 AND customer_number = $2 AND id = $3`,
      [auth.organisationId, customerNumber, id],
    );
    if (!rows.length) {
      throw new NotFoundDomainException(`${def.noun} ${id}`);
    }
    return def.toResponse(rows[0]);
  }

  async add<T>(
    def: ResourceDefinition<T>,
    caller: Caller,
    customerNumber: number,
    body: object,
  ): Promise<T> {
    return this.idempotency.transaction(async (manager) => {
      const profile = await this.access.requireForChange(
        caller.auth.organisationId,
        customerNumber,
        'write',
        manager,
      );
      if (def.notForTemporaryProfiles && profile.profileType === 'T') {
        throw new ConflictDomainException(
          `A temporary profile cannot have ${def.noun.toLowerCase()}s; convert it to a permanent profile first`,
        );
      }
      await def.checkWrite?.(manager, body);
      await this.clearExclusiveFlag(def, manager, caller.auth.organisationId, customerNumber, body);
      const fields = Object.keys(def.columns);
      const now = this.clock.now();
      const [row]: Row[] = await manager.query(
        `INSERT INTO ${def.table}
           (organisation_id, customer_number, ${fields.map((f) => def.columns[f]).join(', ')},
            created_at, changed_at)
         VALUES ($1, $2, ${fields.map((_, i) => `$${i + 3}`).join(', ')}, $${fields.length + 3}, $${fields.length + 3})
         RETURNING *`,
        [caller.auth.organisationId, customerNumber, ...valuesOf(body, fields), now],
      );
      await this.audit(manager, caller, {
        operation: `${def.auditName}_ADDED`,
        customerNumber,
        fields: givenFields(body),
      });
      return def.toResponse(row);
    });
  }

  /**
   * Adds a row to a profile created in the caller's transaction (the bulk import): the same
   * columns and rules as add, no access check and no audit row (the import audits the profile).
   */
  async addWithin<T>(
    def: ResourceDefinition<T>,
    manager: EntityManager,
    organisationId: number,
    customerNumber: number,
    body: object,
  ): Promise<void> {
    await def.checkWrite?.(manager, body);
    await this.clearExclusiveFlag(def, manager, organisationId, customerNumber, body);
    const fields = Object.keys(def.columns);
    await manager.query(
      `INSERT INTO ${def.table}
         (organisation_id, customer_number, ${fields.map((f) => def.columns[f]).join(', ')},
          created_at, changed_at)
       VALUES ($1, $2, ${fields.map((_, i) => `$${i + 3}`).join(', ')}, $${fields.length + 3}, $${fields.length + 3})`,
      [organisationId, customerNumber, ...valuesOf(body, fields), this.clock.now()],
    );
  }

  async update<T>(
    def: ResourceDefinition<T>,
    caller: Caller,
    customerNumber: number,
    id: number,
    body: object,
  ): Promise<T> {
    return this.dataSource.transaction(async (manager) => {
      await this.access.requireForChange(
        caller.auth.organisationId,
        customerNumber,
        'write',
        manager,
      );
      await def.checkWrite?.(manager, body);
      await this.clearExclusiveFlag(
        def,
        manager,
        caller.auth.organisationId,
        customerNumber,
        body,
        id,
      );
      const columns = def.updateColumns ?? def.columns;
      const fields = Object.keys(columns);
      const result: [Row[], number] = await manager.query(
        `UPDATE ${def.table}
            SET ${fields.map((f, i) => `${columns[f]} = $${i + 4}`).join(', ')},
                changed_at = $${fields.length + 4}
          WHERE organisation_id = $1 AND customer_number = $2 AND id = $3
          RETURNING *`,
        [
          caller.auth.organisationId,
          customerNumber,
          id,
          ...valuesOf(body, fields),
          this.clock.now(),
        ],
      );
      const row = result[0][0];
      if (!row) {
        throw new NotFoundDomainException(`${def.noun} ${id}`);
      }
      await this.audit(manager, caller, {
        operation: `${def.auditName}_UPDATED`,
        customerNumber,
        fields: givenFields(body),
      });
      return def.toResponse(row);
    });
  }

  async remove<T>(
    def: ResourceDefinition<T>,
    caller: Caller,
    customerNumber: number,
    id: number,
  ): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      await this.access.requireForChange(
        caller.auth.organisationId,
        customerNumber,
        'write',
        manager,
      );
      const result: [Row[], number] = await manager.query(
        `DELETE FROM ${def.table}
          WHERE organisation_id = $1 AND customer_number = $2 AND id = $3
          RETURNING id`,
        [caller.auth.organisationId, customerNumber, id],
      );
      if (!result[0].length) {
        throw new NotFoundDomainException(`${def.noun} ${id}`);
      }
      await this.audit(manager, caller, {
        operation: `${def.auditName}_REMOVED`,
        customerNumber,
        fields: [],
      });
    });
  }

  private audit(
    manager: EntityManager,
    caller: Caller,
    entry: { operation: string; customerNumber: number; fields: string[] },
  ): Promise<void> {
    return this.auditService.record(manager, {
      ...entry,
      organisationId: caller.auth.organisationId,
      clientId: caller.auth.clientId,
      clientName: caller.auth.clientName,
      correlationId: caller.correlationId,
    });
  }

  /** Making one row primary makes the customer's other rows non-primary, in the same transaction. */
  private async clearExclusiveFlag<T>(
    def: ResourceDefinition<T>,
    manager: EntityManager,
    organisationId: number,
    customerNumber: number,
    body: object,
    exceptId?: number,
  ): Promise<void> {
    const flag = def.exclusiveFlag;
    if (!flag || (body as Row)[flag.field] !== true) {
      return;
    }
    await manager.query(
      `UPDATE ${def.table} SET ${flag.column} = false
        WHERE organisation_id = $1 AND customer_number = $2 AND ${flag.column}
          AND id <> $3`,
      [organisationId, customerNumber, exceptId ?? 0],
    );
  }
}

function valuesOf(body: object, fields: string[]): unknown[] {
  return fields.map((field) => (body as Row)[field] ?? null);
}

/** Field names only: an audit entry never carries values. */
function givenFields(body: object): string[] {
  return Object.entries(body)
    .filter(([, value]) => value !== undefined)
    .map(([field]) => field)
    .sort();
}

export function toIso(value: Date | string | null): string | null {
  return value === null ? null : new Date(value).toISOString();
}
