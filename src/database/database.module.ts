import { Global, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { AdvisoryLockService } from './advisory-lock.service';
import { DatabaseAvailability } from './database-availability';
import { databaseOptions } from './database-options';
import { DATABASE_SETTINGS } from './database.tokens';
import { EmbeddedPostgres } from './embedded-postgres';
import { migrateSchema } from './migrate';
import { warnOfMissingServerTimeouts } from './server-timeouts';
import { PoolMode } from '../config/database-settings';
import { PreparedStatements } from './prepared-statements';
import { ReadReplicas } from './read-replicas';
import { ScheduledRunsRepository } from './scheduled-runs.repository';

const EMBEDDED_POSTGRES = Symbol('EMBEDDED_POSTGRES');
/** Carries the settings the start-up needs from the options factory to the data source factory. */
const STARTUP = Symbol('STARTUP');

interface StartupSettings {
  directUrl?: string;
  poolMode: PoolMode;
}

/** Provides the embedded PostgreSQL when no DATABASE_URL is configured, and null otherwise. */
@Global()
@Module({
  providers: [
    {
      provide: EMBEDDED_POSTGRES,
      inject: [AppConfig],
      useFactory: (config: AppConfig) =>
        config.database.url ? null : EmbeddedPostgres.start(config.database.pgliteDataDir),
    },
  ],
  exports: [EMBEDDED_POSTGRES],
})
export class EmbeddedPostgresModule {}

@Global()
@Module({
  imports: [
    EmbeddedPostgresModule,
    TypeOrmModule.forRootAsync({
      imports: [EmbeddedPostgresModule],
      inject: [AppConfig, EMBEDDED_POSTGRES],
      useFactory: (config: AppConfig, embedded: EmbeddedPostgres | null) => ({
        ...databaseOptions(
          embedded?.url ?? config.database.url!,
          embedded ? 1 : config.database.poolSize,
          config.database,
          embedded !== null,
        ),
        autoLoadEntities: true,
        [STARTUP]: {
          directUrl: embedded ? undefined : config.database.directUrl,
          poolMode: config.database.poolMode,
        } satisfies StartupSettings,
      }),
      dataSourceFactory: async (options) => {
        const dataSource = await new DataSource(options!).initialize();
        const startup = (options as unknown as { [STARTUP]: StartupSettings })[STARTUP];
        await migrateSchema(dataSource, startup.directUrl);
        if (startup.poolMode === 'transaction') {
          await warnOfMissingServerTimeouts(dataSource);
        }
        return dataSource;
      },
    }),
  ],
  providers: [
    AdvisoryLockService,
    DatabaseAvailability,
    PreparedStatements,
    ReadReplicas,
    ScheduledRunsRepository,
    { provide: DATABASE_SETTINGS, inject: [AppConfig], useFactory: (c: AppConfig) => c.database },
  ],
  exports: [
    AdvisoryLockService,
    DatabaseAvailability,
    PreparedStatements,
    ReadReplicas,
    ScheduledRunsRepository,
  ],
})
export class DatabaseModule implements OnApplicationShutdown {
  constructor(
    @Inject(EMBEDDED_POSTGRES) private readonly embedded: EmbeddedPostgres | null,
    private readonly dataSource: DataSource,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    if (!this.embedded) {
      return;
    }
    // The embedded server must outlive every connection to it.
    if (this.dataSource.isInitialized) {
      await this.dataSource.destroy();
    }
    await this.embedded.stop();
  }
}
