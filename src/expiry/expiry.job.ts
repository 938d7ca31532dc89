import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { CronJob } from 'cron';
import { Clock } from '../common/clock/clock';
import { AppConfig } from '../config/app-config';
import { EXPIRY_JOB_NAME } from './expiry.constants';
import { ExpiryRunResult, ExpiryService } from './expiry.service';

/**
 * The scheduled adapter: on EXPIRY_CRON it asks ExpiryService to delete what is due at the clock's
 * now. The expression comes from configuration at start-up, so the job is registered here rather
 * than with a static @Cron decorator.
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
  ) {}

  onApplicationBootstrap(): void {
    const job = CronJob.from({
      cronTime: this.config.expiry.cron,
      onTick: () => void this.run(),
      start: true,
    });
    this.scheduler.addCronJob(EXPIRY_JOB_NAME, job);
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
