import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppModule } from './app.module';
import { configureApp, createHttpAdapter } from './bootstrap/configure-app';
import { AppConfig, ConfigurationError } from './config/app-config';
import { devIssuerBanner } from './dev-issuer/dev-issuer-banner';

async function bootstrap(): Promise<void> {
  let config: AppConfig;
  try {
    config = AppConfig.fromEnvironment(process.env);
  } catch (error) {
    if (error instanceof ConfigurationError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.forConfig(config),
    createHttpAdapter(config),
    { bufferLogs: true },
  );
  await configureApp(app);
  await app.listen(config.port, '0.0.0.0');
  announce(config, await app.getUrl());
}

function announce(config: AppConfig, url: string): void {
  const logger = new Logger('Startup');
  const base = url
    .replace('[::1]', 'localhost')
    .replace('0.0.0.0', 'localhost')
    .replace('127.0.0.1', 'localhost');
  logger.log(`Customers API listening on ${base}; Swagger UI at ${base}/docs`);
  logger.log(
    config.database.url
      ? 'Database: PostgreSQL (DATABASE_URL)'
      : `Database: embedded PGlite in ${config.database.pgliteDataDir}`,
  );
  const devIssuer = devIssuerBanner(config, base);
  devIssuer.warnings.forEach((warning) => logger.warn(warning));
  devIssuer.lines.forEach((line) => logger.log(line));
}

bootstrap().catch((error: unknown) => {
  // Anything that stops start-up (database unreachable, port taken, ...) ends the process with a
  // one-line reason instead of an unhandled rejection.
  process.stderr.write(
    `Start-up failed: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
