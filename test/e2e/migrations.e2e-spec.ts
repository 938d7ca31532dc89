import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { MIGRATIONS } from '../../migrations';
import { cliDataSource } from '../../src/database/cli-data-source';
import { createProfile } from '../factories/profile.factory';
import {
  behindTransactionPooler,
  createTestApp,
  directTestDatabaseUrl,
  onPostgres,
} from '../utils/test-app';

/**
 * The migration commands as an operator runs them from the built image (`dist/`, no build), on a
 * copy of a populated database: the latest migration reverts and applies again without losing
 * data, and every migration's `down` works.
 */
const ROOT = resolve(__dirname, '../..');
const TYPEORM = join(ROOT, 'node_modules/typeorm/cli.js');
const DATA_SOURCE = join(ROOT, 'dist/src/database/data-source.js');
const MIGRATE = join(ROOT, 'dist/scripts/migrate.js');
const COMMAND_TIMEOUT_MS = 120_000;

function run(args: string[], env: Record<string, string>): Promise<string> {
  return new Promise((done, fail) =>
    execFile(
      process.execPath,
      args,
      { cwd: ROOT, env: { PATH: process.env.PATH, ...env }, timeout: COMMAND_TIMEOUT_MS },
      (error, stdout, stderr) =>
        error
          ? fail(new Error(`${args.join(' ')}: ${error.message}\n${stdout}${stderr}`))
          : done(stdout + stderr),
    ),
  );
}

/** Tables, columns and indexes of the public schema: what the migrations built. */
async function schemaOf(dataSource: DataSource): Promise<string[]> {
  const columns: { c: string }[] = await dataSource.query(
    `SELECT table_name || '.' || column_name || ' ' || data_type AS c FROM information_schema.columns
      WHERE table_schema = 'public' AND table_name <> 'schema_migrations' ORDER BY 1`,
  );
  const indexes: { c: string }[] = await dataSource.query(
    `SELECT indexdef AS c FROM pg_indexes WHERE schemaname = 'public' AND tablename <> 'schema_migrations' ORDER BY 1`,
  );
  return [...columns, ...indexes].map((row) => row.c);
}

async function profileCount(dataSource: DataSource): Promise<number> {
  const [{ n }] = await dataSource.query(`SELECT count(*)::int AS n FROM profiles`);
  return n as number;
}

/** A populated database and a copy of it: a PGlite folder, or a PostgreSQL database from a template. */
async function populatedCopy(): Promise<{
  env: Record<string, string>;
  drop: () => Promise<void>;
}> {
  const folder = onPostgres ? undefined : mkdtempSync(join(tmpdir(), 'customers-migrations-'));
  const source: Record<string, string> = folder ? { PGLITE_DATA_DIR: join(folder, 'source') } : {};
  const t = await createTestApp(source);
  try {
    for (let i = 0; i < 3; i++) {
      await createProfile(t);
    }
  } finally {
    await t.close();
  }
  if (folder) {
    cpSync(join(folder, 'source'), join(folder, 'copy'), { recursive: true });
    return {
      env: { PGLITE_DATA_DIR: join(folder, 'copy') },
      drop: async () => rmSync(folder, { recursive: true, force: true }),
    };
  }
  // On PostgreSQL itself: a pooler serves neither the maintenance database nor the copy.
  const url = new URL(directTestDatabaseUrl());
  const original = url.pathname.slice(1);
  const copy = `${original}_migrations_copy`;
  const admin = new Client({
    connectionString: Object.assign(new URL(url), { pathname: '/postgres' }).toString(),
  });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS "${copy}" WITH (FORCE)`);
  if (behindTransactionPooler) {
    // A template must have no other session, and the pooler keeps its idle ones on the original.
    await admin.query(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
        WHERE datname = $1 AND pid <> pg_backend_pid()`,
      [original],
    );
  }
  await admin.query(`CREATE DATABASE "${copy}" TEMPLATE "${original}"`);
  url.pathname = `/${copy}`;
  return {
    env: { DATABASE_URL: url.toString() },
    drop: async () => {
      await admin.query(`DROP DATABASE IF EXISTS "${copy}" WITH (FORCE)`);
      await admin.end();
    },
  };
}

describe('migrations on a copy of a populated database', () => {
  jest.setTimeout(6 * COMMAND_TIMEOUT_MS);

  it('should revert the latest and apply it again with the CLI, and run every down', async () => {
    const { env, drop } = await populatedCopy();
    try {
      const latest = MIGRATIONS.at(-1)!.name;
      const shown = await run([TYPEORM, 'migration:show', '-d', DATA_SOURCE], env);
      expect(shown).toContain(`[X] `);
      expect(shown).toContain(latest);

      const reverted = await run([TYPEORM, 'migration:revert', '-d', DATA_SOURCE], env);
      expect(reverted).toContain(`${latest} has been reverted successfully`);
      const applied = await run([MIGRATE], env);
      expect(applied).toContain(`Applied migration ${latest}`);
      expect(applied).toContain('1 migration(s) applied');

      const dataSource = await (await cliDataSource(env)).initialize();
      try {
        expect(await profileCount(dataSource)).toBeGreaterThanOrEqual(3);
        const migrated = await schemaOf(dataSource);
        // Every down, newest first, down to an empty schema; then every up again.
        for (let i = MIGRATIONS.length; i > 0; i--) {
          await dataSource.undoLastMigration({ transaction: 'each' });
        }
        expect(await schemaOf(dataSource)).toEqual([]);
        expect(await dataSource.runMigrations({ transaction: 'each' })).toHaveLength(
          MIGRATIONS.length,
        );
        expect(await schemaOf(dataSource)).toEqual(migrated);
      } finally {
        await dataSource.destroy();
      }
    } finally {
      await drop();
    }
  });
});
