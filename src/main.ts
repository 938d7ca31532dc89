import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppModule } from './app.module';
import { configureApp, createHttpAdapter } from './bootstrap/configure-app';
import { bannerText, localUrl, startupBanner } from './bootstrap/startup-banner';
import { AppConfig, configOrExit } from './config/app-config';
import { devIssuerWarnings } from './dev-issuer/dev-issuer-banner';
import { wantsPrettyLogs } from './observability/logging.module';

async function bootstrap(): Promise<void> {
  const config = configOrExit(1);
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.forConfig(config),
    createHttpAdapter(config),
    { bufferLogs: true },
  );
  await configureApp(app);
  await app.listen(config.port, '0.0.0.0');
  announce(config, await app.getUrl());
}

/** The warning, then the banner: printed last, after the framework's start-up lines. */
function announce(config: AppConfig, listeningUrl: string): void {
  const logger = new Logger('Startup');
  devIssuerWarnings(config).forEach((warning) => logger.warn(warning));
  const banner = startupBanner(config, localUrl(listeningUrl));
  if (wantsPrettyLogs(config)) {
    process.stdout.write(bannerText(banner));
  } else {
    // One JSON line like every other, so log collectors keep parsing.
    logger.log({ ...banner }, `Customers API ready; Swagger UI at ${banner.swaggerUi}`);
  }
}

bootstrap().catch((error: unknown) => {
  // Anything that stops start-up (database unreachable, port taken, ...) ends the process with a
  // one-line reason instead of an unhandled rejection.
  process.stderr.write(
    `Start-up failed: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
