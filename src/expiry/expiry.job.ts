import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { CronJob } from 'cron';
import { Clock } from '../common/clock/clock';
import { AppConfig } from '../config/app-config';
import { ScheduledRunsRepository } from '../database/scheduled-runs.repository';
import { Metrics } from '../observability/metrics';
import { EXPIRY_JOB_NAME } from './expiry.constants';
import { ExpiryRunResult, ExpiryService } from './expiry.service';

/**
 * The scheduled adapter: on EXPIRY_CRON it asks ExpiryService to delete what is due at the clock's
 * now. Every instance schedules it; the one that claims the tick (scheduled_runs) runs it, the
 * others skip that tick. The expression comes from configuration at start-up, so the job is
 * registered here rather than with a static @Cron decorator.
 */
@Injectable()
export class ExpiryJob implements OnApplicationBootstrap {
  private readonly logger = new Logger(ExpiryJob.name);
  private running = false;

  constructor(
    private readonly config: AppConfig,
    private readonly scheduler: SchedulerRegistry,
    private readonly expiry: ExpiryService,
    private readonly clock: Clock,
    private readonly runs: ScheduledRunsRepository,
    private readonly metrics: Metrics,
  ) {}

  onApplicationBootstrap(): void {
    const job = CronJob.from({
      cronTime: this.config.expiry.cron,
      // Instances fire within milliseconds of the scheduled second: that second names the tick.
      onTick: () => void this.runTick(new Date(Math.round(Date.now() / 1000) * 1000)),
      start: true,
    });
    this.scheduler.addCronJob(EXPIRY_JOB_NAME, job);
  }

  /** A tick of the schedule: run only if this instance is the first to claim it. */
  async runTick(tick: Date): Promise<ExpiryRunResult | undefined> {
    let won: boolean;
    try {
      won = await this.runs.claim(EXPIRY_JOB_NAME, tick);
    } catch (err) {
      this.logger.error({ err }, 'Expiry tick not claimed; the next tick retries');
      return undefined;
    }
    this.metrics.expiryRuns.inc({ outcome: won ? 'ran' : 'skipped' });
    return won ? this.run() : undefined;
  }

  /** One run; a tick that comes while the previous run of this instance is busy is skipped. */
  async run(): Promise<ExpiryRunResult | undefined> {
    if (this.running) {
      return undefined;
    }
    this.running = true;
    try {
      return await this.expiry.expireDue(this.clock.now());
    } catch (err) {
      this.logger.error({ err }, 'Expiry run failed; the next tick retries');
      return undefined;
    } finally {
      this.running = false;
    }
  }
}
