import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';

@Injectable()
export class AdvisoryLockService {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Runs `work` only if no other session holds `key`; returns undefined when it is held. The lock
   * is session-level, so it is taken and released on one dedicated connection; `work` gets that
   * connection's manager and must use it (the embedded database has only one connection).
   */
  async tryWithLock<T>(
    key: number,
    work: (manager: EntityManager) => Promise<T>,
  ): Promise<{ ran: true; result: T } | { ran: false }> {
    const runner = this.dataSource.createQueryRunner();
    try {
      const [{ locked }] = await runner.query('SELECT pg_try_advisory_lock($1) AS locked', [key]);
      if (!locked) {
        return { ran: false };
      }
      try {
        return { ran: true, result: await work(runner.manager) };
      } finally {
        await runner.query('SELECT pg_advisory_unlock($1)', [key]);
      }
    } finally {
      await runner.release();
    }
  }
}
