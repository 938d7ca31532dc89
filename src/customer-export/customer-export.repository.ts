import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AuditEventRow } from '../audit/audit-events.repository';
import { ResourceDefinition, Row } from '../profile-resources/resource-definition';
import { ProfileRow } from '../profiles/profile-row';
import { ProfileSearchFilter } from '../profiles/profile-search';
import {
  profileColumns,
  profileWhereClause,
  ProfileWhereClause,
} from '../profiles/profiles.repository';

/** A profile as the access export reads it: whether it has a password, never the hash. */
export type ExportedProfileRow = ProfileRow & { has_password: boolean };

/**
 * The read model of the exports, across the tables of a customer: the access export reads one
 * customer's rows in its REPEATABLE READ snapshot (every method takes that transaction's
 * EntityManager), the bulk export an organisation's profiles through a server-side cursor. Reads
 * only, each scoped by organisation; the tables stay their features' to write.
 */
@Injectable()
export class CustomerExportRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Any profile of the organisation, temporary ones included. */
  async findProfile(
    organisationId: number,
    customerNumber: number,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<ExportedProfileRow | null> {
    const rows: ExportedProfileRow[] = await manager.query(
      `SELECT ${profileColumns('p')}, p.password_hash IS NOT NULL AS has_password
         FROM profiles p WHERE p.organisation_id = $1 AND p.customer_number = $2`,
      [organisationId, customerNumber],
    );
    return rows[0] ?? null;
  }

  /** A page of the customer's rows of one kind of sub-resource, after the row `afterId`. */
  resourcePage(
    def: ResourceDefinition<unknown>,
    organisationId: number,
    customerNumber: number,
    afterId: bigint,
    limit: number,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<Row[]> {
    return this.page(def.table, organisationId, customerNumber, afterId, limit, manager);
  }

  /** A page of the customer's audit trail in this organisation, after the entry `afterId`. */
  auditPage(
    organisationId: number,
    customerNumber: number,
    afterId: bigint,
    limit: number,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<AuditEventRow[]> {
    return this.page('audit_events', organisationId, customerNumber, afterId, limit, manager);
  }

  /** How many profiles the filter (and `changedSince`) selects. */
  async countProfiles(
    filter: ProfileSearchFilter,
    changedSince?: Date,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<number> {
    const { where, params } = withChangedSince(profileWhereClause(filter), changedSince);
    const [{ count }]: { count: string }[] = await manager.query(
      `SELECT count(*) AS count FROM profiles p WHERE ${where}`,
      params,
    );
    return Number(count);
  }

  /**
   * The selected profiles by customer number, `batchSize` at a time, from a cursor declared in
   * the caller's transaction (which must stay open while the batches are read).
   */
  async *profileBatches(
    filter: ProfileSearchFilter,
    changedSince: Date | undefined,
    batchSize: number,
    manager: EntityManager,
  ): AsyncGenerator<ProfileRow[]> {
    const { where, params } = withChangedSince(profileWhereClause(filter), changedSince);
    await manager.query(
      `DECLARE profiles_export NO SCROLL CURSOR FOR
         SELECT ${profileColumns('p')} FROM profiles p
          WHERE ${where} ORDER BY p.customer_number`,
      params,
    );
    for (;;) {
      const rows: ProfileRow[] = await manager.query(`FETCH ${batchSize} FROM profiles_export`);
      if (!rows.length) {
        return;
      }
      yield rows;
    }
  }

  /** Keyset paging by id (not OFFSET), so a long history costs the same per page. */
  private page<T>(
    table: string,
    organisationId: number,
    customerNumber: number,
    afterId: bigint,
    limit: number,
    manager: EntityManager,
  ): Promise<T[]> {
    return manager.query(
      `SELECT * FROM ${table}
        WHERE organisation_id = $1 AND customer_number = $2 AND id > $3
        ORDER BY id LIMIT $4`,
      [organisationId, customerNumber, afterId.toString(), limit],
    );
  }
}

function withChangedSince(filter: ProfileWhereClause, changedSince?: Date): ProfileWhereClause {
  if (changedSince === undefined) {
    return filter;
  }
  const params = [...filter.params, changedSince];
  return { where: `${filter.where} AND p.changed_at >= $${params.length}`, params };
}
