import 'reflect-metadata';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { NestFactory } from '@nestjs/core';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppModule } from '../src/app.module';
import { configureApp, createHttpAdapter } from '../src/bootstrap/configure-app';
import { ApiVersion, createOpenApiDocument } from '../src/bootstrap/openapi';
import { AppConfig } from '../src/config/app-config';

/**
 * Writes the committed OpenAPI documents from the code: `openapi/customers-v2.json` and
 * `openapi/customers-v1.json`. With `--check` it writes nothing and exits 1 when the committed
 * documents differ from the code (CI's drift check).
 *
 * The app boots without listening on a throw-away in-memory database, with a fixed configuration
 * that ignores the caller's environment, so the documents are the same on every machine.
 */
const OPENAPI_DIR = resolve(__dirname, '..', '..', 'openapi');
const VERSIONS: ApiVersion[] = ['v2', 'v1'];
const MAX_REPORTED_DIFFERENCES = 30;

export function documentFileName(version: ApiVersion): string {
  return `customers-${version}.json`;
}

/** Pretty JSON with keys in a stable order and a trailing newline. */
export function serialiseDocument(document: unknown): string {
  return `${JSON.stringify(sortKeys(document), null, 2)}\n`;
}

async function buildDocuments(): Promise<Record<ApiVersion, string>> {
  const config = AppConfig.fromEnvironment({
    PGLITE_DATA_DIR: 'memory://',
    AUTH_ISSUER: 'https://issuer.example/',
    AUTH_AUDIENCE: 'https://api.customers.local',
    EXPIRY_ENABLED: 'false',
    LOG_LEVEL: 'silent',
  });
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.forConfig(config),
    createHttpAdapter(),
    { logger: false, abortOnError: false },
  );
  try {
    await configureApp(app);
    await app.init();
    return {
      v2: serialiseDocument(createOpenApiDocument(app, 'v2')),
      v1: serialiseDocument(createOpenApiDocument(app, 'v1')),
    };
  } finally {
    await app.close();
  }
}

async function main(): Promise<void> {
  const check = process.argv.includes('--check');
  const documents = await buildDocuments();
  let drift = false;
  for (const version of VERSIONS) {
    const file = join(OPENAPI_DIR, documentFileName(version));
    const generated = documents[version];
    if (!check) {
      mkdirSync(OPENAPI_DIR, { recursive: true });
      writeFileSync(file, generated);
      console.log(`wrote ${file}`);
      continue;
    }
    if (!existsSync(file)) {
      drift = true;
      console.error(
        `openapi/${documentFileName(version)} is missing: run npm run openapi:generate`,
      );
      continue;
    }
    const committed = readFileSync(file, 'utf8');
    if (committed === generated) {
      console.log(`openapi/${documentFileName(version)} matches the code`);
      continue;
    }
    drift = true;
    const differences = describeDifferences(JSON.parse(committed), JSON.parse(generated));
    console.error(
      `openapi/${documentFileName(version)} differs from the code (${differences.length} difference(s)):`,
    );
    for (const line of differences.slice(0, MAX_REPORTED_DIFFERENCES)) {
      console.error(`  ${line}`);
    }
    if (differences.length > MAX_REPORTED_DIFFERENCES) {
      console.error(`  … and ${differences.length - MAX_REPORTED_DIFFERENCES} more`);
    }
  }
  if (drift) {
    console.error(
      '\nThe committed OpenAPI documents are out of date: run `npm run openapi:generate` and commit openapi/.',
    );
    process.exitCode = 1;
  }
}

/** One line per JSON pointer where the committed document (−) and the code (+) disagree. */
export function describeDifferences(
  committed: unknown,
  generated: unknown,
  pointer = '',
): string[] {
  if (isObject(committed) && isObject(generated)) {
    const keys = [...new Set([...Object.keys(committed), ...Object.keys(generated)])].sort();
    return keys.flatMap((key) => {
      const child = `${pointer}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`;
      if (!(key in generated)) {
        return [`- ${child} (only in the committed document)`];
      }
      if (!(key in committed)) {
        return [`+ ${child} (only in the code)`];
      }
      return describeDifferences(committed[key], generated[key], child);
    });
  }
  if (JSON.stringify(committed) === JSON.stringify(generated)) {
    return [];
  }
  return [`~ ${pointer || '/'}: committed ${preview(committed)}, code ${preview(generated)}`];
}

function preview(value: unknown): string {
  const text = JSON.stringify(value) ?? 'undefined';
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) {
    return value.map(sortKeys);
  }
  if (isObject(value)) {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((key) => [key, sortKeys(value[key])]),
    );
  }
  return value;
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
