import { jetstream, JetStreamClient, jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { EventRow, toCloudEvent } from '../change-event';

/** Every subject of the service's events: `customers.<organisationId>.<type>`. */
export const STREAM_SUBJECTS = ['customers.>'];
/** JetStream drops a re-published event id within this window (a crash before mark-sent). */
export const DUPLICATE_WINDOW_MS = 5 * 60_000;
/** A connect attempt, and an unacknowledged publish, fail after this long. */
const CONNECT_TIMEOUT_MS = 2_000;
const ACK_TIMEOUT_MS = 5_000;

type NatsConnection = Awaited<ReturnType<typeof connect>>;
/** JetStream durations are in nanoseconds. */
const nanos = (ms: number): number => ms * 1_000_000;

export function subjectOf(row: Pick<EventRow, 'organisation_id' | 'type'>): string {
  return `customers.${row.organisation_id}.${row.type}`;
}

/**
 * One connection to NATS and the JetStream stream of change events. Once connected it reconnects
 * by itself for as long as it lives; `connected` says whether a publish can be answered now.
 */
export class EventStream {
  private online = true;
  private streamReady = true;

  private constructor(
    private readonly nc: NatsConnection,
    private readonly js: JetStreamClient,
    private readonly streamName: string,
  ) {
    void this.watchStatus();
  }

  /** Connects (one attempt) and creates or widens the stream; throws when the broker is not there. */
  static async open(url: string, streamName: string): Promise<EventStream> {
    const nc = await connect({
      servers: url,
      name: 'customers-event-publisher',
      timeout: CONNECT_TIMEOUT_MS,
      maxReconnectAttempts: -1,
      reconnectTimeWait: 1_000,
    });
    const stream = new EventStream(nc, jetstream(nc, { timeout: ACK_TIMEOUT_MS }), streamName);
    try {
      await stream.ensureStream();
    } catch (error) {
      await stream.close();
      throw error;
    }
    return stream;
  }

  get connected(): boolean {
    return this.online && !this.nc.isClosed();
  }

  /**
   * Publishes the events in order (pipelined on the one connection, which keeps their order) with
   * the event id as Nats-Msg-Id, and resolves once the stream acknowledged every one.
   */
  async publish(rows: EventRow[]): Promise<void> {
    if (!this.streamReady) {
      await this.ensureStream();
    }
    try {
      await Promise.all(
        rows.map((row) =>
          this.js.publish(subjectOf(row), JSON.stringify(toCloudEvent(row)), { msgID: row.id }),
        ),
      );
    } catch (error) {
      // A broker that lost its storage has no stream: create it again before the retry.
      this.streamReady = false;
      throw error;
    }
  }

  /** Sends what is buffered and closes; never throws (the service is stopping). */
  async close(): Promise<void> {
    await this.nc.drain().catch(() => this.nc.close());
  }

  private async ensureStream(): Promise<void> {
    const jsm = await jetstreamManager(this.nc, { timeout: ACK_TIMEOUT_MS });
    const wanted = { subjects: STREAM_SUBJECTS, duplicate_window: nanos(DUPLICATE_WINDOW_MS) };
    const existing = await jsm.streams.info(this.streamName).catch(() => undefined);
    if (!existing) {
      await jsm.streams.add({ name: this.streamName, ...wanted });
    } else if (
      existing.config.duplicate_window < wanted.duplicate_window ||
      !STREAM_SUBJECTS.every((s) => existing.config.subjects?.includes(s))
    ) {
      await jsm.streams.update(this.streamName, {
        ...existing.config,
        subjects: [...new Set([...(existing.config.subjects ?? []), ...STREAM_SUBJECTS])],
        duplicate_window: wanted.duplicate_window,
      });
    }
    this.streamReady = true;
  }

  private async watchStatus(): Promise<void> {
    for await (const status of this.nc.status()) {
      if (status.type === 'disconnect') {
        this.online = false;
      } else if (status.type === 'reconnect') {
        this.online = true;
        this.streamReady = false;
      }
    }
  }
}
