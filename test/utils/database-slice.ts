import 'reflect-metadata';
import { ModuleMetadata } from '@nestjs/common';
import { Test, TestingModule } from '@nestjs/testing';
import { DataSource } from 'typeorm';
import { AuditModule } from '../../src/audit/audit.module';
import { ClockModule } from '../../src/common/clock/clock';
import { RequestCaller } from '../../src/common/http/request-caller';
import { AppConfig } from '../../src/config/app-config';
import { AppConfigModule } from '../../src/config/config.module';
import { DatabaseModule } from '../../src/database/database.module';
import { EventsOutboxModule } from '../../src/events/events-outbox.module';
import { IdempotencyModule } from '../../src/idempotency/idempotency.module';
import { ObservabilityModule } from '../../src/observability/observability.module';
import { OrganisationsModule } from '../../src/organisations/organisations.module';
import { PasswordsModule } from '../../src/passwords/passwords.module';
import { testDatabaseEnv } from './test-app';

export interface DatabaseSlice {
  moduleRef: TestingModule;
  dataSource: DataSource;
  config: AppConfig;
  close(): Promise<void>;
}

/**
 * Boots the database module (PGlite in memory, or TEST_DATABASE_URL) with migrations applied and
 * the global modules every feature leans on (config, clock, metrics, audit trail, event outbox,
 * passwords, idempotency, the organisation registry seeded from ORGANISATIONS), plus the feature modules a test names; no HTTP, no guards. Repositories
 * and services are taken from `moduleRef` and driven directly.
 */
export async function createDatabaseSlice(
  imports: ModuleMetadata['imports'] = [],
  env: Record<string, string> = {},
): Promise<DatabaseSlice> {
  const config = AppConfig.fromEnvironment({
    ...testDatabaseEnv(),
    PGLITE_DATA_DIR: 'memory://',
    AUTH_ISSUER: 'https://issuer.test',
    AUTH_AUDIENCE: 'https://customers.test',
    ORGANISATIONS: '1:Org One,2:Org Two,3:Org Three',
    EXPIRY_ENABLED: 'false',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    DATABASE_ACQUIRE_TIMEOUT_MS: '60000',
    DATABASE_STATEMENT_TIMEOUT_MS: '60000',
    ...env,
  });
  const moduleRef = await Test.createTestingModule({
    imports: [
      AppConfigModule.forRoot(config),
      ObservabilityModule,
      DatabaseModule,
      ClockModule,
      PasswordsModule,
      EventsOutboxModule,
      AuditModule,
      IdempotencyModule,
      OrganisationsModule,
      ...imports,
    ],
  }).compile();
  moduleRef.useLogger(false);
  await moduleRef.init();
  return {
    moduleRef,
    config,
    dataSource: moduleRef.get(DataSource),
    close: () => moduleRef.close(),
  };
}

/** A caller of one organisation, as `@CurrentCaller()` would build it from a token. */
export function callerOf(organisationId: number, permissions: string[] = []): RequestCaller {
  return {
    organisationId,
    clientId: `slice-client-${organisationId}`,
    clientName: 'database slice test',
    correlationId: `slice-${organisationId}-${Math.random().toString(36).slice(2)}`,
    permissions: new Set(permissions),
  };
}
