import { Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { DataSource, EntityManager, QueryRunner } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { databaseOptions } from './database-options';
import { server } from './server.repository';

/** Connections per replica: lag-tolerant reads are few (exports, search on request). */
const REPLICA_POOL_SIZE = 4;

interface Replica {
  name: string;
  dataSource: DataSource;
  usable: boolean;
  /** At the last check; -1 while it does not answer. */
  lagSeconds: number;
}

/** What /metrics reports: each replica's lag, and where lag-tolerant reads ran. */
export interface ReplicaState {
  lags: { replica: string; seconds: number }[];
  reads: { replica: number; primary: number };
}

/**
 * Streaming replicas (DATABASE_REPLICA_URLS) for reads that tolerate lag: the CRM export, bulk
 * exports, duplicate detection and searches that ask for `consistency=eventual`. Each replica is
 * checked every REPLICA_CHECK_INTERVAL_MS; it is used while it answers, is a standby and lags at
 * most REPLICA_MAX_LAG_MS. Otherwise, and for everything else, reads go to the primary, so a
 * just-created profile is always found by the default reads.
 */
@Injectable()
export class ReadReplicas implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('ReadReplicas');
  private readonly replicas: Replica[];
  private readonly reads = { replica: 0, primary: 0 };
  private next = 0;
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly primary: DataSource,
    private readonly config: AppConfig,
  ) {
    const { urls } = config.database.replicas;
    this.replicas = urls.map((url, i) => ({
      name: `replica-${i + 1}`,
      dataSource: new DataSource({
        ...databaseOptions(url, REPLICA_POOL_SIZE, config.database),
        migrations: [],
      }),
      usable: false,
      lagSeconds: -1,
    }));
  }

  async onModuleInit(): Promise<void> {
    if (this.replicas.length === 0) {
      return;
    }
    // A replica that is down at start-up is not fatal: the primary serves until it answers.
    await this.checkAll();
    this.timer = setInterval(
      () => void this.checkAll(),
      this.config.database.replicas.checkIntervalMs,
    );
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    const open = this.replicas.filter((r) => r.dataSource.isInitialized);
    await Promise.all(open.map((r) => r.dataSource.destroy()));
  }

  /**
   * Runs a read that tolerates lag on a usable replica (round robin), else on the primary. A
   * replica that fails the read is set aside until its next good check, and the read runs again
   * on the primary.
   */
  async lagTolerant<T>(read: (manager: EntityManager) => Promise<T>): Promise<T> {
    const replica = this.pick();
    if (replica) {
      try {
        const result = await read(replica.dataSource.manager);
        this.reads.replica++;
        return result;
      } catch (err) {
        if (!isConnectionError(err)) {
          throw err;
        }
        this.setUsable(replica, false, 'the read failed');
      }
    }
    this.reads.primary++;
    return read(this.primary.manager);
  }

  /**
   * A query runner in a REPEATABLE READ transaction for a long lag-tolerant read (a streamed
   * cursor): on a usable replica, else on the primary. A replica that fails at connect or at BEGIN
   * (stopped since its last check) is set aside and the snapshot opens on the primary instead, so
   * the caller sees no error. The caller commits or rolls back, and releases the runner.
   */
  async lagTolerantSnapshot(): Promise<QueryRunner> {
    const replica = this.pick();
    if (replica) {
      const runner = replica.dataSource.createQueryRunner();
      try {
        await runner.connect();
        await runner.startTransaction('REPEATABLE READ');
        this.reads.replica++;
        return runner;
      } catch (err) {
        await runner.release().catch(() => undefined);
        if (!isConnectionError(err)) {
          throw err;
        }
        this.setUsable(replica, false, 'a snapshot could not open');
      }
    }
    const runner = this.primary.createQueryRunner();
    try {
      await runner.connect();
      await runner.startTransaction('REPEATABLE READ');
    } catch (err) {
      await runner.release().catch(() => undefined);
      throw err;
    }
    this.reads.primary++;
    return runner;
  }

  state(): ReplicaState {
    return {
      lags: this.replicas.map((r) => ({ replica: r.name, seconds: r.lagSeconds })),
      reads: { ...this.reads },
    };
  }

  private pick(): Replica | undefined {
    const usable = this.replicas.filter((r) => r.usable);
    if (usable.length === 0) {
      return undefined;
    }
    this.next = (this.next + 1) % usable.length;
    return usable[this.next];
  }

  private async checkAll(): Promise<void> {
    await Promise.all(this.replicas.map((replica) => this.check(replica)));
  }

  private async check(replica: Replica): Promise<void> {
    try {
      if (!replica.dataSource.isInitialized) {
        await replica.dataSource.initialize();
      }
      const { standby, lagMs } = await server.replicaState(replica.dataSource);
      replica.lagSeconds = lagMs / 1000;
      const maxLagMs = this.config.database.replicas.maxLagMs;
      if (!standby) {
        this.setUsable(replica, false, 'it is not a standby (promoted?)');
      } else if (lagMs > maxLagMs) {
        this.setUsable(replica, false, `it lags ${Math.round(lagMs)} ms (> ${maxLagMs} ms)`);
      } else {
        this.setUsable(replica, true);
      }
    } catch {
      replica.lagSeconds = -1;
      this.setUsable(replica, false, 'it does not answer');
    }
  }

  private setUsable(replica: Replica, usable: boolean, why?: string): void {
    if (replica.usable === usable) {
      return;
    }
    replica.usable = usable;
    if (usable) {
      this.logger.log({ replica: replica.name }, 'replica in use for lag-tolerant reads');
    } else {
      this.logger.warn(
        { replica: replica.name, why },
        'replica set aside: reads go to the primary',
      );
    }
  }
}

/**
 * Errors of the connection rather than of the statement (pg's codes, or a socket's), and a
 * standby's cancellation for a conflict with recovery: the primary can answer those.
 */
function isConnectionError(err: unknown): boolean {
  const code =
    (err as { code?: string; driverError?: { code?: string } })?.driverError?.code ??
    (err as { code?: string })?.code;
  return (
    code === undefined ||
    code.startsWith('08') ||
    code === '57P01' ||
    code === '40001' ||
    code === '57P03' ||
    ['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT'].includes(code)
  );
}
