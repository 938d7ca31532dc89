import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { affectedCount, resultRows } from '../database/query-result';
import { ResourceDefinition, Row } from './resource-definition';

/** The kinds of a profile's sub-resources, by the name a client knows them. */
export const RESOURCE_KINDS = [
  'postalAddresses',
  'preferences',
  'ecards',
  'loyaltyPrograms',
  'customerAccounts',
  'notes',
] as const;
export type ResourceKind = (typeof RESOURCE_KINDS)[number];

/** What a transfer did to one kind: rows moved to the survivor, and the source's rows dropped. */
export interface TransferCount {
  moved: number;
  dropped: number;
}

/**
 * How each kind moves. `sameAs` names the column that identifies a row within its customer: a
 * source row whose value the survivor already has is dropped (the survivor's row wins).
 * Ecard numbers and account ids are unique in the whole organisation, so those never collide.
 */
const TABLES: Record<ResourceKind, { table: string; sameAs?: string }> = {
  postalAddresses: { table: 'postal_addresses' },
  preferences: { table: 'preferences', sameAs: 'preference_code' },
  ecards: { table: 'ecards' },
  loyaltyPrograms: { table: 'loyalty_programs', sameAs: 'program_id' },
  customerAccounts: { table: 'customer_accounts' },
  notes: { table: 'notes' },
};

/**
 * The sub-resource tables (postal_addresses, preferences, ecards, loyalty_programs,
 * customer_accounts, notes). The statements are one per operation for every kind, shaped by the
 * kind's ResourceDefinition (its table and columns, fixed identifiers that are never input), and
 * every one is scoped by organisation and customer: another organisation's id is simply absent.
 */
@Injectable()
export class ProfileResourcesRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** A customer's rows of one kind, oldest first. */
  async list(
    def: ResourceDefinition<unknown>,
    organisationId: number,
    customerNumber: number,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<Row[]> {
    return manager.query(
      `SELECT * FROM ${def.table} WHERE organisation_id = $1 AND customer_number = $2 ORDER BY id`,
      [organisationId, customerNumber],
    );
  }

  async find(
    def: ResourceDefinition<unknown>,
    organisationId: number,
    customerNumber: number,
    id: number,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<Row | null> {
    const rows: Row[] = await manager.query(
      `SELECT * FROM ${def.table} WHERE organisation_id = $1 AND customer_number = $2 AND id = $3`,
      [organisationId, customerNumber, id],
    );
    return rows[0] ?? null;
  }

  /** Writes every column of the kind from the body's fields (a missing one as null). */
  async insert(
    def: ResourceDefinition<unknown>,
    organisationId: number,
    customerNumber: number,
    body: object,
    now: Date,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<Row> {
    const fields = Object.keys(def.columns);
    const [row]: Row[] = await manager.query(
      `INSERT INTO ${def.table}
         (organisation_id, customer_number, ${fields.map((f) => def.columns[f]).join(', ')},
          created_at, changed_at)
       VALUES ($1, $2, ${fields.map((_, i) => `$${i + 3}`).join(', ')}, $${fields.length + 3}, $${fields.length + 3})
       RETURNING *`,
      [organisationId, customerNumber, ...valuesOf(body, fields), now],
    );
    return row;
  }

  /** Replaces the columns an update writes; null when the customer has no such row. */
  async update(
    def: ResourceDefinition<unknown>,
    organisationId: number,
    customerNumber: number,
    id: number,
    body: object,
    now: Date,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<Row | null> {
    const columns = def.updateColumns ?? def.columns;
    const fields = Object.keys(columns);
    const result: unknown = await manager.query(
      `UPDATE ${def.table}
          SET ${fields.map((f, i) => `${columns[f]} = $${i + 4}`).join(', ')},
              changed_at = $${fields.length + 4}
        WHERE organisation_id = $1 AND customer_number = $2 AND id = $3
        RETURNING *`,
      [organisationId, customerNumber, id, ...valuesOf(body, fields), now],
    );
    return resultRows<Row>(result)[0] ?? null;
  }

  /** Whether the customer had the row. */
  async delete(
    def: ResourceDefinition<unknown>,
    organisationId: number,
    customerNumber: number,
    id: number,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<boolean> {
    const result: unknown = await manager.query(
      `DELETE FROM ${def.table}
        WHERE organisation_id = $1 AND customer_number = $2 AND id = $3
        RETURNING id`,
      [organisationId, customerNumber, id],
    );
    return affectedCount(result) > 0;
  }

  /** Sets the kind's exclusive flag to false on the customer's rows but `exceptId`. */
  async clearExclusiveFlag(
    def: ResourceDefinition<unknown>,
    organisationId: number,
    customerNumber: number,
    exceptId: number | undefined,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<void> {
    const column = def.exclusiveFlag?.column;
    if (!column) {
      return;
    }
    await manager.query(
      `UPDATE ${def.table} SET ${column} = false
        WHERE organisation_id = $1 AND customer_number = $2 AND ${column}
          AND id <> $3`,
      [organisationId, customerNumber, exceptId ?? 0],
    );
  }

  /**
   * Moves a profile's sub-resources to another profile of the same organisation, in the caller's
   * transaction (which holds both profiles' row locks).
   */
  async transferAll(
    manager: EntityManager,
    organisationId: number,
    from: number,
    to: number,
    now: Date,
  ): Promise<Record<ResourceKind, TransferCount>> {
    const params = [organisationId, from, to];
    // The survivor's primary address stays primary; the source's becomes an ordinary one.
    await manager.query(
      `UPDATE postal_addresses a SET is_primary = false
        WHERE a.organisation_id = $1 AND a.customer_number = $2 AND a.is_primary
          AND EXISTS (SELECT 1 FROM postal_addresses t
                       WHERE t.organisation_id = $1 AND t.customer_number = $3 AND t.is_primary)`,
      params,
    );
    const counts = {} as Record<ResourceKind, TransferCount>;
    for (const kind of RESOURCE_KINDS) {
      const { table, sameAs } = TABLES[kind];
      let dropped = 0;
      if (sameAs) {
        const result: unknown = await manager.query(
          `DELETE FROM ${table} s
            WHERE s.organisation_id = $1 AND s.customer_number = $2
              AND EXISTS (SELECT 1 FROM ${table} t
                           WHERE t.organisation_id = $1 AND t.customer_number = $3
                             AND t.${sameAs} = s.${sameAs})
           RETURNING s.id`,
          params,
        );
        dropped = affectedCount(result);
      }
      const moved: unknown = await manager.query(
        `UPDATE ${table} SET customer_number = $3, changed_at = $4
          WHERE organisation_id = $1 AND customer_number = $2
         RETURNING id`,
        [...params, now],
      );
      counts[kind] = { moved: affectedCount(moved), dropped };
    }
    return counts;
  }
}

function valuesOf(body: object, fields: string[]): unknown[] {
  return fields.map((field) => (body as Row)[field] ?? null);
}
