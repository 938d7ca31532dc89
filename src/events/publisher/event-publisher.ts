import {
  BeforeApplicationShutdown,
  Injectable,
  Logger,
  OnApplicationBootstrap,
} from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { loggableError } from '../../common/http/all-exceptions.filter';
import { AppConfig } from '../../config/app-config';
import { Metrics } from '../../observability/metrics';
import { EventRow } from '../change-event';
import { EventsRepository } from '../events.repository';
import { EventStream } from './event-stream';

/** Events claimed and published per transaction; a full batch is followed at once by the next. */
export const PUBLISH_BATCH_SIZE = 500;
/** How often an idle publisher looks for new events. */
const IDLE_MS = 200;
/** Retries after a failure back off from IDLE_MS up to this. */
const MAX_BACKOFF_MS = 5_000;
/** At most one warning per this long while the broker stays unreachable. */
const WARNING_INTERVAL_MS = 30_000;

/**
 * Publishes the outbox to NATS JetStream, in every instance that has EVENTS_NATS_URL. Each batch
 * is one transaction: it takes the publisher's advisory lock (so one instance publishes at a time
 * and a customer's events leave in sequence order), claims the oldest unpublished rows, publishes
 * them with their event id as Nats-Msg-Id, awaits the acknowledgements and marks them sent. A
 * crash between the acknowledgement and the commit publishes the batch again, and JetStream drops
 * the duplicates. While the broker is away the events wait in the outbox; requests never wait.
 */
@Injectable()
export class EventPublisher implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(EventPublisher.name);
  private stream?: EventStream;
  private timer?: NodeJS.Timeout;
  private current?: Promise<void>;
  private stopping = false;
  private failures = 0;
  private lastWarningAt = 0;

  /** Test seam: runs once the broker acknowledged a batch, before the batch is marked sent. */
  afterPublish?: (rows: EventRow[]) => Promise<void> | void;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    private readonly events: EventsRepository,
    private readonly metrics: Metrics,
  ) {}

  get enabled(): boolean {
    return Boolean(this.config.events.natsUrl) && this.config.events.publisherEnabled;
  }

  onApplicationBootstrap(): void {
    if (!this.enabled) {
      return;
    }
    this.metrics.outboxBacklog = () => this.events.unpublishedBacklog();
    this.schedule(0);
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.timer);
    await this.current;
    await this.stream?.close();
    this.stream = undefined;
  }

  private schedule(delay: number): void {
    this.timer = setTimeout(() => {
      this.current = this.tick().then((next) => {
        this.current = undefined;
        if (!this.stopping) {
          this.schedule(next);
        }
      });
    }, delay);
    this.timer.unref();
  }

  /** One batch; the delay before the next. */
  private async tick(): Promise<number> {
    try {
      const stream = await this.connectedStream();
      const published = await this.publishBatch(stream);
      this.recovered();
      return published === PUBLISH_BATCH_SIZE ? 0 : IDLE_MS;
    } catch (error) {
      this.failed(error);
      return Math.min(MAX_BACKOFF_MS, IDLE_MS * 2 ** this.failures);
    }
  }

  private async connectedStream(): Promise<EventStream> {
    // The first connection is made here, not at start-up: the service starts without the broker.
    this.stream ??= await EventStream.open(
      this.config.events.natsUrl!,
      this.config.events.natsStream,
    );
    if (!this.stream.connected) {
      // Claiming now would hold rows (and PGlite's only connection) until the publish timed out.
      throw new Error('The connection to the broker is down; reconnecting');
    }
    return this.stream;
  }

  private async publishBatch(stream: EventStream): Promise<number> {
    const published = await this.dataSource.transaction(async (m) => {
      const rows = await this.events.claimUnpublished(m, PUBLISH_BATCH_SIZE);
      if (!rows?.length) {
        return 0;
      }
      await stream.publish(rows);
      await this.afterPublish?.(rows);
      await this.events.markPublished(
        m,
        rows.map((r) => r.position),
      );
      return rows.length;
    });
    this.metrics.eventsPublished.inc(published);
    return published;
  }

  private failed(error: unknown): void {
    this.failures += 1;
    this.metrics.eventsPublishFailures.inc();
    const now = Date.now();
    if (now - this.lastWarningAt >= WARNING_INTERVAL_MS) {
      this.lastWarningAt = now;
      this.logger.warn(
        { err: loggableError(error), failedAttempts: this.failures },
        'Change events cannot be published to the broker; they wait in the outbox and are retried',
      );
    }
  }

  private recovered(): void {
    if (this.failures > 0) {
      this.logger.log(
        { failedAttempts: this.failures },
        'Change events are published to the broker again',
      );
    }
    this.failures = 0;
    this.lastWarningAt = 0;
  }
}
