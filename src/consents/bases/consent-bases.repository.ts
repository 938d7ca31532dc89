import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { resultRows } from '../../database/query-result';
import { ConsentBase, ConsentTerm } from '../consent.model';

/** A row of `consent_bases` as the statements below select it. */
interface ConsentBaseRow {
  organisation_id: number;
  consent_code: string;
  version: number;
  terms: ConsentTerm[];
  internal_description: string | null;
  activated_at: Date | null;
  created_at: Date;
  changed_at: Date;
}

const BASE_COLUMNS = `organisation_id, consent_code, version, terms, internal_description,
  activated_at, created_at, changed_at`;

export interface NewConsentBase {
  organisationId: number;
  consentCode: string;
  version: number;
  terms: ConsentTerm[];
  internalDescription: string | null;
}

/**
 * The table `consent_bases`: platform data (managed by `customers:admin`), so no method is scoped
 * to an organisation; `organisation_id` is the owner of a base.
 */
@Injectable()
export class ConsentBasesRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async listLatest(manager: EntityManager = this.dataSource.manager): Promise<ConsentBase[]> {
    const rows: ConsentBaseRow[] = await manager.query(
      `SELECT DISTINCT ON (consent_code) ${BASE_COLUMNS} FROM consent_bases
        ORDER BY consent_code, version DESC`,
    );
    return rows.map(toConsentBase);
  }

  async listVersions(
    consentCode: string,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<ConsentBase[]> {
    const rows: ConsentBaseRow[] = await manager.query(
      `SELECT ${BASE_COLUMNS} FROM consent_bases WHERE consent_code = $1 ORDER BY version`,
      [consentCode],
    );
    return rows.map(toConsentBase);
  }

  find(
    consentCode: string,
    version: number,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<ConsentBase | null> {
    return this.findVersion(manager, consentCode, version, false);
  }

  /** The version, locked until the end of `manager`'s transaction. */
  findForUpdate(
    consentCode: string,
    version: number,
    manager: EntityManager,
  ): Promise<ConsentBase | null> {
    return this.findVersion(manager, consentCode, version, true);
  }

  /** The given base versions, in one round trip. */
  async findMany(
    keys: { consentCode: string; version: number }[],
    manager: EntityManager = this.dataSource.manager,
  ): Promise<ConsentBase[]> {
    if (!keys.length) {
      return [];
    }
    const rows: ConsentBaseRow[] = await manager.query(
      `SELECT ${BASE_COLUMNS} FROM consent_bases
        WHERE (consent_code, version) IN (SELECT * FROM unnest($1::text[], $2::int[]))`,
      [keys.map((k) => k.consentCode), keys.map((k) => k.version)],
    );
    return rows.map(toConsentBase);
  }

  async insert(
    base: NewConsentBase,
    clientId: string,
    now: Date,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<ConsentBase> {
    const rows: ConsentBaseRow[] = await manager.query(
      `INSERT INTO consent_bases (organisation_id, consent_code, version, terms,
         internal_description, created_at, created_by_client, changed_at, changed_by_client)
       VALUES ($1, $2, $3, $4::jsonb, $5, $6, $7, $6, $7)
       RETURNING ${BASE_COLUMNS}`,
      [
        base.organisationId,
        base.consentCode,
        base.version,
        JSON.stringify(base.terms),
        base.internalDescription,
        now,
        clientId,
      ],
    );
    return toConsentBase(rows[0]);
  }

  async updateDraft(
    consentCode: string,
    version: number,
    change: { terms: ConsentTerm[]; internalDescription: string | null },
    clientId: string,
    now: Date,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<ConsentBase> {
    const rows = resultRows<ConsentBaseRow>(
      await manager.query(
        `UPDATE consent_bases SET terms = $3::jsonb, internal_description = $4, changed_at = $5,
              changed_by_client = $6
        WHERE consent_code = $1 AND version = $2 AND activated_at IS NULL
        RETURNING ${BASE_COLUMNS}`,
        [
          consentCode,
          version,
          JSON.stringify(change.terms),
          change.internalDescription,
          now,
          clientId,
        ],
      ),
    );
    return toConsentBase(rows[0]);
  }

  async activate(
    consentCode: string,
    version: number,
    clientId: string,
    now: Date,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<ConsentBase> {
    const rows = resultRows<ConsentBaseRow>(
      await manager.query(
        `UPDATE consent_bases SET activated_at = $3, changed_at = $3, changed_by_client = $4
        WHERE consent_code = $1 AND version = $2
        RETURNING ${BASE_COLUMNS}`,
        [consentCode, version, now, clientId],
      ),
    );
    return toConsentBase(rows[0]);
  }

  private async findVersion(
    manager: EntityManager,
    consentCode: string,
    version: number,
    forUpdate: boolean,
  ): Promise<ConsentBase | null> {
    const rows: ConsentBaseRow[] = await manager.query(
      `SELECT ${BASE_COLUMNS} FROM consent_bases WHERE consent_code = $1 AND version = $2
        ${forUpdate ? 'FOR UPDATE' : ''}`,
      [consentCode, version],
    );
    return rows.length ? toConsentBase(rows[0]) : null;
  }
}

function toConsentBase(row: ConsentBaseRow): ConsentBase {
  return {
    organisationId: row.organisation_id,
    consentCode: row.consent_code,
    version: row.version,
    terms: row.terms,
    internalDescription: row.internal_description,
    activatedAt: row.activated_at,
    createdAt: row.created_at,
    changedAt: row.changed_at,
  };
}
