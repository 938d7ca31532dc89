import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { PreparedStatements } from '../database/prepared-statements';
import { ReadReplicas } from '../database/read-replicas';
import { resultRows } from '../database/query-result';
import { PhoneColumns } from './phone-number';
import { ProfileSearch, ProfileSearchFilter, TextMatch } from './profile-search';
import { EDITABLE_COLUMNS, ProfileColumnValues, ProfileEditableColumn } from './profile-columns';
import { ProfileRow } from './profile-row';

/**
 * The select list of a profile row, addresses included, so one round trip answers a lookup.
 * Dates go out as text (pg would turn them into local-time Date objects); `alias` is the profiles
 * table's alias in the surrounding statement.
 */
export function profileColumns(alias = 'p'): string {
  const p = alias;
  return `${p}.organisation_id, ${p}.customer_number::text AS customer_number, ${p}.uuid,
    ${p}.customer_ref, ${p}.profile_type, ${p}.status, ${p}.first_name, ${p}.surname, ${p}.email,
    ${p}.email_old, ${p}.country_code, ${p}.telephone_number_no_country_code, ${p}.telephone_number,
    ${p}.landline_number, ${p}.date_of_birth::text AS date_of_birth, ${p}.language_preference,
    ${p}.vipps_id, ${p}.invoice_organisation_id, ${p}.expiration_date::text AS expiration_date,
    ${p}.purge_at, ${p}.last_sign_in_from, ${p}.last_sign_in_at, ${p}.version, ${p}.created_at,
    ${p}.created_by, ${p}.created_by_channel, ${p}.changed_at, ${p}.changed_by,
    ${p}.changed_by_channel,
    COALESCE((SELECT json_agg(json_build_object(
        'id', a.id, 'addressLine1', a.address_line1, 'addressLine2', a.address_line2,
        'postCode', a.post_code, 'city', a.city, 'countryCode', a.country_code,
        'isPrimary', a.is_primary, 'createdAt', a.created_at, 'changedAt', a.changed_at)
        ORDER BY a.is_primary DESC, a.id)
      FROM postal_addresses a
      WHERE a.organisation_id = ${p}.organisation_id AND a.customer_number = ${p}.customer_number),
      '[]'::json) AS postal_addresses`;
}

/** A permanent profile: standard (`S`) or personnel-ticket (`P`); temporaries have their own routes. */
const PERMANENT = `p.profile_type <> 'T'`;

const FIND_PERMANENT_SQL = `SELECT ${profileColumns('p')} FROM profiles p
  WHERE p.organisation_id = $1 AND p.customer_number = $2 AND ${PERMANENT}`;

const FIND_BY_CUSTOMER_REF_SQL = `SELECT ${profileColumns('p')} FROM profiles p
  WHERE p.organisation_id = $1 AND p.customer_ref = $2 AND ${PERMANENT}`;

export type ProfileState = Pick<ProfileRow, 'version' | 'status' | 'profile_type'>;

/** What a restore needs to know of a profile, read under its row lock. */
export type RestorableState = ProfileState & Pick<ProfileRow, 'email_old' | 'purge_at'>;

/**
 * A profile locked for a connect or a merge: its kind, lifecycle and editable columns (the
 * survivor takes the other's value where its own is empty). Temporary profiles included.
 */
export interface MergeCandidate extends ProfileState {
  customer_number: string;
  expires_at: Date | null;
  has_password: boolean;
  columns: Record<ProfileEditableColumn, string | null>;
}

export interface UpdatedProfile {
  row: ProfileRow;
  /** The editable columns before the update, for the audit's list of changed fields. */
  previous: Record<string, unknown>;
}

/** What the access check of a per-customer route reads. */
export type AccessibleProfile = Pick<ProfileRow, 'profile_type' | 'status'>;

/** What a sign-in verifies: the only read of a password hash besides a password change's. */
export interface SignInCredentials {
  customer_number: string;
  password_hash: string | null;
}

export interface PasswordOwner extends Pick<ProfileRow, 'email'> {
  password_hash: string | null;
}

/** Every field of a temporary profile, written by its create and by its replace (null clears). */
export type TemporaryProfileValues = Pick<
  ProfileRow,
  | 'first_name'
  | 'surname'
  | 'email'
  | 'country_code'
  | 'telephone_number_no_country_code'
  | 'telephone_number'
  | 'landline_number'
  | 'date_of_birth'
  | 'language_preference'
> & { expiration_date: string; expires_at: Date };

/** Every field a conversion to a permanent profile sets; customer_ref null keeps the current one. */
export type ConvertedProfileValues = Omit<
  TemporaryProfileValues,
  'expiration_date' | 'expires_at'
> &
  Pick<ProfileRow, 'profile_type' | 'vipps_id' | 'invoice_organisation_id'> & {
    customer_ref: string | null;
    password_hash: string | null;
  };

/** One signal that another profile may be the same person, with its strength (0–1). */
export interface DuplicateSignalRow {
  customer_number: string;
  signal: 'EMAIL' | 'TELEPHONE_NUMBER' | 'NAME_AND_DATE_OF_BIRTH';
  strength: number;
}

/** The two purges: temporary profiles past their last day, deactivated ones past their purge time. */
export type PurgeKind = 'temporary' | 'deactivated';

/** Which profiles are due, per kind; each condition matches a partial index of `profiles`. */
const DUE: Record<PurgeKind, string> = {
  temporary: `profile_type = 'T' AND expires_at <= $1`,
  deactivated: `status = 'D' AND purge_at <= $1`,
};

/**
 * Data access of profiles: every statement on the `profiles` table. Each is raw, parametrised SQL
 * scoped by organisation_id (the isolation rule lives here; the expiry job's purge alone spans
 * organisations), returning raw rows: entity hydration would halve the throughput of the hot
 * lookups. A statement that belongs to a transaction takes its manager first; a read that may
 * also run alone takes one last, optionally, and falls back to the data source.
 */
@Injectable()
export class ProfilesRepository {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly prepared: PreparedStatements,
    private readonly replicas: ReadReplicas,
  ) {}

  /**
   * The hottest statement of the service: a prepared statement straight on the driver's pool, so
   * each connection plans it once instead of on every lookup. Readiness runs it too.
   */
  async findPermanent(organisationId: number, customerNumber: number): Promise<ProfileRow | null> {
    const rows = await this.prepared.query<ProfileRow>(
      'profiles_find_permanent',
      FIND_PERMANENT_SQL,
      [organisationId, customerNumber],
    );
    return rows[0] ?? null;
  }

  async findPermanentByCustomerRef(
    organisationId: number,
    customerRef: string,
  ): Promise<ProfileRow | null> {
    const rows = await this.prepared.query<ProfileRow>(
      'profiles_find_by_customer_ref',
      FIND_BY_CUSTOMER_REF_SQL,
      [organisationId, customerRef],
    );
    return rows[0] ?? null;
  }

  /**
   * The permanent profile that holds a customer account id. The lookup goes through
   * uq_customer_accounts_account_id (organisation_id, account_id), then the profiles primary key.
   */
  async findPermanentByCustomerAccount(
    organisationId: number,
    accountId: string,
  ): Promise<ProfileRow | null> {
    const rows: ProfileRow[] = await this.dataSource.query(
      `SELECT ${profileColumns('p')} FROM customer_accounts ca
         JOIN profiles p
           ON p.organisation_id = ca.organisation_id AND p.customer_number = ca.customer_number
        WHERE ca.organisation_id = $1 AND ca.account_id = $2 AND ${PERMANENT}`,
      [organisationId, accountId],
    );
    return rows[0] ?? null;
  }

  async state(
    manager: EntityManager,
    organisationId: number,
    customerNumber: number,
  ): Promise<ProfileState | null> {
    const rows: ProfileState[] = await manager.query(
      `SELECT p.version, p.status, p.profile_type FROM profiles p
        WHERE p.organisation_id = $1 AND p.customer_number = $2 AND ${PERMANENT}`,
      [organisationId, customerNumber],
    );
    return rows[0] ?? null;
  }

  /** The stored phone columns of a permanent profile, locked for the change that merges them. */
  async lockPhoneColumns(
    manager: EntityManager,
    organisationId: number,
    customerNumber: number,
  ): Promise<PhoneColumns | null> {
    const rows: PhoneColumns[] = await manager.query(
      `SELECT p.country_code, p.telephone_number_no_country_code, p.telephone_number
         FROM profiles p
        WHERE p.organisation_id = $1 AND p.customer_number = $2 AND ${PERMANENT}
          FOR UPDATE`,
      [organisationId, customerNumber],
    );
    return rows[0] ?? null;
  }

  /** The profiles a search matches, by customer number, at most `search.limit` of them. */
  async search(search: ProfileSearch): Promise<ProfileRow[]> {
    const { sql, params } = profileSearchStatement(search);
    // One prepared statement per shape of search (which criteria, which page size), up to a
    // bound; rarer shapes beyond it go unnamed.
    return this.prepared.query<ProfileRow>(searchStatementName(sql), sql, params);
  }

  /** The same search on a usable read replica (else the primary), for callers that accept lag. */
  searchLagTolerant(search: ProfileSearch): Promise<ProfileRow[]> {
    const { sql, params } = profileSearchStatement(search);
    return this.replicas.lagTolerant((manager) => manager.query(sql, params));
  }

  /**
   * Inserts a permanent profile (standard unless `profile_type` says P). The customer number comes from the global sequence in the same
   * statement, so customerRef can default to it.
   */
  async insert(
    manager: EntityManager,
    organisationId: number,
    values: ProfileColumnValues & {
      uuid: string;
      password_hash: string | null;
      created_by: string;
      created_by_channel: string;
      now: Date;
    },
  ): Promise<ProfileRow> {
    const rows: ProfileRow[] = await manager.query(
      `WITH n AS (SELECT nextval('customer_number_seq') AS customer_number)
       INSERT INTO profiles AS p
         (organisation_id, customer_number, uuid, customer_ref, profile_type, status,
          first_name, surname, email, country_code, telephone_number_no_country_code,
          telephone_number, landline_number, date_of_birth, language_preference, vipps_id,
          invoice_organisation_id, password_hash, created_at, created_by, created_by_channel,
          changed_at, changed_by, changed_by_channel)
       SELECT $1, n.customer_number, $2, COALESCE($3, n.customer_number::text), $19, 'A',
          $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $16, $17, $18
         FROM n
       RETURNING ${profileColumns('p')}`,
      [
        organisationId,
        values.uuid,
        values.customer_ref ?? null,
        values.first_name ?? null,
        values.surname ?? null,
        values.email ?? null,
        values.country_code ?? null,
        values.telephone_number_no_country_code ?? null,
        values.telephone_number ?? null,
        values.landline_number ?? null,
        values.date_of_birth ?? null,
        values.language_preference ?? null,
        values.vipps_id ?? null,
        values.invoice_organisation_id ?? null,
        values.password_hash,
        values.now,
        values.created_by,
        values.created_by_channel,
        values.profile_type ?? 'S',
      ],
    );
    return rows[0];
  }

  /**
   * Inserts many permanent profiles in one statement (the bulk import), in the given order. A row
   * that a unique index refuses (e-mail or customerRef taken meanwhile) is skipped, not an error:
   * the rows returned (uuid, customer number) are the ones written.
   */
  async insertMany(
    manager: EntityManager,
    organisationId: number,
    rows: (ProfileColumnValues & {
      uuid: string;
      password_hash: string | null;
      created_by: string;
      created_by_channel: string;
    })[],
    now: Date,
  ): Promise<{ uuid: string; customer_number: string }[]> {
    const columns = [
      'uuid',
      'customer_ref',
      'first_name',
      'surname',
      'email',
      'country_code',
      'telephone_number_no_country_code',
      'telephone_number',
      'landline_number',
      'date_of_birth',
      'language_preference',
      'vipps_id',
      'invoice_organisation_id',
      'password_hash',
      'created_by',
      'created_by_channel',
    ] as const;
    return manager.query(
      `INSERT INTO profiles AS p
         (organisation_id, customer_number, uuid, customer_ref, profile_type, status,
          first_name, surname, email, country_code, telephone_number_no_country_code,
          telephone_number, landline_number, date_of_birth, language_preference, vipps_id,
          invoice_organisation_id, password_hash, created_at, created_by, created_by_channel,
          changed_at, changed_by, changed_by_channel)
       SELECT $1, v.customer_number, v.uuid, COALESCE(v.customer_ref, v.customer_number::text),
              'S', 'A', v.first_name, v.surname, v.email, v.country_code,
              v.telephone_number_no_country_code, v.telephone_number, v.landline_number,
              v.date_of_birth::date, v.language_preference, v.vipps_id, v.invoice_organisation_id,
              v.password_hash, $2, v.created_by, v.created_by_channel, $2, v.created_by,
              v.created_by_channel
         FROM (SELECT u.*, nextval('customer_number_seq') AS customer_number
                 FROM unnest(${columns.map((_, i) => `$${i + 3}::text[]`).join(', ')})
                      WITH ORDINALITY AS u(${columns.join(', ')}, ord)
                ORDER BY u.ord) v
       ON CONFLICT DO NOTHING
       RETURNING p.uuid, p.customer_number::text AS customer_number`,
      [
        organisationId,
        now,
        ...columns.map((column) =>
          rows.map((row) => (row as Record<string, string | null | undefined>)[column] ?? null),
        ),
      ],
    );
  }

  /**
   * One atomic UPDATE of the given columns of an active permanent profile, with version + 1; with
   * `expectedVersion` it only applies to that version (optimistic locking without a read first).
   * The row locked in the FROM subquery yields the previous values. Null: nothing matched.
   */
  async update(
    manager: EntityManager,
    organisationId: number,
    customerNumber: number,
    changes: Partial<Record<ProfileEditableColumn, string | null>>,
    meta: { changedBy: string; changedByChannel: string; now: Date },
    expectedVersion?: number,
  ): Promise<UpdatedProfile | null> {
    const params: unknown[] = [
      organisationId,
      customerNumber,
      meta.now,
      meta.changedBy,
      meta.changedByChannel,
    ];
    const sets = Object.entries(changes).map(([column, value]) => {
      params.push(value);
      // customerRef cleared (merge patch null) returns to the customer number.
      return column === 'customer_ref'
        ? `customer_ref = COALESCE($${params.length}, p.customer_number::text)`
        : `${column} = $${params.length}${column === 'date_of_birth' ? '::date' : ''}`;
    });
    let versionCheck = '';
    if (expectedVersion !== undefined) {
      params.push(expectedVersion);
      versionCheck = `AND p.version = $${params.length}`;
    }
    const columns = Object.keys(changes)
      .map((c) => `, ${c}`)
      .join('');
    const rows = resultRows<ProfileRow & { previous: Record<string, unknown> }>(
      await manager.query(
        `UPDATE profiles AS p
          SET ${[...sets, 'version = p.version + 1', 'changed_at = $3', 'changed_by = $4', 'changed_by_channel = $5'].join(', ')}
         FROM (SELECT organisation_id, customer_number${columns}
                 FROM profiles
                WHERE organisation_id = $1 AND customer_number = $2
                  FOR UPDATE) prev
        WHERE p.organisation_id = prev.organisation_id AND p.customer_number = prev.customer_number
          AND ${PERMANENT} AND p.status <> 'D' ${versionCheck}
       RETURNING ${profileColumns('p')}, to_jsonb(prev) AS previous`,
        params,
      ),
    );
    if (!rows.length) {
      return null;
    }
    const { previous, ...row } = rows[0];
    return { row, previous };
  }

  /** The profile's lifecycle state, locked until the end of `manager`'s transaction. */
  async lockForRestore(
    manager: EntityManager,
    organisationId: number,
    customerNumber: number,
  ): Promise<RestorableState | null> {
    const rows: RestorableState[] = await manager.query(
      `SELECT p.version, p.status, p.profile_type, p.email_old, p.purge_at FROM profiles p
        WHERE p.organisation_id = $1 AND p.customer_number = $2 AND ${PERMANENT}
          FOR UPDATE`,
      [organisationId, customerNumber],
    );
    return rows[0] ?? null;
  }

  /** Whether another permanent profile of the organisation holds this e-mail (any case). */
  async emailTaken(
    manager: EntityManager,
    organisationId: number,
    email: string,
    exceptCustomerNumber: number,
  ): Promise<boolean> {
    const rows: unknown[] = await manager.query(
      `SELECT 1 FROM profiles p
        WHERE p.organisation_id = $1 AND lower(p.email) = lower($2) AND ${PERMANENT}
          AND p.customer_number <> $3
        LIMIT 1`,
      [organisationId, email, exceptCustomerNumber],
    );
    return rows.length > 0;
  }

  /** Undoes a deactivation: active again, the e-mail back from email_old, no purge. */
  async restore(
    manager: EntityManager,
    organisationId: number,
    customerNumber: number,
    meta: { changedBy: string; changedByChannel: string; now: Date },
  ): Promise<ProfileRow> {
    const rows = resultRows<ProfileRow>(
      await manager.query(
        `UPDATE profiles AS p
          SET status = 'A', email = p.email_old, email_old = NULL, purge_at = NULL,
              version = p.version + 1, changed_at = $3, changed_by = $4, changed_by_channel = $5
        WHERE p.organisation_id = $1 AND p.customer_number = $2 AND ${PERMANENT}
       RETURNING ${profileColumns('p')}`,
        [organisationId, customerNumber, meta.now, meta.changedBy, meta.changedByChannel],
      ),
    );
    return rows[0];
  }

  /**
   * Deactivates: status D, the e-mail moves to email_old (freeing it at once), purge scheduled.
   * Repeating it on a deactivated profile only moves the purge time. A personnel-ticket profile
   * (P) never matches, so a concurrent change of its type cannot slip between check and write.
   */
  async deactivate(
    manager: EntityManager,
    organisationId: number,
    customerNumber: number,
    meta: { purgeAt: Date; changedBy: string; changedByChannel: string; now: Date },
    expectedVersion?: number,
  ): Promise<ProfileRow | null> {
    const params: unknown[] = [
      organisationId,
      customerNumber,
      meta.purgeAt,
      meta.now,
      meta.changedBy,
      meta.changedByChannel,
    ];
    if (expectedVersion !== undefined) {
      params.push(expectedVersion);
    }
    const rows = resultRows<ProfileRow>(
      await manager.query(
        `UPDATE profiles AS p
          SET status = 'D', email_old = COALESCE(p.email, p.email_old), email = NULL,
              purge_at = $3, version = p.version + 1, changed_at = $4, changed_by = $5,
              changed_by_channel = $6
        WHERE p.organisation_id = $1 AND p.customer_number = $2 AND p.profile_type = 'S'
          ${expectedVersion !== undefined ? 'AND p.version = $7' : ''}
       RETURNING ${profileColumns('p')}`,
        params,
      ),
    );
    return rows[0] ?? null;
  }
  /**
   * Locks the given profiles of the organisation (any kind) for a connect or a merge, one statement
   * per row in ascending customer number, so two requests naming the same pair in either order
   * wait for each other instead of deadlocking. Missing ones are absent from the map.
   */
  async lockForMerge(
    manager: EntityManager,
    organisationId: number,
    customerNumbers: number[],
  ): Promise<Map<number, MergeCandidate>> {
    const locked = new Map<number, MergeCandidate>();
    const editable = Object.values(EDITABLE_COLUMNS)
      .map((c) => (c === 'date_of_birth' ? 'p.date_of_birth::text' : `p.${c}`))
      .join(', ');
    for (const customerNumber of [...new Set(customerNumbers)].sort((a, b) => a - b)) {
      const rows: Record<string, unknown>[] = await manager.query(
        `SELECT p.customer_number::text AS customer_number, p.profile_type, p.status, p.version,
                p.expires_at, p.password_hash IS NOT NULL AS has_password,
                json_build_array(${editable}) AS columns
           FROM profiles p
          WHERE p.organisation_id = $1 AND p.customer_number = $2
            FOR UPDATE`,
        [organisationId, customerNumber],
      );
      if (rows.length) {
        const { columns, ...row } = rows[0];
        const values = columns as (string | null)[];
        locked.set(customerNumber, {
          ...(row as Omit<MergeCandidate, 'columns'>),
          columns: Object.fromEntries(
            Object.values(EDITABLE_COLUMNS).map((c, i) => [c, values[i]]),
          ) as MergeCandidate['columns'],
        });
      }
    }
    return locked;
  }

  /** Whether another profile of the organisation holds this customerRef. */
  async customerRefTaken(
    manager: EntityManager,
    organisationId: number,
    customerRef: string,
    exceptCustomerNumber: number,
  ): Promise<boolean> {
    const rows: unknown[] = await manager.query(
      `SELECT 1 FROM profiles p
        WHERE p.organisation_id = $1 AND p.customer_ref = $2 AND p.customer_number <> $3
        LIMIT 1`,
      [organisationId, customerRef, exceptCustomerNumber],
    );
    return rows.length > 0;
  }

  /** The survivor of a merge takes the source's password hash when it has none of its own. */
  async adoptPasswordHash(
    manager: EntityManager,
    organisationId: number,
    survivor: number,
    source: number,
  ): Promise<void> {
    await manager.query(
      `UPDATE profiles AS s SET password_hash = src.password_hash
         FROM profiles src
        WHERE s.organisation_id = $1 AND s.customer_number = $2 AND s.password_hash IS NULL
          AND src.organisation_id = $1 AND src.customer_number = $3`,
      [organisationId, survivor, source],
    );
  }

  /**
   * Deactivates the source of a merge as DELETE does (status D, purge scheduled), first releasing
   * what its survivor takes over: the e-mail (then not kept in email_old either), the customerRef
   * (back to the customer number) and the password hash. Runs before the survivor's update, so the
   * organisation's unique e-mail and customerRef hold at every statement.
   */
  async deactivateMergedSource(
    manager: EntityManager,
    organisationId: number,
    customerNumber: number,
    release: { email: boolean; customerRef: boolean; passwordHash: boolean },
    meta: { purgeAt: Date; changedBy: string; changedByChannel: string; now: Date },
  ): Promise<ProfileRow> {
    const rows = resultRows<ProfileRow>(
      await manager.query(
        `UPDATE profiles AS p
          SET status = 'D',
              email_old = CASE WHEN $3 THEN NULL ELSE COALESCE(p.email, p.email_old) END,
              email = NULL,
              customer_ref = CASE WHEN $4 THEN p.customer_number::text ELSE p.customer_ref END,
              password_hash = CASE WHEN $5 THEN NULL ELSE p.password_hash END,
              purge_at = $6, version = p.version + 1, changed_at = $7, changed_by = $8,
              changed_by_channel = $9
        WHERE p.organisation_id = $1 AND p.customer_number = $2 AND ${PERMANENT}
       RETURNING ${profileColumns('p')}`,
        [
          organisationId,
          customerNumber,
          release.email,
          release.customerRef,
          release.passwordHash,
          meta.purgeAt,
          meta.now,
          meta.changedBy,
          meta.changedByChannel,
        ],
      ),
    );
    return rows[0];
  }

  /**
   * The kind and lifecycle of a profile of the organisation, permanent or live temporary (any
   * other answers null): what every per-customer route checks first. With `forShare`, in
   * `manager`'s transaction, the row stays share-locked until it ends, so a concurrent
   * deactivation waits for the write that checked it.
   */
  async findAccessible(
    organisationId: number,
    customerNumber: number,
    now: Date,
    manager: EntityManager = this.dataSource.manager,
    forShare = false,
  ): Promise<AccessibleProfile | null> {
    const rows: AccessibleProfile[] = await manager.query(
      `SELECT profile_type, status FROM profiles
        WHERE organisation_id = $1 AND customer_number = $2
          AND (expires_at IS NULL OR expires_at > $3) ${forShare ? 'FOR SHARE' : ''}`,
      [organisationId, customerNumber, now],
    );
    return rows[0] ?? null;
  }

  /**
   * The instant a deactivation given a date-only expirationDate purges at: the end of that day in
   * `timeZone`, as the database's time zone rules place it.
   */
  async purgeTimeOfDate(manager: EntityManager, date: string, timeZone: string): Promise<Date> {
    const rows: { purge_at: Date }[] = await manager.query(
      `SELECT (($1::date + 1)::timestamp AT TIME ZONE $2) AS purge_at`,
      [date, timeZone],
    );
    return new Date(rows[0].purge_at);
  }

  /**
   * The sign-in credentials of the one permanent, not deactivated profile with this e-mail (given
   * in normal form); temporary profiles have no login.
   */
  async findSignInCredentials(
    organisationId: number,
    email: string,
  ): Promise<SignInCredentials | null> {
    const rows: SignInCredentials[] = await this.dataSource.query(
      `SELECT customer_number::text AS customer_number, password_hash FROM profiles
        WHERE organisation_id = $1 AND email IS NOT NULL AND lower(email) = lower($2)
          AND profile_type <> 'T' AND status <> 'D'`,
      [organisationId, email],
    );
    return rows[0] ?? null;
  }

  /** The stored password hash and e-mail of a profile, for a password change. */
  async findPasswordOwner(
    organisationId: number,
    customerNumber: number,
  ): Promise<PasswordOwner | null> {
    const rows: PasswordOwner[] = await this.dataSource.query(
      `SELECT password_hash, email FROM profiles WHERE organisation_id = $1 AND customer_number = $2`,
      [organisationId, customerNumber],
    );
    return rows[0] ?? null;
  }

  /**
   * Records a sign-in: where from and when, not an edit (version and changedAt stay). With
   * `upgradedHash`, the password hash becomes it, but only if it is still `verifiedHash` (a
   * concurrent change wins). Null: the profile is gone.
   */
  async recordSignIn(
    manager: EntityManager,
    organisationId: number,
    customerNumber: number,
    signIn: { from: string; at: Date; upgradedHash: string | null; verifiedHash: string },
  ): Promise<{ row: ProfileRow; rehashed: boolean } | null> {
    const rows = resultRows<ProfileRow & { rehashed: boolean }>(
      await manager.query(
        `UPDATE profiles p SET last_sign_in_from = $3, last_sign_in_at = $4,
                password_hash = CASE WHEN $5::text IS NOT NULL AND p.password_hash = $6
                                     THEN $5::text ELSE p.password_hash END
          WHERE p.organisation_id = $1 AND p.customer_number = $2
          RETURNING ${profileColumns('p')},
                    ($5::text IS NOT NULL AND p.password_hash = $5::text) AS rehashed`,
        [
          organisationId,
          customerNumber,
          signIn.from,
          signIn.at,
          signIn.upgradedHash,
          signIn.verifiedHash,
        ],
      ),
    );
    if (!rows.length) {
      return null;
    }
    const { rehashed, ...row } = rows[0];
    return { row, rehashed };
  }

  /**
   * Sets the password hash if the profile has none yet, or whatever it has with `replace`: the
   * check and the write in one statement. False: a password was set and `replace` was not given.
   */
  async setPasswordHashIfAllowed(
    manager: EntityManager,
    organisationId: number,
    customerNumber: number,
    passwordHash: string,
    replace: boolean,
  ): Promise<boolean> {
    const result: unknown = await manager.query(
      `UPDATE profiles SET password_hash = $3
        WHERE organisation_id = $1 AND customer_number = $2
          AND ($4 OR password_hash IS NULL)
       RETURNING 1`,
      [organisationId, customerNumber, passwordHash, replace],
    );
    return resultRows(result).length > 0;
  }

  /** A live temporary profile of the organisation; expired, foreign or permanent ones are null. */
  async findLiveTemporary(
    organisationId: number,
    customerNumber: number,
    now: Date,
  ): Promise<ProfileRow | null> {
    const rows: ProfileRow[] = await this.dataSource.query(
      `SELECT ${profileColumns('p')} FROM profiles p
        WHERE p.organisation_id = $1 AND p.customer_number = $2 AND p.profile_type = 'T'
          AND p.expires_at > $3`,
      [organisationId, customerNumber, now],
    );
    return rows[0] ?? null;
  }

  /** As {@link findLiveTemporary}, its version locked until the end of `manager`'s transaction. */
  async lockLiveTemporary(
    manager: EntityManager,
    organisationId: number,
    customerNumber: number,
    now: Date,
  ): Promise<Pick<ProfileRow, 'version'> | null> {
    const rows: Pick<ProfileRow, 'version'>[] = await manager.query(
      `SELECT p.version FROM profiles p
        WHERE p.organisation_id = $1 AND p.customer_number = $2 AND p.profile_type = 'T'
          AND p.expires_at > $3
          FOR UPDATE`,
      [organisationId, customerNumber, now],
    );
    return rows[0] ?? null;
  }

  /**
   * Inserts a temporary profile; its customer number comes from the global sequence in the same
   * statement, and is its customerRef too.
   */
  async insertTemporary(
    manager: EntityManager,
    organisationId: number,
    values: TemporaryProfileValues & {
      uuid: string;
      created_by: string;
      created_by_channel: string;
      now: Date;
    },
  ): Promise<ProfileRow> {
    const rows: ProfileRow[] = await manager.query(
      `WITH n AS (SELECT nextval('customer_number_seq') AS customer_number)
       INSERT INTO profiles AS p
         (organisation_id, customer_number, uuid, customer_ref, profile_type, status,
          first_name, surname, email, country_code, telephone_number_no_country_code,
          telephone_number, landline_number, date_of_birth, language_preference, expiration_date,
          expires_at, version, created_at, created_by, created_by_channel, changed_at, changed_by,
          changed_by_channel)
       SELECT $1, n.customer_number, $2, n.customer_number::text, 'T', 'A',
          $3, $4, $5, $6, $7, $8, $9, $10::date, $11, $12::date, $13::timestamptz, 1,
          $14::timestamptz, $15, $16, $14::timestamptz, $15, $16
         FROM n
       RETURNING ${profileColumns('p')}`,
      [
        organisationId,
        values.uuid,
        ...temporaryValues(values),
        values.now,
        values.created_by,
        values.created_by_channel,
      ],
    );
    return rows[0];
  }

  /** Overwrites every field of a temporary profile (a PUT), with version + 1. */
  async replaceTemporary(
    manager: EntityManager,
    organisationId: number,
    customerNumber: number,
    values: TemporaryProfileValues,
    meta: { changedBy: string; changedByChannel: string; now: Date },
  ): Promise<ProfileRow> {
    const rows = resultRows<ProfileRow>(
      await manager.query(
        `UPDATE profiles AS p
            SET first_name = $3, surname = $4, email = $5, country_code = $6,
                telephone_number_no_country_code = $7, telephone_number = $8,
                landline_number = $9, date_of_birth = $10::date, language_preference = $11,
                expiration_date = $12::date, expires_at = $13, version = p.version + 1,
                changed_at = $14, changed_by = $15, changed_by_channel = $16
          WHERE p.organisation_id = $1 AND p.customer_number = $2 AND p.profile_type = 'T'
         RETURNING ${profileColumns('p')}`,
        [
          organisationId,
          customerNumber,
          ...temporaryValues(values),
          meta.now,
          meta.changedBy,
          meta.changedByChannel,
        ],
      ),
    );
    return rows[0];
  }

  /**
   * Makes a temporary profile permanent under its customer number: every field set as a create
   * sets it (customerRef kept when none is given), no expiry, version + 1.
   */
  async convertTemporary(
    manager: EntityManager,
    organisationId: number,
    customerNumber: number,
    values: ConvertedProfileValues,
    meta: { changedBy: string; changedByChannel: string; now: Date },
  ): Promise<ProfileRow> {
    const rows = resultRows<ProfileRow>(
      await manager.query(
        `UPDATE profiles AS p
            SET profile_type = $3, status = 'A', customer_ref = COALESCE($4, p.customer_ref),
                first_name = $5, surname = $6, email = $7, country_code = $8,
                telephone_number_no_country_code = $9, telephone_number = $10,
                landline_number = $11, date_of_birth = $12::date, language_preference = $13,
                vipps_id = $14, invoice_organisation_id = $15, password_hash = $16,
                expiration_date = NULL, expires_at = NULL, version = p.version + 1,
                changed_at = $17, changed_by = $18, changed_by_channel = $19
          WHERE p.organisation_id = $1 AND p.customer_number = $2 AND p.profile_type = 'T'
         RETURNING ${profileColumns('p')}`,
        [
          organisationId,
          customerNumber,
          values.profile_type,
          values.customer_ref,
          values.first_name,
          values.surname,
          values.email,
          values.country_code,
          values.telephone_number_no_country_code,
          values.telephone_number,
          values.landline_number,
          values.date_of_birth,
          values.language_preference,
          values.vipps_id,
          values.invoice_organisation_id,
          values.password_hash,
          meta.now,
          meta.changedBy,
          meta.changedByChannel,
        ],
      ),
    );
    return rows[0];
  }

  /**
   * Profiles of the organisation likely the same person as the given one, one row per matching
   * signal: the same e-mail, the same E.164 telephone number, or the same date of birth with a
   * full name at least `nameSimilarity` alike (pg_trgm). Live profiles only, temporaries included.
   * Duplicate detection tolerates lag: a usable read replica answers it.
   */
  async findDuplicateSignals(
    organisationId: number,
    customerNumber: number,
    now: Date,
    nameSimilarity: number,
  ): Promise<DuplicateSignalRow[]> {
    // Each branch names the organisation itself (a CTE used four times would be materialised
    // whole), so every probe is an index scan of one key.
    const others = `p.organisation_id = $1 AND p.customer_number <> $2
      AND (p.expires_at IS NULL OR p.expires_at > $3)`;
    return this.replicas.lagTolerant((manager) =>
      manager.query(
        `WITH me AS MATERIALIZED (
         SELECT lower(email) AS email, telephone_number, date_of_birth,
                lower(concat_ws(' ', first_name, surname)) AS full_name
           FROM profiles WHERE organisation_id = $1 AND customer_number = $2)
       SELECT p.customer_number::text AS customer_number, 'EMAIL' AS signal, 1::float8 AS strength
         FROM profiles p, me
        WHERE ${others} AND lower(p.email) = me.email AND p.profile_type <> 'T'
       UNION ALL
       SELECT p.customer_number::text, 'EMAIL', 1
         FROM profiles p, me
        WHERE ${others} AND lower(p.email) = me.email AND p.profile_type = 'T'
       UNION ALL
       SELECT p.customer_number::text, 'TELEPHONE_NUMBER', 1
         FROM profiles p, me
        WHERE ${others} AND p.telephone_number = me.telephone_number
       UNION ALL
       SELECT named.customer_number::text, 'NAME_AND_DATE_OF_BIRTH', named.similarity
         FROM (SELECT p.customer_number,
                      similarity(lower(concat_ws(' ', p.first_name, p.surname)), me.full_name)::float8
                        AS similarity
                 FROM profiles p, me
                WHERE ${others} AND p.date_of_birth = me.date_of_birth) named
        WHERE named.similarity >= $4`,
        [organisationId, customerNumber, now, nameSimilarity],
      ),
    );
  }

  /**
   * The profiles of the organisation (any kind) with these customer numbers, in no order; for
   * duplicate detection, so a usable read replica answers it.
   */
  async findByCustomerNumbers(
    organisationId: number,
    customerNumbers: string[],
  ): Promise<ProfileRow[]> {
    return this.replicas.lagTolerant((manager) =>
      manager.query(
        `SELECT ${profileColumns('p')} FROM profiles p
          WHERE p.organisation_id = $1 AND p.customer_number = ANY($2::bigint[])`,
        [organisationId, customerNumbers],
      ),
    );
  }

  /** How many profiles of every organisation are due for the purge of this kind at `now`. */
  async countDue(
    kind: PurgeKind,
    now: Date,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<number> {
    const [{ n }]: { n: number }[] = await manager.query(
      `SELECT count(*)::int AS n FROM profiles WHERE ${DUE[kind]}`,
      [now],
    );
    return n;
  }

  /**
   * Deletes for good up to `batchSize` profiles due for the purge of this kind, across
   * organisations, with what hangs on them (ON DELETE CASCADE); rows a request has locked are
   * skipped (SKIP LOCKED) and left to a later run. Answers the keys of those deleted.
   */
  async deleteDueBatch(
    manager: EntityManager,
    kind: PurgeKind,
    now: Date,
    batchSize: number,
  ): Promise<{ organisation_id: number; customer_number: string }[]> {
    return resultRows(
      await manager.query(
        `WITH due AS (
           SELECT organisation_id, customer_number FROM profiles
            WHERE ${DUE[kind]}
            LIMIT $2
            FOR UPDATE SKIP LOCKED
         )
         DELETE FROM profiles p USING due
          WHERE p.organisation_id = due.organisation_id AND p.customer_number = due.customer_number
         RETURNING p.organisation_id, p.customer_number`,
        [now, batchSize],
      ),
    );
  }

  /**
   * Deletes a temporary profile for good; what hangs on it goes with it (ON DELETE CASCADE).
   * Whether it is still live is the caller's check, made under the row lock.
   */
  async deleteTemporary(
    manager: EntityManager,
    organisationId: number,
    customerNumber: number,
  ): Promise<void> {
    await manager.query(
      `DELETE FROM profiles
        WHERE organisation_id = $1 AND customer_number = $2 AND profile_type = 'T'`,
      [organisationId, customerNumber],
    );
  }

  /**
   * Which of the e-mails (in normal form) and customerRefs the organisation's profiles hold: the
   * bulk import's duplicate check, for a batch at once. A temporary profile's e-mail is not taken.
   */
  async findTakenEmailsAndCustomerRefs(
    organisationId: number,
    emails: string[],
    customerRefs: string[],
    manager: EntityManager = this.dataSource.manager,
  ): Promise<{ emails: string[]; customerRefs: string[] }> {
    const rows: { field: 'email' | 'customerRef'; value: string }[] = await manager.query(
      `SELECT 'email' AS field, lower(email) AS value FROM profiles
        WHERE organisation_id = $1 AND email IS NOT NULL AND profile_type <> 'T'
          AND lower(email) = ANY($2::text[])
       UNION ALL
       SELECT 'customerRef', customer_ref FROM profiles
        WHERE organisation_id = $1 AND customer_ref = ANY($3::text[])`,
      [organisationId, emails, customerRefs],
    );
    const of = (field: string) => rows.filter((r) => r.field === field).map((r) => r.value);
    return { emails: of('email'), customerRefs: of('customerRef') };
  }
}

/** Most search shapes prepared on each connection (each holds a plan in its backend). */
const MAX_SEARCH_STATEMENTS = 100;
const searchStatements = new Map<string, string>();

/** A short stable name for a search statement's text, or undefined once the bound is reached. */
function searchStatementName(sql: string): string | undefined {
  let name = searchStatements.get(sql);
  if (!name && searchStatements.size < MAX_SEARCH_STATEMENTS) {
    name = `profiles_search_${createHash('sha1').update(sql).digest('hex').slice(0, 20)}`;
    searchStatements.set(sql, name);
  }
  return name;
}

/** The statement of a search (exported for the bench tools, which send the same SQL). */
export function profileSearchStatement(search: ProfileSearch): { sql: string; params: unknown[] } {
  const { where, params } = profileWhereClause(search);
  params.push(search.limit);
  return {
    sql: `SELECT ${profileColumns('p')} FROM profiles p WHERE ${where} ORDER BY p.customer_number LIMIT $${params.length}`,
    params,
  };
}

/** The WHERE clause (profiles aliased `p`) and the parameters of a profile filter. */
export interface ProfileWhereClause {
  where: string;
  params: unknown[];
}

/**
 * The conditions of a search or export, organisation first ($1), written so each criterion can
 * use its index: lower(email) (partial per profile type), lower(surname) and lower(first_name)
 * with text_pattern_ops (prefix LIKE), customer_ref, telephone_number (E.164), landline_number,
 * vipps_id, invoice_organisation_id, date_of_birth and postal_addresses (post_code;
 * lower(address_line1) text_pattern_ops).
 */
export function profileWhereClause(filter: ProfileSearchFilter): ProfileWhereClause {
  const params: unknown[] = [filter.organisationId];
  const param = (value: unknown): string => {
    params.push(value);
    return `$${params.length}`;
  };
  const where: string[] = ['p.organisation_id = $1'];
  const text = (column: string, match: TextMatch): string =>
    match.prefix
      ? `lower(${column}) LIKE lower(${param(`${escapeLike(match.text)}%`)})`
      : `lower(${column}) = lower(${param(match.text)})`;
  const address = (condition: string) =>
    `EXISTS (SELECT 1 FROM postal_addresses a WHERE a.organisation_id = p.organisation_id` +
    ` AND a.customer_number = p.customer_number AND ${condition})`;

  if (filter.firstName !== undefined) {
    where.push(text('p.first_name', filter.firstName));
  }
  if (filter.surname !== undefined) {
    where.push(text('p.surname', filter.surname));
  }
  if (filter.email !== undefined) {
    const email = param(filter.email);
    // Two partial indexes hold e-mails (permanent and temporary profiles); spell out both halves.
    where.push(
      filter.includeTemporary
        ? `((p.profile_type <> 'T' AND p.email IS NOT NULL AND lower(p.email) = lower(${email}))` +
            ` OR (p.profile_type = 'T' AND lower(p.email) = lower(${email})))`
        : `p.email IS NOT NULL AND lower(p.email) = lower(${email})`,
    );
  }
  const equal: [keyof ProfileSearchFilter, string][] = [
    ['customerRef', 'p.customer_ref'],
    ['telephoneNumber', 'p.telephone_number'],
    ['landlineNumber', 'p.landline_number'],
    ['vippsId', 'p.vipps_id'],
    ['invoiceOrganisationId', 'p.invoice_organisation_id'],
  ];
  for (const [field, column] of equal) {
    if (filter[field] !== undefined) {
      where.push(`${column} = ${param(filter[field])}`);
    }
  }
  if (filter.dateOfBirth !== undefined) {
    where.push(`p.date_of_birth = ${param(filter.dateOfBirth)}::date`);
  }
  if (filter.postCode !== undefined) {
    where.push(address(`a.post_code = ${param(filter.postCode)}`));
  }
  if (filter.postalAddress !== undefined) {
    where.push(address(text('a.address_line1', filter.postalAddress)));
  }
  if (filter.after !== undefined) {
    where.push(`p.customer_number > ${param(filter.after.toString())}`);
  }
  where.push(filter.status ? `p.status = ${param(filter.status)}` : `p.status <> 'D'`);
  if (filter.profileType !== undefined) {
    where.push(`p.profile_type = ${param(filter.profileType)}`);
  }
  where.push(
    filter.includeTemporary
      ? `(p.profile_type <> 'T' OR p.expires_at > ${param(filter.now)})`
      : `p.profile_type <> 'T'`,
  );
  return { where: where.join(' AND '), params };
}

/** Escapes LIKE's wildcards so a name is matched literally (the escape character is `\`). */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** The positional values of a temporary profile's fields, in the order its statements list them. */
function temporaryValues(values: TemporaryProfileValues): unknown[] {
  return [
    values.first_name,
    values.surname,
    values.email,
    values.country_code,
    values.telephone_number_no_country_code,
    values.telephone_number,
    values.landline_number,
    values.date_of_birth,
    values.language_preference,
    values.expiration_date,
    values.expires_at,
  ];
}
