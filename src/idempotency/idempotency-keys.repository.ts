import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';

/** Who used a key: a key belongs to one client of one organisation. */
export interface IdempotencyScope {
  organisationId: number;
  clientId: string;
  key: string;
}

/** The stored answer to a key, as the table holds it. */
export interface IdempotencyKeyRow {
  request_hash: string;
  status_code: number;
  response_body: string | null;
  response_headers: Record<string, string> | null;
}

/** A key's row as the create's transaction stores it, with its answer. */
export interface NewIdempotencyKey {
  scope: IdempotencyScope;
  requestHash: string;
  /** Set so purging the customer also deletes the key (and the response it holds). */
  customerNumber: number | null;
  statusCode: number;
  body: string;
  headers: Record<string, string>;
  createdAt: Date;
}

/** The table `idempotency_keys`: one answered request per client, organisation and key. */
@Injectable()
export class IdempotencyKeysRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async findAnswered(
    scope: IdempotencyScope,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<IdempotencyKeyRow | null> {
    const rows: IdempotencyKeyRow[] = await manager.query(
      `SELECT request_hash, status_code, response_body, response_headers FROM idempotency_keys
        WHERE organisation_id = $1 AND client_id = $2 AND key = $3 AND status_code IS NOT NULL`,
      [scope.organisationId, scope.clientId, scope.key],
    );
    return rows[0] ?? null;
  }

  /**
   * Takes the key's transaction-scoped advisory lock; false while another transaction holds it.
   * The lock exists before the row does, so it is keyed on the scope, not on a row.
   */
  async tryLock(scope: IdempotencyScope, manager: EntityManager): Promise<boolean> {
    const [{ locked }]: { locked: boolean }[] = await manager.query(
      `SELECT pg_try_advisory_xact_lock(hashtextextended($1, 0)) AS locked`,
      [JSON.stringify(['idempotency-key', scope.organisationId, scope.clientId, scope.key])],
    );
    return locked;
  }

  async insert(
    key: NewIdempotencyKey,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<void> {
    await manager.query(
      `INSERT INTO idempotency_keys (organisation_id, client_id, key, request_hash, customer_number,
                                     status_code, response_body, response_headers, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [
        key.scope.organisationId,
        key.scope.clientId,
        key.scope.key,
        key.requestHash,
        key.customerNumber,
        key.statusCode,
        key.body,
        JSON.stringify(key.headers),
        key.createdAt,
      ],
    );
  }
}
