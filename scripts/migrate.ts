import 'reflect-metadata';
import { ConfigurationError } from '../src/config/app-config';
import { cliDataSource } from '../src/database/cli-data-source';
import { applyMigrations } from '../src/database/migrate';

/**
 * `npm run migration:run`: applies pending migrations to DATABASE_URL (or to the embedded
 * database in PGLITE_DATA_DIR) under the start-up's advisory lock, names each one, and exits; for
 * deployments that migrate as a separate step. Runs from dist/ (the image has no compiler).
 */
async function main(): Promise<void> {
  const dataSource = await cliDataSource();
  try {
    await dataSource.initialize();
    const shared = dataSource.driver.options.poolSize !== 1;
    const applied = await applyMigrations(dataSource, shared);
    console.log(`${applied.length} migration(s) applied`);
  } finally {
    await dataSource.destroy();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigurationError ? error.message : error);
  process.exit(1);
});
