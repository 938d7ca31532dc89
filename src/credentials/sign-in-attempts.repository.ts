import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

/** A fixed-window counter of failed sign-ins. */
export interface SignInAttemptRow {
  failures: number;
  window_started_at: Date;
}

/**
 * Data access of `sign_in_attempts`: the failed sign-in counters, per organisation and hashed key.
 * Each statement runs on its own, outside the caller's transaction: a counted attempt must stay
 * counted whatever the sign-in does next.
 */
@Injectable()
export class SignInAttemptsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Counts one more attempt, or starts the window again at `now` when the current one started at
   * or before `windowStart`; increment and compare in one statement, so parallel attempts cannot
   * all read the same count.
   */
  async increment(
    organisationId: number,
    key: string,
    now: Date,
    windowStart: Date,
  ): Promise<SignInAttemptRow> {
    const rows: SignInAttemptRow[] = await this.dataSource.query(
      `INSERT INTO sign_in_attempts AS s (organisation_id, attempt_key, failures, window_started_at)
       VALUES ($1, $2, 1, $3)
       ON CONFLICT (organisation_id, attempt_key) DO UPDATE SET
         failures = CASE WHEN s.window_started_at <= $4 THEN 1 ELSE s.failures + 1 END,
         window_started_at = CASE WHEN s.window_started_at <= $4 THEN $3 ELSE s.window_started_at END
       RETURNING failures, window_started_at`,
      [organisationId, key, now, windowStart],
    );
    return rows[0];
  }

  /** Gives one counted attempt back (never below zero). */
  async decrement(organisationId: number, key: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE sign_in_attempts SET failures = failures - 1
        WHERE organisation_id = $1 AND attempt_key = $2 AND failures > 0`,
      [organisationId, key],
    );
  }

  async delete(organisationId: number, key: string): Promise<void> {
    await this.dataSource.query(
      `DELETE FROM sign_in_attempts WHERE organisation_id = $1 AND attempt_key = $2`,
      [organisationId, key],
    );
  }

  /** Deletes the organisation's counters whose window started before `windowStart`. */
  async deleteStartedBefore(organisationId: number, windowStart: Date): Promise<void> {
    await this.dataSource.query(
      `DELETE FROM sign_in_attempts WHERE organisation_id = $1 AND window_started_at < $2`,
      [organisationId, windowStart],
    );
  }
}
