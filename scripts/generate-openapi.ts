import 'reflect-metadata';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { NestFactory } from '@nestjs/core';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppModule } from '../src/app.module';
import { configureApp, createHttpAdapter } from '../src/bootstrap/configure-app';
import { ApiVersion, createOpenApiDocument } from '../src/bootstrap/openapi';
import { AppConfig } from '../src/config/app-config';
import { createEventsAsyncApiDocument } from '../src/events/events-asyncapi';

/**
 * Writes the committed API documents from the code: `openapi/customers-v2.json`,
 * `openapi/customers-v1.json` and the events' AsyncAPI document
 * `openapi/customers-events.asyncapi.json`. With `--check` it writes nothing and exits 1 when the
 * committed documents differ from the code (CI's drift check).
 *
 * The app boots without listening on a throw-away in-memory database, with a fixed configuration
 * that ignores the caller's environment, so the documents are the same on every machine.
 */
const OPENAPI_DIR = resolve(__dirname, '..', '..', 'openapi');
/** The AsyncAPI document of the change events, next to the OpenAPI documents. */
export const EVENTS_DOCUMENT_FILE = 'customers-events.asyncapi.json';
const MAX_REPORTED_DIFFERENCES = 30;

export function documentFileName(version: ApiVersion): string {
  return `customers-${version}.json`;
}

/** Pretty JSON with keys in a stable order and a trailing newline. */
export function serialiseDocument(document: unknown): string {
  return `${JSON.stringify(sortKeys(document), null, 2)}\n`;
}

/** Each committed document by its file name in openapi/. */
async function buildDocuments(): Promise<Record<string, string>> {
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
    const v2 = createOpenApiDocument(app, 'v2');
    return {
      [documentFileName('v2')]: serialiseDocument(v2),
      [documentFileName('v1')]: serialiseDocument(createOpenApiDocument(app, 'v1')),
      [EVENTS_DOCUMENT_FILE]: serialiseDocument(createEventsAsyncApiDocument(v2)),
    };
  } finally {
    await app.close();
  }
}

async function main(): Promise<void> {
  const check = process.argv.includes('--check');
  const documents = await buildDocuments();
  let drift = false;
  for (const [name, generated] of Object.entries(documents)) {
    const file = join(OPENAPI_DIR, name);
    if (!check) {
      mkdirSync(OPENAPI_DIR, { recursive: true });
      writeFileSync(file, generated);
      console.log(`wrote ${file}`);
      continue;
    }
    if (!existsSync(file)) {
      drift = true;
      console.error(`openapi/${name} is missing: run npm run openapi:generate`);
      continue;
    }
    const committed = readFileSync(file, 'utf8');
    if (committed === generated) {
      console.log(`openapi/${name} matches the code`);
      continue;
    }
    drift = true;
    const differences = describeDifferences(JSON.parse(committed), JSON.parse(generated));
    console.error(`openapi/${name} differs from the code (${differences.length} difference(s)):`);
    for (const line of differences.slice(0, MAX_REPORTED_DIFFERENCES)) {
      console.error(`  ${line}`);
    }
    if (differences.length > MAX_REPORTED_DIFFERENCES) {
      console.error(`  … and ${differences.length - MAX_REPORTED_DIFFERENCES} more`);
    }
  }
  if (drift) {
    console.error(
      '\nThe committed API documents are out of date: run `npm run openapi:generate` and commit openapi/.',
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
