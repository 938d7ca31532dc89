import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { DomainException } from '../common/errors/domain.exception';
import { ErrorCode } from '../common/errors/error-codes';

/** A request that holds a key waits at most this long before another may take the key over. */
const ABANDONED_AFTER_MS = 60_000;

export interface IdempotencyScope {
  organisationId: number;
  clientId: string;
  key: string;
}

export interface StoredResponse {
  statusCode: number;
  body: unknown;
  headers: Record<string, string>;
}

export type IdempotencyOutcome = { kind: 'proceed' } | ({ kind: 'replay' } & StoredResponse);

interface KeyRow {
  request_hash: string;
  status_code: number | null;
  response_body: unknown;
  response_headers: Record<string, string> | null;
  created_at: Date;
}

/**
 * Idempotency keys in the database, so a retry is recognised by any instance. The key row is
 * claimed (INSERT … ON CONFLICT DO NOTHING) before the request runs, so of two concurrent
 * duplicates only one runs; the other gets 409 and may retry for the replay.
 */
@Injectable()
export class IdempotencyService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async begin(
    scope: IdempotencyScope,
    requestHash: string,
    now: Date,
  ): Promise<IdempotencyOutcome> {
    const params = [scope.organisationId, scope.clientId, scope.key];
    for (let attempt = 0; attempt < 3; attempt++) {
      const claimed: unknown[] = await this.dataSource.query(
        `INSERT INTO idempotency_keys (organisation_id, client_id, key, request_hash, created_at)
         VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (organisation_id, client_id, key) DO NOTHING
         RETURNING key`,
        [...params, requestHash, now],
      );
      if (claimed.length) {
        return { kind: 'proceed' };
      }
      const rows: KeyRow[] = await this.dataSource.query(
        `SELECT request_hash, status_code, response_body, response_headers, created_at
           FROM idempotency_keys WHERE organisation_id = $1 AND client_id = $2 AND key = $3`,
        params,
      );
      if (!rows.length) {
        continue; // released by a failed first attempt in between: claim it again
      }
      const row = rows[0];
      if (row.request_hash.trim() !== requestHash) {
        throw new DomainException(
          422,
          ErrorCode.Unprocessable,
          'Unprocessable Content',
          'This Idempotency-Key was used with another request; use a new key for a new request',
        );
      }
      if (row.status_code !== null) {
        return {
          kind: 'replay',
          statusCode: row.status_code,
          body: row.response_body,
          headers: row.response_headers ?? {},
        };
      }
      const takenOver: unknown[] = await this.dataSource.query(
        `UPDATE idempotency_keys SET created_at = $4
          WHERE organisation_id = $1 AND client_id = $2 AND key = $3
            AND status_code IS NULL AND created_at < $5
          RETURNING key`,
        [...params, now, new Date(now.getTime() - ABANDONED_AFTER_MS)],
      );
      if (takenOver.length) {
        return { kind: 'proceed' };
      }
      throw new DomainException(
        409,
        ErrorCode.Conflict,
        'Conflict',
        'A request with this Idempotency-Key is still in progress; retry later for its response',
        [],
        {},
        { 'retry-after': '1' },
      );
    }
    throw new DomainException(409, ErrorCode.Conflict, 'Conflict', 'Retry the request');
  }

  async complete(
    scope: IdempotencyScope,
    response: StoredResponse,
    customerNumber: number | null,
  ): Promise<void> {
    await this.dataSource.query(
      `UPDATE idempotency_keys
          SET status_code = $4, response_body = $5, response_headers = $6, customer_number = $7
        WHERE organisation_id = $1 AND client_id = $2 AND key = $3`,
      [
        scope.organisationId,
        scope.clientId,
        scope.key,
        response.statusCode,
        JSON.stringify(response.body ?? null),
        JSON.stringify(response.headers),
        customerNumber,
      ],
    );
  }

  /** A failed request releases its key, so the client's retry runs the request again. */
  async release(scope: IdempotencyScope): Promise<void> {
    await this.dataSource.query(
      `DELETE FROM idempotency_keys
        WHERE organisation_id = $1 AND client_id = $2 AND key = $3 AND status_code IS NULL`,
      [scope.organisationId, scope.clientId, scope.key],
    );
  }
}
