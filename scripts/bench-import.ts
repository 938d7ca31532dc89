import 'reflect-metadata';
import { pbkdf2Sync, randomBytes } from 'node:crypto';
import { cpus } from 'node:os';
import { NestFactory } from '@nestjs/core';
import { hashSync } from 'bcryptjs';
import { DataSource } from 'typeorm';
import { AppModule } from '../src/app.module';
import { AppConfig } from '../src/config/app-config';
import { ImportWorker } from '../src/imports/import-worker';
import { ImportsService } from '../src/imports/imports.service';

/**
 * `npm run bench:import` (builds first): the import rate of the bulk import, in process (no HTTP:
 * the upload is streamed into ImportsService.start as the route does, then ImportWorker works the
 * job batch by batch as the background worker does). Scenarios: profiles without a password,
 * with an imported bcrypt hash (stored as is), with an imported PBKDF2 hash, and with a plain
 * `password` (argon2id hashed at import, the slow case).
 *
 * Env: BENCH_DATABASE_URL (unset: embedded PGlite in memory), LINES (10000), PASSWORD_LINES (500),
 * IMPORT_BATCH_SIZE (200), SCENARIOS (comma-separated numbers 1-4 of the scenarios to run; all).
 */
const env = process.env;
const LINES = Number(env.LINES ?? 10_000);
const PASSWORD_LINES = Number(env.PASSWORD_LINES ?? 500);
const SCENARIOS = env.SCENARIOS?.split(',').map(Number);

type Extra = (i: number) => Record<string, unknown>;

async function* file(run: string, lines: number, extra: Extra): AsyncGenerator<Buffer> {
  const chunk: string[] = [];
  for (let i = 1; i <= lines; i++) {
    chunk.push(
      JSON.stringify({
        firstName: 'Bench',
        surname: `Import${i % 1000}`,
        email: `import-${run}-${i}@example.com`,
        customerRef: `imp-${run}-${i}`,
        telephoneNumber: `+47 4${String(i % 10_000_000).padStart(7, '0')}`,
        createdBy: 'bench',
        createdByChannel: 'import',
        ...extra(i),
      }),
    );
    if (chunk.length === 1000 || i === lines) {
      yield Buffer.from(`${chunk.join('\n')}\n`);
      chunk.length = 0;
    }
  }
}

async function main(): Promise<void> {
  const config = AppConfig.fromEnvironment({
    DATABASE_URL: env.BENCH_DATABASE_URL,
    PGLITE_DATA_DIR: 'memory://',
    AUTH_ISSUER: 'http://127.0.0.1:9/',
    ORGANISATIONS: '1:Bench',
    EXPIRY_ENABLED: 'false',
    IMPORT_WORKER_ENABLED: 'false',
    IMPORT_BATCH_SIZE: env.IMPORT_BATCH_SIZE ?? '200',
    LOG_LEVEL: 'silent',
  });
  const app = await NestFactory.createApplicationContext(AppModule.forConfig(config), {
    logger: false,
  });
  const imports = app.get(ImportsService);
  const worker = app.get(ImportWorker);
  const dataSource = app.get(DataSource);
  const salt = randomBytes(16);
  const bcrypt = hashSync('Bench-pass1', 10);
  const pbkdf2 = `$pbkdf2-sha256$i=600000$${salt.toString('base64').replace(/=+$/, '')}$${pbkdf2Sync('Bench-pass1', salt, 600_000, 32, 'sha256').toString('base64').replace(/=+$/, '')}`;
  const scenarios: [string, number, Extra][] = [
    ['no password', LINES, () => ({})],
    ['imported bcrypt hash', LINES, () => ({ passwordHash: bcrypt })],
    ['imported PBKDF2 hash', LINES, () => ({ passwordHash: pbkdf2 })],
    ['plain password (argon2id at import)', PASSWORD_LINES, () => ({ password: 'Bench-pass1' })],
  ];
  const caller = {
    clientId: 'bench',
    organisationId: 1,
    permissions: new Set(['customers:import']),
    correlationId: 'bench-import',
  };
  console.log(
    `# bulk import, ${env.BENCH_DATABASE_URL ? 'PostgreSQL' : 'embedded PGlite'}, ` +
      `batch ${config.imports.batchSize}, ${cpus().length} cores, ${new Date().toISOString()}`,
  );
  console.log('| scenario | lines | upload (lines/s) | job (profiles/s) | created | peak RSS MB |');
  console.log('|---|---:|---:|---:|---:|---:|');
  let peakRss = 0;
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }, 200);
  try {
    for (const [index, [name, lines, extra]] of scenarios.entries()) {
      if (SCENARIOS && !SCENARIOS.includes(index + 1)) {
        continue;
      }
      peakRss = process.memoryUsage().rss;
      const run = randomBytes(4).toString('hex');
      const started = performance.now();
      const job = await imports.start(caller, false, file(run, lines, extra));
      const uploaded = performance.now();
      await worker.work(job.id);
      const done = performance.now();
      const rows: { created: number }[] = await dataSource.query(
        'SELECT created FROM import_jobs WHERE id = $1',
        [job.id],
      );
      const rate = (n: number, ms: number) => Math.round((n / ms) * 1000).toLocaleString('en');
      console.log(
        `| ${name} | ${lines.toLocaleString('en')} | ${rate(lines, uploaded - started)} | ` +
          `${rate(lines, done - uploaded)} | ${rows[0].created.toLocaleString('en')} | ` +
          `${Math.round(peakRss / 1024 / 1024)} |`,
      );
    }
  } finally {
    clearInterval(sampler);
    await app.close();
  }
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
