import { AsyncLocalStorage } from 'node:async_hooks';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, QueryRunner } from 'typeorm';
import {
  ConflictDomainException,
  DomainException,
  UnprocessableDomainException,
} from '../common/errors/domain.exception';
import { IdempotencyKeysRepository, IdempotencyScope } from './idempotency-keys.repository';

/** The first answer to a key, exactly as sent: a replay repeats these bytes. */
export interface StoredResponse {
  statusCode: number;
  body: string;
  headers: Record<string, string>;
}

/** One request holding an Idempotency-Key, and the transaction its create and answer share. */
class Attempt {
  runner?: QueryRunner;

  constructor(
    readonly scope: IdempotencyScope,
    readonly requestHash: string,
    readonly now: Date,
  ) {}
}

/** Another request with the key finished while this one ran: this one answers with its response. */
class AnsweredMeanwhile extends Error {
  constructor(readonly response: StoredResponse) {
    super('answered by another request with the same Idempotency-Key');
  }
}

/**
 * Idempotency keys in the database (draft-ietf-httpapi-idempotency-key-header), so a retry is
 * recognised by any instance. A request with a key runs its create in one transaction that first
 * takes a transaction-scoped advisory lock on the key and last stores the response: the key row
 * exists exactly when the create committed, so every committed create can be replayed, and a
 * crash leaves nothing behind to clean up. A concurrent request with the key gets 409 while the
 * lock is held; once the first has committed, it gets the first response.
 */
@Injectable()
export class IdempotencyService {
  private readonly attempts = new AsyncLocalStorage<Attempt>();

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly keys: IdempotencyKeysRepository,
  ) {}

  /**
   * The transaction of a create. Within a request that carries an Idempotency-Key it is the one
   * transaction that also stores the response (committed after the handler has answered);
   * elsewhere it is an ordinary transaction. Inside it, use only the given EntityManager: the
   * embedded database has one connection, which this transaction holds.
   */
  async transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    const attempt = this.attempts.getStore();
    if (!attempt) {
      return this.dataSource.transaction(work);
    }
    attempt.runner ??= await this.claim(attempt);
    return work(attempt.runner.manager);
  }

  /** The stored answer to the key, or null; 422 when the key was used for another request. */
  async find(
    scope: IdempotencyScope,
    requestHash: string,
    manager?: EntityManager,
  ): Promise<StoredResponse | null> {
    const row = await this.keys.findAnswered(scope, manager);
    if (!row) {
      return null;
    }
    if (row.request_hash.trim() !== requestHash) {
      throw new UnprocessableDomainException(
        'This Idempotency-Key was used with another request; use a new key for a new request',
      );
    }
    return {
      statusCode: row.status_code,
      body: row.response_body ?? '',
      headers: row.response_headers ?? {},
    };
  }

  /**
   * Runs the handler as the request holding the key, then stores `respond(body)` in the create's
   * transaction and commits both. Returns the response to send: this one, or the first one when
   * another request with the key committed in the meantime. A failure rolls everything back, so
   * the client's retry runs the request again.
   */
  async run(
    scope: IdempotencyScope,
    requestHash: string,
    now: Date,
    handler: () => Promise<unknown>,
    respond: (body: unknown) => StoredResponse,
  ): Promise<{ response: StoredResponse; replayed: boolean }> {
    const attempt = new Attempt(scope, requestHash, now);
    try {
      const body = await this.attempts.run(attempt, handler);
      const response = respond(body);
      attempt.runner ??= await this.claim(attempt);
      await this.store(attempt.runner.manager, attempt, response, customerNumberOf(body));
      await attempt.runner.commitTransaction();
      return { response, replayed: false };
    } catch (error) {
      if (attempt.runner?.isTransactionActive) {
        await attempt.runner.rollbackTransaction();
      }
      if (error instanceof AnsweredMeanwhile) {
        return { response: error.response, replayed: true };
      }
      throw error;
    } finally {
      await attempt.runner?.release();
    }
  }

  /** Opens the attempt's transaction holding the key's lock: 409 while another request holds it. */
  private async claim(attempt: Attempt): Promise<QueryRunner> {
    const runner = this.dataSource.createQueryRunner();
    try {
      await runner.startTransaction();
      if (!(await this.keys.tryLock(attempt.scope, runner.manager))) {
        throw inProgress();
      }
      const stored = await this.find(attempt.scope, attempt.requestHash, runner.manager);
      if (stored) {
        throw new AnsweredMeanwhile(stored);
      }
      return runner;
    } catch (error) {
      if (runner.isTransactionActive) {
        await runner.rollbackTransaction();
      }
      await runner.release();
      throw error;
    }
  }

  private async store(
    manager: EntityManager,
    attempt: Attempt,
    response: StoredResponse,
    customerNumber: number | null,
  ): Promise<void> {
    await this.keys.insert(
      {
        scope: attempt.scope,
        requestHash: attempt.requestHash,
        customerNumber,
        statusCode: response.statusCode,
        body: response.body,
        headers: response.headers,
        createdAt: attempt.now,
      },
      manager,
    );
  }
}

function inProgress(): DomainException {
  return new ConflictDomainException(
    'A request with this Idempotency-Key is still in progress; retry after a moment for its response',
    { headers: { 'retry-after': '1' } },
  );
}

/** Set on the key row so purging a customer also deletes its keys (and the stored body). */
function customerNumberOf(body: unknown): number | null {
  const value = (body as { customerNumber?: unknown } | null)?.customerNumber;
  return typeof value === 'number' && Number.isSafeInteger(value) ? value : null;
}
