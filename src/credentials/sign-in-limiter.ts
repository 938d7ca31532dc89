import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { DomainException, TooManyRequestsDomainException } from '../common/errors/domain.exception';

export interface AttemptLimit {
  maxFailures: number;
  windowSeconds: number;
}

/**
 * Failed sign-ins allowed before 429. Per account: the login e-mail (known or not, so the limit
 * itself tells nobody whether an e-mail is registered). Per client: every failure of one OAuth
 * client, against credential stuffing through a single integration.
 */
export const SIGN_IN_LIMITS: { perAccount: AttemptLimit; perClient: AttemptLimit } = {
  perAccount: { maxFailures: 5, windowSeconds: 15 * 60 },
  perClient: { maxFailures: 100, windowSeconds: 5 * 60 },
};

interface Counter {
  failures: number;
  window_started_at: Date;
}

/** Keys are hashes: the counters table never holds an e-mail address or a client id. */
export function attemptKey(kind: 'account' | 'client', ...parts: (string | number)[]): string {
  const digest = createHash('sha256').update(parts.join('\u0000')).digest('hex');
  return `${kind === 'account' ? 'a' : 'c'}:${digest}`;
}

/**
 * Fixed-window counters of failed sign-ins in PostgreSQL (one upsert per attempt), so every
 * instance behind the load balancer enforces the same limits; memory counters would multiply the
 * allowance by the number of instances.
 */
@Injectable()
export class SignInLimiter {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Counts this attempt against the key before the password is checked, and refuses it once the
   * window's allowance is used up: increment and compare in one statement, so parallel guesses
   * cannot all slip through before the first failure is recorded. An attempt that turns out not to
   * be a failure gives its count back with `release`.
   */
  async reserve(organisationId: number, key: string, limit: AttemptLimit, now: Date) {
    const counter = await this.increment(organisationId, key, limit, now);
    if (counter.failures > limit.maxFailures) {
      throw tooManyAttempts(counter, limit, now);
    }
  }

  /** Gives back a reserved attempt that was no failure (a success, or refused by another limit). */
  async release(organisationId: number, key: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE sign_in_attempts SET failures = failures - 1
        WHERE organisation_id = $1 AND attempt_key = $2 AND failures > 0`,
      [organisationId, key],
    );
  }

  /** Counters of ended windows carry no information any more. */
  async forgetEndedWindows(organisationId: number, now: Date): Promise<void> {
    await this.dataSource.query(
      `DELETE FROM sign_in_attempts WHERE organisation_id = $1 AND window_started_at < $2`,
      [organisationId, windowStart(longestWindow(), now)],
    );
  }

  async reset(organisationId: number, key: string): Promise<void> {
    await this.dataSource.query(
      `DELETE FROM sign_in_attempts WHERE organisation_id = $1 AND attempt_key = $2`,
      [organisationId, key],
    );
  }

  private async increment(
    organisationId: number,
    key: string,
    limit: AttemptLimit,
    now: Date,
  ): Promise<Counter> {
    const rows: Counter[] = await this.dataSource.query(
      `INSERT INTO sign_in_attempts AS s (organisation_id, attempt_key, failures, window_started_at)
       VALUES ($1, $2, 1, $3)
       ON CONFLICT (organisation_id, attempt_key) DO UPDATE SET
         failures = CASE WHEN s.window_started_at <= $4 THEN 1 ELSE s.failures + 1 END,
         window_started_at = CASE WHEN s.window_started_at <= $4 THEN $3 ELSE s.window_started_at END
       RETURNING failures, window_started_at`,
      [organisationId, key, now, windowStart(limit, now)],
    );
    return rows[0];
  }
}

function windowStart(limit: AttemptLimit, now: Date): Date {
  return new Date(now.getTime() - limit.windowSeconds * 1000);
}

function longestWindow(): AttemptLimit {
  const { perAccount, perClient } = SIGN_IN_LIMITS;
  return perAccount.windowSeconds > perClient.windowSeconds ? perAccount : perClient;
}

function tooManyAttempts(counter: Counter, limit: AttemptLimit, now: Date): DomainException {
  const endsAt = new Date(counter.window_started_at).getTime() + limit.windowSeconds * 1000;
  const retryAfter = Math.max(1, Math.ceil((endsAt - now.getTime()) / 1000));
  return new TooManyRequestsDomainException(
    `Too many failed sign-in attempts; retry after ${retryAfter} seconds`,
    { headers: { 'retry-after': String(retryAfter) } },
  );
}
