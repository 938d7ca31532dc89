import { DataSource, MigrationExecutor } from 'typeorm';

const MIGRATION_LOCK_KEY = 7_146_001;

/**
 * Applies pending migrations. On a shared server an advisory lock makes concurrent start-ups wait
 * for each other instead of racing; the embedded database has one session, so it needs none.
 */
export async function applyMigrations(dataSource: DataSource, shared: boolean): Promise<void> {
  if (!shared) {
    await dataSource.runMigrations({ transaction: 'each' });
    return;
  }
  const lock = dataSource.createQueryRunner();
  try {
    // The request timeouts of the session are not meant for schema changes or for waiting on
    // another instance's migrations; the session returns to the pool with them restored.
    await lock.query('SET statement_timeout = 0');
    await lock.query('SET lock_timeout = 0');
    await lock.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    const executor = new MigrationExecutor(dataSource, lock);
    executor.transaction = 'each';
    await executor.executePendingMigrations();
  } finally {
    await lock.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => undefined);
    await lock.query('RESET statement_timeout').catch(() => undefined);
    await lock.query('RESET lock_timeout').catch(() => undefined);
    await lock.release();
  }
}
