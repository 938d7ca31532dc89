import 'reflect-metadata';
import { DataSource, DataSourceOptions } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { databaseOptions } from './database-options';
import { EmbeddedPostgres } from './embedded-postgres';

/** A data source that also stops the embedded database it runs on when it is destroyed. */
class CliDataSource extends DataSource {
  constructor(
    options: DataSourceOptions,
    private readonly embedded?: EmbeddedPostgres,
  ) {
    super(options);
  }

  override async destroy(): Promise<void> {
    if (this.isInitialized) {
      await super.destroy();
    }
    await this.embedded?.stop();
  }
}

/**
 * The database the service would use (DATABASE_URL, or the embedded one in PGLITE_DATA_DIR), for
 * the migration commands; destroying it stops the embedded database too.
 */
export async function cliDataSource(
  env: Record<string, string | undefined> = process.env,
): Promise<DataSource> {
  const config = AppConfig.fromEnvironment(env);
  const embedded = config.database.url
    ? undefined
    : await EmbeddedPostgres.start(config.database.pgliteDataDir);
  return new CliDataSource(
    databaseOptions(embedded?.url ?? config.database.url!, embedded ? 1 : 2),
    embedded,
  );
}
