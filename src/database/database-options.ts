import { DataSourceOptions } from 'typeorm';
import { MIGRATIONS } from '../../migrations';

/** Options shared by the service and the TypeORM CLI: migrations only, never `synchronize`. */
export function databaseOptions(url: string, poolSize: number): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    poolSize,
    synchronize: false,
    migrationsRun: false,
    migrations: MIGRATIONS,
    migrationsTableName: 'schema_migrations',
    // Lets PostgreSQL kill statements that run away instead of holding a connection forever.
    extra: { statement_timeout: 30_000, application_name: 'customers' },
  };
}
