import {
  BeforeApplicationShutdown,
  Injectable,
  Logger,
  OnApplicationBootstrap,
} from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { DataSource } from 'typeorm';
import { Clock } from '../common/clock/clock';
import { loggableError } from '../common/http/all-exceptions.filter';
import { AppConfig } from '../config/app-config';
import { EventsRepository } from './events.repository';
/** Events deleted per transaction: bounds lock time and WAL per commit. */
export const EVENT_PRUNE_BATCH_SIZE = 1_000;
/** The first run waits for the start-up to settle; then one run an hour. */
const FIRST_RUN_MS = 60_000;
const INTERVAL_MS = 60 * 60_000;
const DAY_MS = 24 * 60 * 60_000;

export interface PruneResult {
  /** false: another instance held the lock, this one deleted nothing. */
  ran: boolean;
  deleted: number;
  batches: number;
}

/**
 * Deletes events older than EVENTS_RETENTION_DAYS, a batch per short transaction. A plain timer
 * rather than the expiry job, which runs only with EXPIRY_ENABLED: the feed's retention holds on
 * every deployment. Each batch takes a transaction-scoped advisory lock, so only one instance
 * prunes at a time and no connection stays held between batches.
 */
@Injectable()
export class EventRetention implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(EventRetention.name);
  private timer?: NodeJS.Timeout;
  private current?: Promise<unknown>;
  private stopping = false;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly events: EventsRepository,
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  onApplicationBootstrap(): void {
    this.schedule(FIRST_RUN_MS);
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.timer);
    await this.current;
  }

  private schedule(delay: number): void {
    this.timer = setTimeout(() => {
      this.current = this.prune()
        .catch((error: unknown) =>
          this.logger.warn({ err: loggableError(error) }, 'Event prune failed; it retries'),
        )
        .finally(() => {
          this.current = undefined;
          if (!this.stopping) {
            this.schedule(INTERVAL_MS);
          }
        });
    }, delay);
    this.timer.unref();
  }

  /** Deletes every event older than the retention, batch after batch, unless another instance is at it. */
  async prune(batchSize = EVENT_PRUNE_BATCH_SIZE): Promise<PruneResult> {
    const before = new Date(this.clock.now().getTime() - this.config.events.retentionDays * DAY_MS);
    const result: PruneResult = { ran: true, deleted: 0, batches: 0 };
    while (!this.stopping) {
      const deleted = await this.dataSource.transaction(async (m) => {
        const locked = await this.events.tryLockPrune(m);
        // With a broker, an event it has not acknowledged is kept however old: pruning would lose it.
        const keepUnpublished = Boolean(this.config.events.natsUrl);
        return locked ? this.events.pruneBatch(before, batchSize, m, keepUnpublished) : null;
      });
      if (deleted === null) {
        return { ...result, ran: result.batches > 0 };
      }
      result.batches += 1;
      result.deleted += deleted;
      if (deleted < batchSize) {
        break;
      }
      // Let requests have the (embedded database's only) connection between batches.
      await yieldToEventLoop();
    }
    if (result.deleted) {
      this.logger.log({ deleted: result.deleted, before }, 'Pruned change events past retention');
    }
    return result;
  }
}
