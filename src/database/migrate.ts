import { Logger } from '@nestjs/common';
import { DataSource, Migration, MigrationExecutor } from 'typeorm';

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
    // The request timeouts of the session are not meant for schema changes or for waiting on
    // another instance's migrations; the session returns to the pool with them restored.
    await lock.query('SET statement_timeout = 0');
    await lock.query('SET lock_timeout = 0');
    await lock.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    const executor = new MigrationExecutor(dataSource, lock);
    executor.transaction = 'each';
    return logged(await executor.executePendingMigrations());
  } finally {
    await lock.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => undefined);
    await lock.query('RESET statement_timeout').catch(() => undefined);
    await lock.query('RESET lock_timeout').catch(() => undefined);
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
