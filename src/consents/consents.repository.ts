import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Page } from '../common/http/page-query.dto';
import {
  Consent,
  ConsentBase,
  ConsentQuery,
  ConsentTerm,
  CrmExportOptions,
  GivenConsent,
  GivenConsentEvent,
  GivenConsentHistoryEntry,
} from './consent.model';
import { DEACTIVATED } from '../profiles/profile-lifecycle';

type Row = Record<string, any>;

const BASE_COLUMNS = `organisation_id, consent_code, version, terms, internal_description,
  activated_at, created_at, changed_at`;

const CONSENT_COLUMNS = `c.organisation_id, c.id, c.consent_code, c.consent_base_version,
  c.is_sms_supported, c.is_email_supported, c.valid_from, c.valid_to, c.created_at, c.changed_at`;

const GIVEN_COLUMNS = `g.organisation_id, g.id, g.customer_number, g.consent_id, c.consent_code,
  g.consent_choice, g.distribution_channel, g.expiration_date::text AS expiration_date, g.email,
  g.country_code, g.telephone_number, g.revision, g.created_at, g.created_by, g.changed_at,
  g.changed_by, g.changed_by_channel`;

const HISTORY_COLUMNS = `given_consent_id, revision, event, consent_choice, distribution_channel,
  expiration_date::text AS expiration_date, changed_by, changed_by_channel, client_id, recorded_at`;

/**
 * SQL of the consents tables. Every method on organisation data takes `organisationId` and puts it
 * in the WHERE clause; consent bases are platform data (managed by `customers:admin`).
 */
@Injectable()
export class ConsentsRepository {
  // Consent bases

  async listLatestBases(m: EntityManager): Promise<ConsentBase[]> {
    const rows: Row[] = await m.query(
      `SELECT DISTINCT ON (consent_code) ${BASE_COLUMNS} FROM consent_bases
        ORDER BY consent_code, version DESC`,
    );
    return rows.map(toBase);
  }

  async listBaseVersions(m: EntityManager, consentCode: string): Promise<ConsentBase[]> {
    const rows: Row[] = await m.query(
      `SELECT ${BASE_COLUMNS} FROM consent_bases WHERE consent_code = $1 ORDER BY version`,
      [consentCode],
    );
    return rows.map(toBase);
  }

  async findBase(
    m: EntityManager,
    consentCode: string,
    version: number,
    forUpdate = false,
  ): Promise<ConsentBase | null> {
    const rows: Row[] = await m.query(
      `SELECT ${BASE_COLUMNS} FROM consent_bases WHERE consent_code = $1 AND version = $2
        ${forUpdate ? 'FOR UPDATE' : ''}`,
      [consentCode, version],
    );
    return rows.length ? toBase(rows[0]) : null;
  }

  /** The given base versions, in one round trip. */
  async findBases(
    m: EntityManager,
    keys: { consentCode: string; version: number }[],
  ): Promise<ConsentBase[]> {
    if (!keys.length) {
      return [];
    }
    const rows: Row[] = await m.query(
      `SELECT ${BASE_COLUMNS} FROM consent_bases
        WHERE (consent_code, version) IN (SELECT * FROM unnest($1::text[], $2::int[]))`,
      [keys.map((k) => k.consentCode), keys.map((k) => k.version)],
    );
    return rows.map(toBase);
  }

  async insertBase(
    m: EntityManager,
    base: {
      organisationId: number;
      consentCode: string;
      version: number;
      terms: ConsentTerm[];
      internalDescription: string | null;
    },
    clientId: string,
    now: Date,
  ): Promise<ConsentBase> {
    const rows: Row[] = await m.query(
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
    return toBase(rows[0]);
  }

  async updateDraftBase(
    m: EntityManager,
    consentCode: string,
    version: number,
    change: { terms: ConsentTerm[]; internalDescription: string | null },
    clientId: string,
    now: Date,
  ): Promise<ConsentBase> {
    const rows = updatedRows(
      await m.query(
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
    return toBase(rows[0]);
  }

  async activateBase(
    m: EntityManager,
    consentCode: string,
    version: number,
    clientId: string,
    now: Date,
  ): Promise<ConsentBase> {
    const rows = updatedRows(
      await m.query(
        `UPDATE consent_bases SET activated_at = $3, changed_at = $3, changed_by_client = $4
        WHERE consent_code = $1 AND version = $2
        RETURNING ${BASE_COLUMNS}`,
        [consentCode, version, now, clientId],
      ),
    );
    return toBase(rows[0]);
  }

  // Consents

  async insertConsent(
    m: EntityManager,
    organisationId: number,
    consent: Omit<Consent, 'organisationId' | 'id' | 'createdAt' | 'changedAt'>,
    clientId: string,
    now: Date,
  ): Promise<Consent> {
    const rows: Row[] = await m.query(
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

  async findConsent(
    m: EntityManager,
    organisationId: number,
    id: number,
    forUpdate = false,
  ): Promise<Consent | null> {
    const rows: Row[] = await m.query(
      `SELECT ${CONSENT_COLUMNS} FROM consents c WHERE c.organisation_id = $1 AND c.id = $2
        ${forUpdate ? 'FOR UPDATE' : ''}`,
      [organisationId, id],
    );
    return rows.length ? toConsent(rows[0]) : null;
  }

  /** Consents of the organisation by id, in one round trip. */
  async findConsents(m: EntityManager, organisationId: number, ids: number[]): Promise<Consent[]> {
    if (!ids.length) {
      return [];
    }
    const rows: Row[] = await m.query(
      `SELECT ${CONSENT_COLUMNS} FROM consents c
        WHERE c.organisation_id = $1 AND c.id = ANY($2::bigint[])`,
      [organisationId, ids],
    );
    return rows.map(toConsent);
  }

  async updateConsent(
    m: EntityManager,
    organisationId: number,
    id: number,
    change: Pick<Consent, 'isSmsSupported' | 'isEmailSupported' | 'validFrom' | 'validTo'>,
    clientId: string,
    now: Date,
  ): Promise<Consent> {
    const rows = updatedRows(
      await m.query(
        `UPDATE consents AS c SET is_sms_supported = $3, is_email_supported = $4, valid_from = $5,
              valid_to = $6, changed_at = $7, changed_by_client = $8
        WHERE c.organisation_id = $1 AND c.id = $2
        RETURNING ${CONSENT_COLUMNS}`,
        [
          organisationId,
          id,
          change.isSmsSupported,
          change.isEmailSupported,
          change.validFrom,
          change.validTo,
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
  async listConsents(
    m: EntityManager,
    organisationId: number,
    query: ConsentQuery,
    now: Date,
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
    const rows: Row[] = await m.query(sql, params);
    return rows.map(toConsent);
  }

  // Given consents

  async insertGivenConsent(
    m: EntityManager,
    organisationId: number,
    given: Omit<GivenConsent, 'organisationId' | 'id' | 'consentCode' | 'revision'>,
    clientId: string,
  ): Promise<number> {
    const rows: Row[] = await m.query(
      `INSERT INTO given_consents (organisation_id, customer_number, consent_id, consent_choice,
         distribution_channel, expiration_date, email, country_code, telephone_number,
         created_at, created_by, changed_at, changed_by, changed_by_channel, changed_by_client)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)
       RETURNING id`,
      [
        organisationId,
        given.customerNumber,
        given.consentId,
        given.consentChoice,
        given.distributionChannel,
        given.expirationDate,
        given.email,
        given.countryCode,
        given.telephoneNumber,
        given.createdAt,
        given.createdBy,
        given.changedAt,
        given.changedBy,
        given.changedByChannel,
        clientId,
      ],
    );
    return Number(rows[0].id);
  }

  async findGivenConsent(
    m: EntityManager,
    organisationId: number,
    id: number,
    forUpdate = false,
  ): Promise<GivenConsent | null> {
    const rows: Row[] = await m.query(
      `SELECT ${GIVEN_COLUMNS} FROM given_consents g
         JOIN consents c ON c.organisation_id = g.organisation_id AND c.id = g.consent_id
        WHERE g.organisation_id = $1 AND g.id = $2 ${forUpdate ? 'FOR UPDATE OF g' : ''}`,
      [organisationId, id],
    );
    return rows.length ? toGivenConsent(rows[0]) : null;
  }

  async findGivenConsentOfCustomer(
    m: EntityManager,
    organisationId: number,
    customerNumber: number,
    consentId: number,
  ): Promise<GivenConsent | null> {
    const rows: Row[] = await m.query(
      `SELECT ${GIVEN_COLUMNS} FROM given_consents g
         JOIN consents c ON c.organisation_id = g.organisation_id AND c.id = g.consent_id
        WHERE g.organisation_id = $1 AND g.customer_number = $2 AND g.consent_id = $3
        FOR UPDATE OF g`,
      [organisationId, customerNumber, consentId],
    );
    return rows.length ? toGivenConsent(rows[0]) : null;
  }

  /** A customer's given consents in id order: all of them, or one page. */
  async listGivenConsentsOfCustomer(
    m: EntityManager,
    organisationId: number,
    customerNumber: number,
    forUpdate = false,
    page?: Page,
  ): Promise<GivenConsent[]> {
    const rows: Row[] = await m.query(
      `SELECT ${GIVEN_COLUMNS} FROM given_consents g
         JOIN consents c ON c.organisation_id = g.organisation_id AND c.id = g.consent_id
        WHERE g.organisation_id = $1 AND g.customer_number = $2 AND g.id > $3
        ORDER BY g.id ${page ? `LIMIT ${page.limit}` : ''} ${forUpdate ? 'FOR UPDATE OF g' : ''}`,
      [organisationId, customerNumber, (page?.after ?? 0n).toString()],
    );
    return rows.map(toGivenConsent);
  }

  /** Gives the record, with its history (keyed by the record's id), to another customer. */
  async moveGivenConsent(
    m: EntityManager,
    organisationId: number,
    id: number,
    toCustomerNumber: number,
  ): Promise<void> {
    await m.query(
      `UPDATE given_consents SET customer_number = $3 WHERE organisation_id = $1 AND id = $2`,
      [organisationId, id, toCustomerNumber],
    );
  }

  /** Deletes a given consent; its history goes with it (ON DELETE CASCADE), as at a purge. */
  async deleteGivenConsent(m: EntityManager, organisationId: number, id: number): Promise<void> {
    await m.query(`DELETE FROM given_consents WHERE organisation_id = $1 AND id = $2`, [
      organisationId,
      id,
    ]);
  }

  async updateGivenConsent(
    m: EntityManager,
    organisationId: number,
    given: GivenConsent,
    clientId: string,
  ): Promise<void> {
    await m.query(
      `UPDATE given_consents SET consent_choice = $3, distribution_channel = $4,
              expiration_date = $5, email = $6, country_code = $7, telephone_number = $8,
              revision = $9, changed_at = $10, changed_by = $11, changed_by_channel = $12,
              changed_by_client = $13
        WHERE organisation_id = $1 AND id = $2`,
      [
        organisationId,
        given.id,
        given.consentChoice,
        given.distributionChannel,
        given.expirationDate,
        given.email,
        given.countryCode,
        given.telephoneNumber,
        given.revision,
        given.changedAt,
        given.changedBy,
        given.changedByChannel,
        clientId,
      ],
    );
  }

  // History

  async appendHistory(
    m: EntityManager,
    organisationId: number,
    given: GivenConsent,
    event: GivenConsentEvent,
    clientId: string,
  ): Promise<void> {
    await m.query(
      `INSERT INTO given_consent_history (organisation_id, given_consent_id, revision, event,
         consent_choice, distribution_channel, expiration_date, changed_by, changed_by_channel,
         client_id, recorded_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
      [
        organisationId,
        given.id,
        given.revision,
        event,
        given.consentChoice,
        given.distributionChannel,
        given.expirationDate,
        given.changedBy,
        given.changedByChannel,
        clientId,
        given.changedAt,
      ],
    );
  }

  async listHistory(
    m: EntityManager,
    organisationId: number,
    givenConsentId: number,
  ): Promise<GivenConsentHistoryEntry[]> {
    const rows: Row[] = await m.query(
      `SELECT ${HISTORY_COLUMNS} FROM given_consent_history
        WHERE organisation_id = $1 AND given_consent_id = $2 ORDER BY revision`,
      [organisationId, givenConsentId],
    );
    return rows.map(toHistoryEntry);
  }

  /** The last history entry recorded at or before `at`. */
  async historyAt(
    m: EntityManager,
    organisationId: number,
    givenConsentId: number,
    at: Date,
  ): Promise<GivenConsentHistoryEntry | null> {
    const rows: Row[] = await m.query(
      `SELECT ${HISTORY_COLUMNS} FROM given_consent_history
        WHERE organisation_id = $1 AND given_consent_id = $2 AND recorded_at <= $3
        ORDER BY revision DESC LIMIT 1`,
      [organisationId, givenConsentId, at],
    );
    return rows.length ? toHistoryEntry(rows[0]) : null;
  }

  // Export

  /**
   * The query behind GET /crm, ordered by id so a cursor walks it in one stable pass. An expired
   * temporary profile and a deactivated one (deleted for partners, waiting for its purge) are
   * left out.
   */
  crmExportQuery(
    organisationId: number,
    options: CrmExportOptions,
    now: Date,
  ): { sql: string; params: unknown[] } {
    const params: unknown[] = [organisationId, now];
    let filter = '';
    if (options.consentIds?.length) {
      params.push(options.consentIds);
      filter = `AND g.consent_id = ANY($${params.length})`;
    }
    if (options.page) {
      params.push(options.page.after.toString());
      filter += ` AND g.id > $${params.length}`;
    }
    const email = options.includeEmail ? 'COALESCE(g.email, p.email)' : 'NULL';
    const phoneCountry = options.includeTelephoneNumber
      ? 'COALESCE(g.country_code, p.country_code)'
      : 'NULL';
    const phone = options.includeTelephoneNumber
      ? 'COALESCE(g.telephone_number, p.telephone_number_no_country_code, p.telephone_number)'
      : 'NULL';
    const sql = `
      SELECT g.id AS given_consent_id, g.consent_id, c.consent_code, c.consent_base_version,
             g.organisation_id, g.customer_number, p.customer_ref, g.consent_choice,
             g.distribution_channel, g.changed_at, ${email} AS email,
             ${phoneCountry} AS country_code, ${phone} AS telephone_number
        FROM given_consents g
        JOIN consents c ON c.organisation_id = g.organisation_id AND c.id = g.consent_id
        JOIN profiles p ON p.organisation_id = g.organisation_id
                       AND p.customer_number = g.customer_number
       WHERE g.organisation_id = $1 AND (p.expires_at IS NULL OR p.expires_at > $2)
         AND p.status <> '${DEACTIVATED}' ${filter}
       ORDER BY g.id ${options.page ? `LIMIT ${options.page.limit}` : ''}`;
    return { sql, params };
  }
}

/** TypeORM answers UPDATE … RETURNING with [rows, affected]; SELECT and INSERT with rows. */
function updatedRows(result: unknown): Row[] {
  return Array.isArray(result) && Array.isArray(result[0])
    ? (result[0] as Row[])
    : (result as Row[]);
}

function toBase(row: Row): ConsentBase {
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

function toConsent(row: Row): Consent {
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

function toGivenConsent(row: Row): GivenConsent {
  return {
    organisationId: row.organisation_id,
    id: Number(row.id),
    customerNumber: Number(row.customer_number),
    consentId: Number(row.consent_id),
    consentCode: row.consent_code,
    consentChoice: row.consent_choice,
    distributionChannel: row.distribution_channel,
    expirationDate: row.expiration_date,
    email: row.email,
    countryCode: row.country_code,
    telephoneNumber: row.telephone_number,
    revision: row.revision,
    createdAt: row.created_at,
    createdBy: row.created_by,
    changedAt: row.changed_at,
    changedBy: row.changed_by,
    changedByChannel: row.changed_by_channel,
  };
}

function toHistoryEntry(row: Row): GivenConsentHistoryEntry {
  return {
    givenConsentId: Number(row.given_consent_id),
    revision: row.revision,
    event: row.event,
    consentChoice: row.consent_choice,
    distributionChannel: row.distribution_channel,
    expirationDate: row.expiration_date,
    changedBy: row.changed_by,
    changedByChannel: row.changed_by_channel,
    clientId: row.client_id,
    recordedAt: row.recorded_at,
  };
}
