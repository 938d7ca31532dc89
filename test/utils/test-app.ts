import 'reflect-metadata';
import { Type } from '@nestjs/common';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { DataSource } from 'typeorm';
import { AppModule } from '../../src/app.module';
import { configureApp, createHttpAdapter } from '../../src/bootstrap/configure-app';
import { AppConfig } from '../../src/config/app-config';
import { HttpClient } from './http-client';
import { TEST_AUDIENCE, TestIssuer } from './test-issuer';

export interface TestApp {
  app: NestFastifyApplication;
  http: HttpClient;
  issuer: TestIssuer;
  dataSource: DataSource;
  baseUrl: string;
  close(): Promise<void>;
}

/** Which database the suite runs on: PostgreSQL when TEST_DATABASE_URL is set, else PGlite. */
export const onPostgres = Boolean(process.env.TEST_DATABASE_URL);

/**
 * Whether TEST_DATABASE_URL points through a pooler in transaction mode: there no connection keeps
 * its server session, so session mode (session locks, session settings) cannot run on it.
 */
export const behindTransactionPooler = process.env.TEST_DATABASE_POOL_MODE === 'transaction';

/**
 * The suite's PostgreSQL without the pooler, for what a pooler does not serve (creating and copying
 * databases): TEST_DATABASE_DIRECT_URL, required behind a transaction pooler; else TEST_DATABASE_URL.
 */
export function directTestDatabaseUrl(): string {
  const url = process.env.TEST_DATABASE_DIRECT_URL ?? process.env.TEST_DATABASE_URL;
  if (!url || (behindTransactionPooler && !process.env.TEST_DATABASE_DIRECT_URL)) {
    throw new Error(
      'TEST_DATABASE_DIRECT_URL: required with TEST_DATABASE_POOL_MODE=transaction ' +
        '(the same database as TEST_DATABASE_URL, on PostgreSQL itself)',
    );
  }
  return url;
}

/**
 * The database settings of the suite's apps (in-process, child processes and the CLI alike):
 * TEST_DATABASE_URL, and TEST_DATABASE_POOL_MODE=transaction when it points through PgBouncer in
 * transaction mode. Nothing for PGlite.
 */
export function testDatabaseEnv(): Record<string, string> {
  if (!process.env.TEST_DATABASE_URL) {
    return {};
  }
  return {
    DATABASE_URL: process.env.TEST_DATABASE_URL,
    ...(process.env.TEST_DATABASE_POOL_MODE
      ? { DATABASE_POOL_MODE: process.env.TEST_DATABASE_POOL_MODE }
      : {}),
  };
}

/**
 * Boots the real application (every module, guard, pipe and filter), listening on loopback, with a
 * test issuer whose JWKS it trusts. On PGlite each app gets a fresh in-memory database; on
 * PostgreSQL suites share the database, so they create their own data with unique values.
 * An empty value in `env` unsets a default (e.g. `AUTH_ISSUER: ''` for the development issuer).
 */
export async function createTestApp(
  env: Record<string, string> = {},
  options: { extraModules?: Type[] } = {},
): Promise<TestApp> {
  const issuer = await new TestIssuer().start();
  let app: NestFastifyApplication | undefined;
  try {
    const config = AppConfig.fromEnvironment({
      ...testDatabaseEnv(),
      PGLITE_DATA_DIR: 'memory://',
      AUTH_ISSUER: issuer.issuer,
      AUTH_AUDIENCE: TEST_AUDIENCE,
      ORGANISATIONS: '1:Org One,2:Org Two,3:Org Three',
      EXPIRY_ENABLED: 'false',
      DEV_AUTH_KEY_FILE: ':memory:',
      LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
      // Test machines stall for seconds under parallel suites: waits that production bounds
      // tightly are loose here, and the tests of those bounds set their own.
      LOAD_SHEDDING_MAX_EVENT_LOOP_DELAY_MS: '0',
      DATABASE_ACQUIRE_TIMEOUT_MS: '60000',
      DATABASE_STATEMENT_TIMEOUT_MS: '60000',
      REQUEST_TIMEOUT_MS: '60000',
      ...env,
    });
    const moduleRef = await Test.createTestingModule({
      imports: [AppModule.forConfig(config), ...(options.extraModules ?? [])],
    }).compile();
    app = moduleRef.createNestApplication<NestFastifyApplication>(createHttpAdapter(config), {
      logger: false,
    });
    await configureApp(app);
    // A fixed PORT only when a test asks for one (the development issuer's URLs contain it).
    await app.listen(env.PORT ? config.port : 0, '127.0.0.1');
    const baseUrl = (await app.getUrl()).replace('[::1]', '127.0.0.1');
    const started = app;
    return {
      app: started,
      issuer,
      baseUrl,
      http: new HttpClient(baseUrl),
      dataSource: started.get(DataSource),
      async close() {
        await started.close();
        await issuer.stop();
      },
    };
  } catch (error) {
    // A failed start must not leave the issuer or the app listening: jest would never exit.
    await app?.close().catch(() => undefined);
    await issuer.stop();
    throw error;
  }
}
