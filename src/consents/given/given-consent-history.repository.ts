import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { GivenConsent, GivenConsentEvent, GivenConsentHistoryEntry } from '../consent.model';

/** A row of `given_consent_history` as the statements below select it. */
interface GivenConsentHistoryRow {
  /** bigint, as text */
  given_consent_id: string;
  revision: number;
  event: GivenConsentEvent;
  consent_choice: boolean;
  distribution_channel: string;
  expiration_date: string | null;
  changed_by: string | null;
  changed_by_channel: string | null;
  client_id: string;
  recorded_at: Date;
}

const HISTORY_COLUMNS = `given_consent_id, revision, event, consent_choice, distribution_channel,
  expiration_date::text AS expiration_date, changed_by, changed_by_channel, client_id, recorded_at`;

/**
 * The table `given_consent_history`: one immutable entry per revision of a given consent,
 * appended in the change's transaction. Every statement is scoped to `organisationId`.
 */
@Injectable()
export class GivenConsentHistoryRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Records the given consent's current revision as `event`. */
  async append(
    organisationId: number,
    given: GivenConsent,
    event: GivenConsentEvent,
    clientId: string,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<void> {
    await manager.query(
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

  /** Every entry of the given consent, oldest first. */
  async list(
    organisationId: number,
    givenConsentId: number,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<GivenConsentHistoryEntry[]> {
    const rows: GivenConsentHistoryRow[] = await manager.query(
      `SELECT ${HISTORY_COLUMNS} FROM given_consent_history
        WHERE organisation_id = $1 AND given_consent_id = $2 ORDER BY revision`,
      [organisationId, givenConsentId],
    );
    return rows.map(toHistoryEntry);
  }

  /** The last entry recorded at or before `at`. */
  async findAt(
    organisationId: number,
    givenConsentId: number,
    at: Date,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<GivenConsentHistoryEntry | null> {
    const rows: GivenConsentHistoryRow[] = await manager.query(
      `SELECT ${HISTORY_COLUMNS} FROM given_consent_history
        WHERE organisation_id = $1 AND given_consent_id = $2 AND recorded_at <= $3
        ORDER BY revision DESC LIMIT 1`,
      [organisationId, givenConsentId, at],
    );
    return rows.length ? toHistoryEntry(rows[0]) : null;
  }
}

function toHistoryEntry(row: GivenConsentHistoryRow): GivenConsentHistoryEntry {
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
