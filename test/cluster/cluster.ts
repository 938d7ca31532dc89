import { spawn, spawnSync } from 'node:child_process';
import { appendFileSync, openSync, closeSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sign } from 'jsonwebtoken';
import { Client } from 'pg';
import { loadOrCreateSigningKey } from '../../src/dev-issuer/dev-issuer-keys';

/**
 * The cluster test/cluster/run.sh brought up (deploy/local-cluster/up.sh with ports and a folder
 * of its own): where its parts listen, and how a drill stops, starts and inspects them.
 */
function setting(name: string): string {
  const value = process.env[name];
  if (!value) {
    throw new Error(`${name} is not set: run the drills with npm run test:cluster`);
  }
  return value;
}

export const cluster = {
  dir: setting('CLUSTER_DIR'),
  pgBin: setting('PG_BIN'),
  primaryPort: Number(setting('PRIMARY_PORT')),
  haproxyPort: Number(setting('HAPROXY_PORT')),
  statsPort: Number(setting('HAPROXY_STATS_PORT')),
  instancePorts: setting('INSTANCE_PORTS').split(/\s+/).filter(Boolean).map(Number),
  dbName: setting('DB_NAME'),
  rateLimitPerMinute: Number(setting('DRILL_RATE_LIMIT_PER_MINUTE')),
  requestTimeoutMs: Number(setting('DRILL_REQUEST_TIMEOUT_MS')),
};

export const serviceUrl = `http://127.0.0.1:${cluster.haproxyPort}`;
export const instanceUrl = (port: number) => `http://127.0.0.1:${port}`;
const pidFile = (name: string) => join(cluster.dir, 'pids', `${name}.pid`);

export function pidOf(name: string): number {
  return Number(readFileSync(pidFile(name), 'utf8').trim());
}

/** Runs up.sh again (idempotent: starts only what is not running); its output goes to logs/up.log. */
export function upAgain(): Promise<void> {
  const log = join(cluster.dir, 'logs', 'up.log');
  appendFileSync(log, `\n--- up.sh again at ${new Date().toISOString()}\n`);
  const fd = openSync(log, 'a');
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['deploy/local-cluster/up.sh'], { stdio: ['ignore', fd, fd] });
    child.on('error', reject);
    child.on('exit', (code) => {
      closeSync(fd);
      if (code === 0) {
        resolve();
      } else {
        reject(new Error(`up.sh exited with ${code}; see ${log}`));
      }
    });
  });
}

/** pg_ctl on one of the cluster's servers (as postgres when root, as up.sh does). */
export function pgCtl(server: 'primary' | 'replica', ...args: string[]): void {
  const command = [join(cluster.pgBin, 'pg_ctl'), '-D', join(cluster.dir, server), ...args];
  const [file, ...rest] =
    process.getuid?.() === 0 ? ['runuser', '-u', 'postgres', '--', ...command] : command;
  const result = spawnSync(file, rest, { encoding: 'utf8' });
  if (result.status !== 0) {
    throw new Error(`pg_ctl ${args.join(' ')} failed: ${result.stderr || result.stdout}`);
  }
}

/** One server's status in HAProxy's statistics (UP, DOWN, "UP 1/2", ...). */
export async function haproxyStatus(server: string): Promise<string> {
  const csv = await (await fetch(`http://127.0.0.1:${cluster.statsPort}/;csv`)).text();
  const [header, ...lines] = csv.trim().split('\n');
  const columns = header.replace(/^# /, '').split(',');
  const status = columns.indexOf('status');
  const row = lines.map((line) => line.split(',')).find((cells) => cells[1] === server);
  return row?.[status] ?? 'absent';
}

/** The sum of a metric's samples with these labels over every instance that answers. */
export async function metricSum(name: string, labels: Record<string, string>): Promise<number> {
  let sum = 0;
  for (const port of cluster.instancePorts) {
    const res = await fetch(`${instanceUrl(port)}/metrics`).catch(() => undefined);
    if (!res?.ok) {
      continue;
    }
    for (const line of (await res.text()).split('\n')) {
      const match = /^([a-z_]+)(?:\{([^}]*)\})? ([0-9.e+-]+)$/.exec(line);
      if (match?.[1] !== name) {
        continue;
      }
      const own = Object.fromEntries(
        (match[2] ?? '')
          .split(',')
          .filter(Boolean)
          .map((pair) => pair.split('=').map((part) => part.replace(/"/g, ''))),
      );
      if (Object.entries(labels).every(([key, value]) => own[key] === value)) {
        sum += Number(match[3]);
      }
    }
  }
  return sum;
}

/** A statement on the primary directly (for what only the database knows: migrations, claims). */
export async function onPrimary<T>(sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new Client({
    host: '127.0.0.1',
    port: cluster.primaryPort,
    user: 'postgres',
    database: cluster.dbName,
  });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows as T[];
  } finally {
    await client.end();
  }
}

export function instanceLog(port: number): string {
  return readFileSync(join(cluster.dir, 'logs', `instance-${port}.log`), 'utf8');
}

const signingKey = () => loadOrCreateSigningKey(join(cluster.dir, 'dev-issuer-key.json'));

/**
 * A client-credentials token as the cluster's development issuer signs it (the shared key file),
 * for any client id: the throttler keys budgets by client, so each load worker has clients of its
 * own and the rate-limit drill one nobody else uses.
 */
export function tokenFor(clientId: string, organisationId = 1): string {
  const key = signingKey();
  return sign(
    {
      'https://entur.io/organisationID': organisationId,
      permissions: [
        'customers:read',
        'customers:write',
        'consents:read',
        'consents:write',
        'customers:export',
      ],
      azp: clientId,
    },
    key.privateKey,
    {
      algorithm: 'RS256',
      keyid: key.kid,
      issuer: `${serviceUrl}/`,
      audience: 'https://api.customers.local',
      subject: `${clientId}@clients`,
      expiresIn: 3600,
    },
  );
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls until `done` (bounded: a hang becomes a failure naming what was awaited). */
export async function until(
  what: string,
  done: () => Promise<boolean>,
  timeoutMs = 60_000,
): Promise<number> {
  const started = Date.now();
  while (!(await done().catch(() => false))) {
    if (Date.now() - started > timeoutMs) {
      throw new Error(`gave up after ${timeoutMs} ms waiting for: ${what}`);
    }
    await sleep(100);
  }
  return Date.now() - started;
}
