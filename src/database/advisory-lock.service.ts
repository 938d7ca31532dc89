import { Inject, Injectable, Optional } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { DatabaseSettings, DEFAULT_DATABASE_SETTINGS } from '../config/database-settings';
import { DATABASE_SETTINGS } from './database.tokens';
import { server } from './server.repository';

export type LockedRun<T> = { ran: true; result: T } | { ran: false };

@Injectable()
export class AdvisoryLockService {
  constructor(
    private readonly dataSource: DataSource,
    @Optional()
    @Inject(DATABASE_SETTINGS)
    private readonly settings: DatabaseSettings = DEFAULT_DATABASE_SETTINGS,
  ) {}

  /**
   * Runs `work` only if no other session holds `key`; returns `{ ran: false }` when it is held.
   * `work` gets the manager of the connection that holds the lock and must use it (the embedded
   * database has only one connection).
   */
  tryWithLock<T>(key: number, work: (manager: EntityManager) => Promise<T>): Promise<LockedRun<T>> {
    return this.settings.poolMode === 'transaction'
      ? this.withTransactionLock(key, work)
      : this.withSessionLock(key, work);
  }

  /**
   * Behind a transaction pooler each statement outside a transaction may run on another server
   * session: a session lock would stay on the one that took it (held for good, by whichever client
   * the pooler lends it to next) and the unlock would land elsewhere. So the lock is
   * transaction-scoped there, and `work` runs inside that one transaction (its own transactions
   * become savepoints); the lock goes with the commit or the rollback.
   */
  private withTransactionLock<T>(
    key: number,
    work: (manager: EntityManager) => Promise<T>,
  ): Promise<LockedRun<T>> {
    return this.dataSource.transaction(async (manager): Promise<LockedRun<T>> => {
      const locked = await server.tryTransactionLock(manager, key);
      return locked ? { ran: true, result: await work(manager) } : { ran: false };
    });
  }

  /** A session-level lock, taken and released on one dedicated connection. */
  private async withSessionLock<T>(
    key: number,
    work: (manager: EntityManager) => Promise<T>,
  ): Promise<LockedRun<T>> {
    const runner = this.dataSource.createQueryRunner();
    try {
      if (!(await server.tryLock(runner, key))) {
        return { ran: false };
      }
      try {
        return { ran: true, result: await work(runner.manager) };
      } finally {
        await server.unlock(runner, key);
      }
    } finally {
      await runner.release();
    }
  }
}
