import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { resultRows } from '../database/query-result';
import { Consent, ConsentQuery } from './consent.model';

/** A row of `consents` as the statements below select it. */
interface ConsentRow {
  organisation_id: number;
  /** bigint, as text */
  id: string;
  consent_code: string;
  consent_base_version: number;
  is_sms_supported: boolean;
  is_email_supported: boolean;
  valid_from: Date;
  valid_to: Date | null;
  created_at: Date;
  changed_at: Date;
}

const CONSENT_COLUMNS = `c.organisation_id, c.id, c.consent_code, c.consent_base_version,
  c.is_sms_supported, c.is_email_supported, c.valid_from, c.valid_to, c.created_at, c.changed_at`;

export type NewConsent = Omit<Consent, 'organisationId' | 'id' | 'createdAt' | 'changedAt'>;

export type ConsentSettings = Pick<
  Consent,
  'isSmsSupported' | 'isEmailSupported' | 'validFrom' | 'validTo'
>;

/**
 * The table `consents`: an organisation's use of a consent base version. Every statement is
 * scoped to `organisationId`.
 */
@Injectable()
export class ConsentsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async insert(
    organisationId: number,
    consent: NewConsent,
    clientId: string,
    now: Date,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<Consent> {
    const rows: ConsentRow[] = await manager.query(
      `INSERT INTO consents AS c (organisation_id, consent_code, consent_base_version,
         is_sms_supported, is_email_supported, valid_from, valid_to, created_at,
         created_by_client, changed_at, changed_by_client)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $8, $9)
       RETURNING ${CONSENT_COLUMNS}`,
      [
        organisationId,
        consent.consentCode,
        consent.consentBaseVersion,
        consent.isSmsSupported,
        consent.isEmailSupported,
        consent.validFrom,
        consent.validTo,
        now,
        clientId,
      ],
    );
    return toConsent(rows[0]);
  }

  find(
    organisationId: number,
    id: number,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<Consent | null> {
    return this.findOne(manager, organisationId, id, false);
  }

  /** The consent, locked until the end of `manager`'s transaction. */
  findForUpdate(
    organisationId: number,
    id: number,
    manager: EntityManager,
  ): Promise<Consent | null> {
    return this.findOne(manager, organisationId, id, true);
  }

  /** Consents of the organisation by id, in one round trip. */
  async findMany(
    organisationId: number,
    ids: number[],
    manager: EntityManager = this.dataSource.manager,
  ): Promise<Consent[]> {
    if (!ids.length) {
      return [];
    }
    const rows: ConsentRow[] = await manager.query(
      `SELECT ${CONSENT_COLUMNS} FROM consents c
        WHERE c.organisation_id = $1 AND c.id = ANY($2::bigint[])`,
      [organisationId, ids],
    );
    return rows.map(toConsent);
  }

  async update(
    organisationId: number,
    id: number,
    settings: ConsentSettings,
    clientId: string,
    now: Date,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<Consent> {
    const rows = resultRows<ConsentRow>(
      await manager.query(
        `UPDATE consents AS c SET is_sms_supported = $3, is_email_supported = $4, valid_from = $5,
              valid_to = $6, changed_at = $7, changed_by_client = $8
        WHERE c.organisation_id = $1 AND c.id = $2
        RETURNING ${CONSENT_COLUMNS}`,
        [
          organisationId,
          id,
          settings.isSmsSupported,
          settings.isEmailSupported,
          settings.validFrom,
          settings.validTo,
          now,
          clientId,
        ],
      ),
    );
    return toConsent(rows[0]);
  }

  /**
   * The organisation's consents matching the query. `CURRENT` keeps, per consent code, the one on
   * the highest base version among those that pass the activity filter.
   */
  async list(
    organisationId: number,
    query: ConsentQuery,
    now: Date,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<Consent[]> {
    const params: unknown[] = [organisationId];
    const where = ['c.organisation_id = $1'];
    if (query.consentCodes?.length) {
      params.push(query.consentCodes);
      where.push(`c.consent_code = ANY($${params.length})`);
    }
    if (query.versions.kind === 'LIST') {
      params.push(query.versions.versions);
      where.push(`c.consent_base_version = ANY($${params.length})`);
    }
    if (!query.includeInactive) {
      params.push(now);
      where.push(
        `c.valid_from <= $${params.length} AND (c.valid_to IS NULL OR c.valid_to > $${params.length})`,
      );
    }
    const sql =
      query.versions.kind === 'CURRENT'
        ? `SELECT * FROM (
             SELECT DISTINCT ON (c.consent_code) ${CONSENT_COLUMNS} FROM consents c
              WHERE ${where.join(' AND ')}
              ORDER BY c.consent_code, c.consent_base_version DESC, c.id DESC) current
            ORDER BY id`
        : `SELECT ${CONSENT_COLUMNS} FROM consents c WHERE ${where.join(' AND ')} ORDER BY c.id`;
    const rows: ConsentRow[] = await manager.query(sql, params);
    return rows.map(toConsent);
  }

  private async findOne(
    manager: EntityManager,
    organisationId: number,
    id: number,
    forUpdate: boolean,
  ): Promise<Consent | null> {
    const rows: ConsentRow[] = await manager.query(
      `SELECT ${CONSENT_COLUMNS} FROM consents c WHERE c.organisation_id = $1 AND c.id = $2
        ${forUpdate ? 'FOR UPDATE' : ''}`,
      [organisationId, id],
    );
    return rows.length ? toConsent(rows[0]) : null;
  }
}

function toConsent(row: ConsentRow): Consent {
  return {
    organisationId: row.organisation_id,
    id: Number(row.id),
    consentCode: row.consent_code,
    consentBaseVersion: row.consent_base_version,
    isSmsSupported: row.is_sms_supported,
    isEmailSupported: row.is_email_supported,
    validFrom: row.valid_from,
    validTo: row.valid_to,
    createdAt: row.created_at,
    changedAt: row.changed_at,
  };
}
