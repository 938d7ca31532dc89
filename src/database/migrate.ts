import { DataSource } from 'typeorm';

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
    await lock.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    await dataSource.runMigrations({ transaction: 'each' });
  } finally {
    await lock.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => undefined);
    await lock.release();
  }
}
