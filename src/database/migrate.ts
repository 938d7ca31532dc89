import { Logger } from '@nestjs/common';
import { DataSource, Migration } from 'typeorm';

const MIGRATION_LOCK_KEY = 7_146_001;

/**
 * Applies pending migrations. On a shared server an advisory lock makes concurrent start-ups wait
 * for each other instead of racing; the embedded database has one session, so it needs none.
 */
export async function applyMigrations(
  dataSource: DataSource,
  shared: boolean,
): Promise<Migration[]> {
  if (!shared) {
    return logged(await dataSource.runMigrations({ transaction: 'each' }));
  }
  const lock = dataSource.createQueryRunner();
  try {
    await lock.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    return logged(await dataSource.runMigrations({ transaction: 'each' }));
  } finally {
    await lock.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => undefined);
    await lock.release();
  }
}

/** Each migration applied, by name: what a deployment changed is in its logs. */
function logged(applied: Migration[]): Migration[] {
  const logger = new Logger('Migrations');
  for (const migration of applied) {
    logger.log(`Applied migration ${migration.name}`);
  }
  if (applied.length === 0) {
    logger.log('Schema up to date: no pending migration');
  }
  return applied;
}
