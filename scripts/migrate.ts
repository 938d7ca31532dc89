import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { AppConfig, ConfigurationError } from '../src/config/app-config';
import { databaseOptions } from '../src/database/database-options';
import { EmbeddedPostgres } from '../src/database/embedded-postgres';
import { applyMigrations } from '../src/database/migrate';

/**
 * `npm run migration:run`: applies pending migrations to DATABASE_URL (or to the embedded
 * database in PGLITE_DATA_DIR) and exits, for deployments that migrate as a separate step.
 */
async function main(): Promise<void> {
  const config = AppConfig.fromEnvironment(process.env);
  const embedded = config.database.url
    ? undefined
    : await EmbeddedPostgres.start(config.database.pgliteDataDir);
  const dataSource = new DataSource(
    databaseOptions(embedded?.url ?? config.database.url!, embedded ? 1 : 2),
  );
  try {
    await dataSource.initialize();
    const pending = await dataSource.showMigrations();
    await applyMigrations(dataSource, !embedded);
    console.log(pending ? 'Migrations applied' : 'No pending migrations');
  } finally {
    if (dataSource.isInitialized) {
      await dataSource.destroy();
    }
    await embedded?.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigurationError ? error.message : error);
  process.exit(1);
});
