import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { server } from './server.repository';

/** How often a database thought down is tried again; also the quiet time that ends an outage. */
export const PROBE_INTERVAL_MS = 1_000;

/**
 * Whether the database serves requests, as a state that flips: the first failure of an outage logs
 * one warning, then a probe tries the database every second until it answers with no failure in
 * between, which logs one line more. A request per failure would flood the log.
 */
@Injectable()
export class DatabaseAvailability implements OnApplicationShutdown {
  private readonly logger = new Logger('Database');
  private downSince?: number;
  private lastFailureAt = 0;
  private probe?: NodeJS.Timeout;
  private closed = false;

  constructor(private readonly dataSource: DataSource) {}

  get available(): boolean {
    return this.downSince === undefined;
  }

  /** A request failed for want of the database. */
  failed(reason: string): void {
    this.lastFailureAt = Date.now();
    if (this.downSince !== undefined || this.closed) {
      return;
    }
    this.downSince = this.lastFailureAt;
    this.logger.warn({ reason }, 'database unavailable');
    this.scheduleProbe();
  }

  onApplicationShutdown(): void {
    this.closed = true;
    clearTimeout(this.probe);
  }

  private scheduleProbe(): void {
    if (this.closed) {
      return;
    }
    this.probe = setTimeout(() => void this.check(), PROBE_INTERVAL_MS);
    this.probe.unref();
  }

  private async check(): Promise<void> {
    const failureBefore = this.lastFailureAt;
    const quiet = Date.now() - failureBefore >= PROBE_INTERVAL_MS;
    const answers =
      quiet &&
      (await server.ping(this.dataSource).then(
        () => true,
        () => false,
      ));
    if (answers && this.lastFailureAt === failureBefore && this.downSince !== undefined) {
      this.logger.log({ outageMs: Date.now() - this.downSince }, 'database available again');
      this.downSince = undefined;
      return;
    }
    this.scheduleProbe();
  }
}
