import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DomainException, TooManyRequestsDomainException } from '../common/errors/domain.exception';
import { SignInAttemptRow, SignInAttemptsRepository } from './sign-in-attempts.repository';

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
  constructor(private readonly attempts: SignInAttemptsRepository) {}

  /**
   * Counts this attempt against the key before the password is checked, and refuses it once the
   * window's allowance is used up: increment and compare in one statement, so parallel guesses
   * cannot all slip through before the first failure is recorded. An attempt that turns out not to
   * be a failure gives its count back with `release`.
   */
  async reserve(organisationId: number, key: string, limit: AttemptLimit, now: Date) {
    const counter = await this.attempts.increment(
      organisationId,
      key,
      now,
      windowStart(limit, now),
    );
    if (counter.failures > limit.maxFailures) {
      throw tooManyAttempts(counter, limit, now);
    }
  }

  /** Gives back a reserved attempt that was no failure (a success, or refused by another limit). */
  async release(organisationId: number, key: string): Promise<void> {
    await this.attempts.decrement(organisationId, key);
  }

  /** Counters of ended windows carry no information any more. */
  async forgetEndedWindows(organisationId: number, now: Date): Promise<void> {
    await this.attempts.deleteStartedBefore(organisationId, windowStart(longestWindow(), now));
  }

  async reset(organisationId: number, key: string): Promise<void> {
    await this.attempts.delete(organisationId, key);
  }
}

function windowStart(limit: AttemptLimit, now: Date): Date {
  return new Date(now.getTime() - limit.windowSeconds * 1000);
}

function longestWindow(): AttemptLimit {
  const { perAccount, perClient } = SIGN_IN_LIMITS;
  return perAccount.windowSeconds > perClient.windowSeconds ? perAccount : perClient;
}

function tooManyAttempts(
  counter: SignInAttemptRow,
  limit: AttemptLimit,
  now: Date,
): DomainException {
  const endsAt = new Date(counter.window_started_at).getTime() + limit.windowSeconds * 1000;
  const retryAfter = Math.max(1, Math.ceil((endsAt - now.getTime()) / 1000));
  return new TooManyRequestsDomainException(
    `Too many failed sign-in attempts; retry after ${retryAfter} seconds`,
    { headers: { 'retry-after': String(retryAfter) } },
  );
}
