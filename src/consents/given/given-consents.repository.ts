import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Page } from '../../common/http/page-query.dto';
import { ReadReplicas } from '../../database/read-replicas';
import { DEACTIVATED } from '../../profiles/profile-lifecycle';
import { CrmExportOptions, GivenConsent } from '../consent.model';

/** A row of `given_consents` (with its consent's code) as the statements below select it. */
interface GivenConsentRow {
  organisation_id: number;
  /** bigint, as text */
  id: string;
  customer_number: string;
  consent_id: string;
  consent_code: string;
  consent_choice: boolean;
  distribution_channel: string;
  expiration_date: string | null;
  email: string | null;
  country_code: string | null;
  telephone_number: string | null;
  revision: number;
  created_at: Date;
  created_by: string | null;
  changed_at: Date;
  changed_by: string | null;
  changed_by_channel: string | null;
}

const GIVEN_COLUMNS = `g.organisation_id, g.id, g.customer_number, g.consent_id, c.consent_code,
  g.consent_choice, g.distribution_channel, g.expiration_date::text AS expiration_date, g.email,
  g.country_code, g.telephone_number, g.revision, g.created_at, g.created_by, g.changed_at,
  g.changed_by, g.changed_by_channel`;

const FROM_GIVEN = `given_consents g
  JOIN consents c ON c.organisation_id = g.organisation_id AND c.id = g.consent_id`;

/** A row of the CRM export, raw from the driver (snake_case, bigint as text). */
export interface CrmExportRow {
  given_consent_id: string;
  consent_id: string;
  consent_code: string;
  consent_base_version: number;
  organisation_id: number;
  customer_number: string;
  customer_ref: string;
  consent_choice: boolean;
  distribution_channel: string;
  changed_at: Date;
  email: string | null;
  country_code: string | null;
  telephone_number: string | null;
}

export type NewGivenConsentRecord = Omit<
  GivenConsent,
  'organisationId' | 'id' | 'consentCode' | 'revision'
>;

/**
 * The table `given_consents`: a customer's current answer to a consent (its history is
 * `GivenConsentHistoryRepository`'s), and the CRM export that reads it. Every statement is scoped
 * to `organisationId`.
 */
@Injectable()
export class GivenConsentsRepository {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly replicas: ReadReplicas,
  ) {}

  /** The new record's id. */
  async insert(
    organisationId: number,
    given: NewGivenConsentRecord,
    clientId: string,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<number> {
    const rows: { id: string }[] = await manager.query(
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

  find(
    organisationId: number,
    id: number,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<GivenConsent | null> {
    return this.findOne(manager, organisationId, id, false);
  }

  /** The record, locked until the end of `manager`'s transaction. */
  findForUpdate(
    organisationId: number,
    id: number,
    manager: EntityManager,
  ): Promise<GivenConsent | null> {
    return this.findOne(manager, organisationId, id, true);
  }

  /** The customer's answer to the consent, locked until the end of `manager`'s transaction. */
  async findOfCustomerForUpdate(
    organisationId: number,
    customerNumber: number,
    consentId: number,
    manager: EntityManager,
  ): Promise<GivenConsent | null> {
    const rows: GivenConsentRow[] = await manager.query(
      `SELECT ${GIVEN_COLUMNS} FROM ${FROM_GIVEN}
        WHERE g.organisation_id = $1 AND g.customer_number = $2 AND g.consent_id = $3
        FOR UPDATE OF g`,
      [organisationId, customerNumber, consentId],
    );
    return rows.length ? toGivenConsent(rows[0]) : null;
  }

  /** A customer's given consents in id order: all of them, or one page. */
  listOfCustomer(
    organisationId: number,
    customerNumber: number,
    page?: Page,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<GivenConsent[]> {
    return this.listCustomer(manager, organisationId, customerNumber, page, false);
  }

  /** All of a customer's given consents, locked until the end of `manager`'s transaction. */
  listOfCustomerForUpdate(
    organisationId: number,
    customerNumber: number,
    manager: EntityManager,
  ): Promise<GivenConsent[]> {
    return this.listCustomer(manager, organisationId, customerNumber, undefined, true);
  }

  /** Gives the record, with its history (keyed by the record's id), to another customer. */
  async moveToCustomer(
    organisationId: number,
    id: number,
    toCustomerNumber: number,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<void> {
    await manager.query(
      `UPDATE given_consents SET customer_number = $3 WHERE organisation_id = $1 AND id = $2`,
      [organisationId, id, toCustomerNumber],
    );
  }

  /** Deletes a given consent; its history goes with it (ON DELETE CASCADE), as at a purge. */
  async delete(
    organisationId: number,
    id: number,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<void> {
    await manager.query(`DELETE FROM given_consents WHERE organisation_id = $1 AND id = $2`, [
      organisationId,
      id,
    ]);
  }

  async update(
    organisationId: number,
    given: GivenConsent,
    clientId: string,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<void> {
    await manager.query(
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

  /** One page of the CRM export (`options.page`): bounded, so read at once; a replica may serve it. */
  crmExportPage(
    organisationId: number,
    options: CrmExportOptions,
    now: Date,
  ): Promise<CrmExportRow[]> {
    const { sql, params } = crmExportQuery(organisationId, options, now);
    return this.replicas.lagTolerant((manager) => manager.query(sql, params));
  }

  /**
   * The whole CRM export in batches of `batchSize`, from a server-side cursor: memory stays flat
   * whatever the row count. The cursor holds one connection (and one REPEATABLE READ snapshot)
   * until the last batch is read or the consumer stops early; on a replica when one is usable.
   */
  async *crmExportBatches(
    organisationId: number,
    options: CrmExportOptions,
    now: Date,
    batchSize: number,
  ): AsyncGenerator<CrmExportRow[]> {
    const { sql, params } = crmExportQuery(organisationId, options, now);
    const runner = await this.replicas.lagTolerantSnapshot();
    try {
      await runner.query(`DECLARE crm_export NO SCROLL CURSOR FOR ${sql}`, params);
      for (;;) {
        const rows: CrmExportRow[] = await runner.query(`FETCH ${batchSize} FROM crm_export`);
        if (!rows.length) {
          break;
        }
        yield rows;
      }
      await runner.commitTransaction();
    } finally {
      if (runner.isTransactionActive) {
        await runner.rollbackTransaction();
      }
      await runner.release();
    }
  }

  private async findOne(
    manager: EntityManager,
    organisationId: number,
    id: number,
    forUpdate: boolean,
  ): Promise<GivenConsent | null> {
    const rows: GivenConsentRow[] = await manager.query(
      `SELECT ${GIVEN_COLUMNS} FROM ${FROM_GIVEN}
        WHERE g.organisation_id = $1 AND g.id = $2 ${forUpdate ? 'FOR UPDATE OF g' : ''}`,
      [organisationId, id],
    );
    return rows.length ? toGivenConsent(rows[0]) : null;
  }

  private async listCustomer(
    manager: EntityManager,
    organisationId: number,
    customerNumber: number,
    page: Page | undefined,
    forUpdate: boolean,
  ): Promise<GivenConsent[]> {
    const rows: GivenConsentRow[] = await manager.query(
      `SELECT ${GIVEN_COLUMNS} FROM ${FROM_GIVEN}
        WHERE g.organisation_id = $1 AND g.customer_number = $2 AND g.id > $3
        ORDER BY g.id ${page ? `LIMIT ${page.limit}` : ''} ${forUpdate ? 'FOR UPDATE OF g' : ''}`,
      [organisationId, customerNumber, (page?.after ?? 0n).toString()],
    );
    return rows.map(toGivenConsent);
  }
}

/**
 * The statement behind GET /crm, ordered by id so a cursor walks it in one stable pass. An expired
 * temporary profile and a deactivated one (deleted for partners, waiting for its purge) are left
 * out.
 */
function crmExportQuery(
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

function toGivenConsent(row: GivenConsentRow): GivenConsent {
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
