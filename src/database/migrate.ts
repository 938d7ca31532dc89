import { Logger } from '@nestjs/common';
import { DataSource, DataSourceOptions, Migration, MigrationExecutor } from 'typeorm';
import { server } from './server.repository';

const MIGRATION_LOCK_KEY = 7_146_001;

/**
 * Brings the schema up to date at start-up: on `directUrl` when given (a connection that bypasses
 * the pooler, so a long migration is not cut by the pooler's limits), else on the service's pool.
 * The embedded database (a pool of one session) needs no lock.
 */
export async function migrateSchema(dataSource: DataSource, directUrl?: string): Promise<void> {
  const shared = dataSource.driver.options.poolSize !== 1;
  if (!directUrl) {
    await applyMigrations(dataSource, shared);
    return;
  }
  const direct = await new DataSource({
    ...dataSource.options,
    url: directUrl,
    poolSize: 1,
  } as DataSourceOptions).initialize();
  try {
    await applyMigrations(direct, true);
  } finally {
    await direct.destroy();
  }
}

/**
 * Applies pending migrations. On a shared server instances that start together queue on an
 * advisory lock instead of racing. The lock is transaction-scoped and every pending migration runs
 * in that one transaction, so it works through a transaction pooler too (a session lock would stay
 * on a server session the pooler lends to others) and an upgrade applies whole or not at all.
 * The embedded database has one session, so it needs no lock.
 */
export async function applyMigrations(
  dataSource: DataSource,
  shared: boolean,
): Promise<Migration[]> {
  if (!shared) {
    return logged(await dataSource.runMigrations({ transaction: 'each' }));
  }
  const runner = dataSource.createQueryRunner();
  try {
    await runner.startTransaction();
    // The request timeouts are not meant for schema changes or for waiting on another instance.
    await server.waitTransactionLockUntimed(runner, MIGRATION_LOCK_KEY);
    const executor = new MigrationExecutor(dataSource, runner);
    executor.transaction = 'none';
    const applied = await executor.executePendingMigrations();
    await runner.commitTransaction();
    return logged(applied);
  } catch (error) {
    if (runner.isTransactionActive) {
      await runner.rollbackTransaction().catch(() => undefined);
    }
    throw error;
  } finally {
    await runner.release();
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
