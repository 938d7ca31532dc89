import { Injectable } from '@nestjs/common';
import { hostname } from 'node:os';
import { DataSource } from 'typeorm';

/** Claims of past ticks are kept this long (what ran where, for a day), then pruned. */
const KEEP_CLAIMS_MS = 24 * 3_600_000;

/**
 * Which instance runs a scheduled job at a tick: every instance schedules the job; the first to
 * insert the (job, tick) row runs it, the others skip that tick. A plain insert, so it holds behind
 * a transaction pooler and across instances whatever their number.
 */
@Injectable()
export class ScheduledRunsRepository {
  private readonly instance = `${hostname()}:${process.pid}`;

  constructor(private readonly dataSource: DataSource) {}

  /** True when this instance won the tick. Ticks are the schedule's seconds, as every instance computes them. */
  async claim(job: string, tick: Date): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query(
      `INSERT INTO scheduled_runs (job, tick, instance) VALUES ($1, $2, $3)
       ON CONFLICT DO NOTHING RETURNING 1`,
      [job, tick, this.instance],
    );
    if (rows.length > 0) {
      await this.dataSource.query(`DELETE FROM scheduled_runs WHERE job = $1 AND tick < $2`, [
        job,
        new Date(tick.getTime() - KEEP_CLAIMS_MS),
      ]);
    }
    return rows.length > 0;
  }
}
