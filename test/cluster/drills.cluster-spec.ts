import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { MIGRATIONS } from '../../migrations';
import { EXPIRY_JOB_NAME } from '../../src/expiry/expiry.constants';
import {
  cluster,
  haproxyStatus,
  instanceLog,
  instanceUrl,
  metricSum,
  onPrimary,
  pgCtl,
  pidOf,
  serviceUrl,
  sleep,
  tokenFor,
  until,
  upAgain,
} from './cluster';
import { Load, Tally } from './load';

/**
 * Fault drills on the local cluster (test/cluster/run.sh brings it up with up.sh and tears it
 * down): each fault under a steady mixed load through HAProxy, then a check that no acknowledged
 * write was lost. Each drill adds its figures to $CLUSTER_DIR/report.txt, which run.sh prints.
 */
jest.setTimeout(180_000);

const WORKERS = 4;
const CLIENTS_PER_WORKER = 10;
/** HAProxy checks every second and takes a server out after two failed checks. */
const HEALTH_INTERVAL_MS = 1_000;
/** Slack for a loaded machine: the answer itself, scheduling. */
const MARGIN_MS = 2_000;
/** Slack of a measured moment: the stats are polled every 100 ms, on a loaded machine. */
const POLL_SLACK_MS = 1_000;
const WARM_UP_MS = 2_000;
/** From the restart of a stopped part (up.sh) to the service answering again. */
const RECOVERY_MS = 10_000;
const SETTLE_MS = 2_000;
const REPORT = join(cluster.dir, 'report.txt');
const METRIC_READS = 'customers_lag_tolerant_reads_total';

interface Drill {
  tally: Tally;
  verified: { checked: number; lost: number; examples: string[] };
  notes: string[];
}

/** Runs `fault` under the load and verifies the writes, whatever happens; reports the figures. */
async function underLoad(
  name: string,
  fault: (load: Load, notes: string[]) => Promise<void>,
): Promise<Drill> {
  const started = Date.now();
  const notes: string[] = [];
  process.stderr.write(`drill: ${name}\n`);
  const load = new Load(
    name.replace(/\W/g, '').slice(0, 12),
    WORKERS,
    timeoutMs(),
    CLIENTS_PER_WORKER,
  );
  load.start();
  let failure: Error | undefined;
  try {
    await sleep(WARM_UP_MS);
    await fault(load, notes);
    await sleep(SETTLE_MS);
  } catch (err) {
    failure = err instanceof Error ? err : new Error(String(err));
  }
  const tally = await load.stop();
  const verified = await load.verify();
  const failed =
    Object.entries(tally.failed)
      .map(([k, n]) => `${k}×${n}`)
      .join(' ') || 'none';
  appendFileSync(
    REPORT,
    [
      `${name}  (${((Date.now() - started) / 1000).toFixed(1)} s)`,
      `  sent ${tally.sent}, acknowledged ${tally.acknowledged}, failed ${failed}` +
        `${tally.notProblemJson ? `, not problem+json ${tally.notProblemJson}` : ''}`,
      `  writes verified ${verified.checked}, lost ${verified.lost}; slowest answer ${tally.maxLatencyMs} ms`,
      ...notes.map((note) => `  ${note}`),
      ...verified.examples.map((example) => `  LOST ${example}`),
      ...(failure ? [`  FAULT STEP FAILED: ${failure.message}`] : []),
      '',
    ].join('\n'),
  );
  if (failure) {
    throw failure;
  }
  return { tally, verified, notes };
}

/** The client gives up after the service's request timeout and a margin. */
const timeoutMs = () => cluster.requestTimeoutMs + 2 * MARGIN_MS;

const failures = (tally: Tally) => Object.values(tally.failed).reduce((a, b) => a + b, 0);

async function serviceAnswers(): Promise<boolean> {
  const res = await fetch(`${serviceUrl}/customers/v2/profiles-search?surname=Nobody`, {
    headers: { authorization: `Bearer ${tokenFor('drill-probe')}` },
    signal: AbortSignal.timeout(timeoutMs()),
  });
  return res.ok;
}

const instancePids = () => cluster.instancePorts.map((port) => pidOf(`instance-${port}`));

describe('cluster drills', () => {
  it('three instances started at once on an empty database: migrations once, expiry once per tick', async () => {
    const { tally, verified } = await underLoad(
      'three instances at once on an empty database',
      async (_load, notes) => {
        const [{ rows }] = await onPrimary<{ rows: number }>(
          'SELECT count(*)::int AS rows FROM schema_migrations',
        );
        const applied = cluster.instancePorts.flatMap((port) =>
          [...instanceLog(port).matchAll(/Applied migration (\w+)/g)].map((m) => m[1]),
        );
        notes.push(
          `migrations: ${MIGRATIONS.length} known, ${rows} rows in schema_migrations, ` +
            `${applied.length} "Applied migration" log lines over ${cluster.instancePorts.length} instances`,
        );
        expect(rows).toBe(MIGRATIONS.length);
        expect(applied).toHaveLength(MIGRATIONS.length);
        expect(new Set(applied).size).toBe(MIGRATIONS.length);

        const runs = async () => ({
          ran: await metricSum('customers_expiry_runs_total', { outcome: 'ran' }),
          skipped: await metricSum('customers_expiry_runs_total', { outcome: 'skipped' }),
        });
        const before = await runs();
        const from = Date.now();
        await sleep(8_000);
        const after = await runs();
        const to = Date.now();
        const ticks = Math.floor(to / 1000) - Math.floor(from / 1000);
        const ran = after.ran - before.ran;
        const skipped = after.skipped - before.skipped;
        const [claims] = await onPrimary<{ claims: number; ticks: number; instances: number }>(
          `SELECT count(*)::int AS claims, count(DISTINCT tick)::int AS ticks,
                  count(DISTINCT instance)::int AS instances
             FROM scheduled_runs WHERE job = $1 AND tick >= $2 AND tick < $3`,
          [EXPIRY_JOB_NAME, new Date(from), new Date(to)],
        );
        notes.push(
          `expiry: ${ticks} ticks elapsed, runs ran ${ran} / skipped ${skipped} over the instances; ` +
            `scheduled_runs ${claims.claims} claims for ${claims.ticks} ticks by ${claims.instances} instances`,
        );
        // Once per tick: never more runs than ticks (one in flight at each end of the window).
        expect(ran).toBeLessThanOrEqual(ticks + 1);
        expect(ran).toBeGreaterThanOrEqual(ticks / 2);
        expect(claims.claims).toBe(claims.ticks);
        expect(ran + skipped).toBeGreaterThanOrEqual(ran);
      },
    );
    expect(failures(tally)).toBe(0);
    expect(verified.lost).toBe(0);
  });

  it('a client at its rate limit on one instance is limited on the others too', async () => {
    const { tally, verified } = await underLoad('rate limit shared', async (_load, notes) => {
      const token = tokenFor('drill-limited-client');
      const get = (port: number) =>
        fetch(`${instanceUrl(port)}/customers/v2/consents/consents`, {
          headers: { authorization: `Bearer ${token}` },
        });
      const [first, ...others] = cluster.instancePorts;
      let sent = 0;
      let limited = false;
      while (!limited && sent < cluster.rateLimitPerMinute + 50) {
        const batch = await Promise.all(Array.from({ length: 10 }, () => get(first)));
        sent += batch.length;
        limited = batch.some((res) => res.status === 429);
      }
      notes.push(
        `limited on instance ${first} after ${sent} requests (limit ${cluster.rateLimitPerMinute}/min)`,
      );
      expect(limited).toBe(true);
      for (const port of others) {
        const res = await get(port);
        expect([port, res.status]).toEqual([port, 429]);
        expect(res.headers.get('content-type')).toContain('application/problem+json');
        expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
      }
      const through = await fetch(`${serviceUrl}/customers/v2/consents/consents`, {
        headers: { authorization: `Bearer ${token}` },
      });
      expect(through.status).toBe(429);
      notes.push(
        `429 problem+json with Retry-After on instances ${others.join(', ')} and through HAProxy`,
      );
    });
    // The load's clients have budgets of their own.
    expect(failures(tally)).toBe(0);
    expect(verified.lost).toBe(0);
  });

  it('kill -9 of one instance: in-flight failures only, out of rotation in two checks, rejoins', async () => {
    const port = cluster.instancePorts[1];
    const server = `instance-${port}`;
    const haproxy = pidOf('haproxy');
    const logBefore = instanceLog(port);
    let downMs = 0;
    let killedAt = 0;
    const { tally, verified } = await underLoad('kill -9 of one instance', async (load, notes) => {
      process.kill(pidOf(server), 'SIGKILL');
      killedAt = load.elapsed();
      downMs = await until(`HAProxy marks ${server} DOWN`, async () =>
        (await haproxyStatus(server)).startsWith('DOWN'),
      );
      notes.push(`killed ${server} at ${killedAt} ms; HAProxy DOWN after ${downMs} ms`);
      await sleep(HEALTH_INTERVAL_MS);
      await upAgain();
      const upMs = await until(
        `${server} UP again`,
        async () => (await haproxyStatus(server)) === 'UP',
      );
      notes.push(`restarted by up.sh; UP in rotation ${upMs} ms after up.sh returned`);
      const failedAt = load.tally.failures.map((f) => `${f.op} ${f.outcome} @${f.atMs}ms`);
      notes.push(`failures: ${failedAt.join(', ') || 'none'}`);
    });
    expect(downMs).toBeLessThanOrEqual(2 * HEALTH_INTERVAL_MS + POLL_SLACK_MS);
    // At most the requests in flight on it (one per worker), all before it left rotation. Such a
    // request may fail as a closed connection rather than a 502 (seen on keep-alive connections).
    expect(failures(tally)).toBeLessThanOrEqual(WORKERS);
    for (const failure of tally.failures) {
      expect(failure.atMs).toBeGreaterThanOrEqual(killedAt);
      expect(failure.atMs).toBeLessThanOrEqual(killedAt + downMs + MARGIN_MS);
    }
    expect(tally.notProblemJson).toBe(0);
    expect(verified.lost).toBe(0);
    // up.sh found the configuration unchanged: no HAProxy reload.
    expect(pidOf('haproxy')).toBe(haproxy);
    // The restarted instance's log goes on after its predecessor's.
    expect(instanceLog(port).startsWith(logBefore)).toBe(true);
  });

  it('replica stopped: eventual searches and exports go on from the primary, and use it again when back', async () => {
    const reads = (target: string) => metricSum(METRIC_READS, { target });
    const { tally, verified } = await underLoad('replica stopped', async (_load, notes) => {
      const onReplicaBefore = await reads('replica');
      expect(onReplicaBefore).toBeGreaterThan(0);
      pgCtl('replica', '-m', 'fast', '-w', 'stop');
      const onPrimary = await reads('primary');
      await sleep(4_000);
      const onPrimaryAfter = await reads('primary');
      notes.push(
        `replica down 4 s: lag-tolerant reads on the primary ${onPrimary} → ${onPrimaryAfter}`,
      );
      expect(onPrimaryAfter).toBeGreaterThan(onPrimary);
      const onReplica = await reads('replica');
      await upAgain();
      const backMs = await until(
        'lag-tolerant reads on the replica again',
        async () => (await reads('replica')) > onReplica,
      );
      notes.push(`replica started again: reads on it again after ${backMs} ms`);
    });
    expect(tally.failed).toEqual({});
    expect(verified.lost).toBe(0);
  });

  it('PgBouncer restarted: 503 problem+json during the gap only, recovers without a restart', async () => {
    const pids = instancePids();
    let recoveredAt = 0;
    const { tally, verified } = await underLoad('PgBouncer restarted', async (load, notes) => {
      const pid = pidOf('pgbouncer');
      process.kill(pid, 'SIGTERM');
      await until('PgBouncer gone', async () => !alive(pid));
      const stoppedAt = load.elapsed();
      await sleep(2_000);
      await upAgain();
      const startedAt = load.elapsed();
      await until('the service answers again', serviceAnswers);
      recoveredAt = load.elapsed();
      notes.push(
        `stopped at ${stoppedAt} ms, started again (up.sh returned) at ${startedAt} ms, ` +
          `answering at ${recoveredAt} ms; last failure at ${load.tally.lastFailureAtMs ?? '-'} ms`,
      );
    });
    // Recovered by itself: no failure once it answers again (but those already in flight).
    expect(tally.failures.filter((f) => f.atMs > recoveredAt + MARGIN_MS)).toEqual([]);
    for (const outcome of Object.keys(tally.failed)) {
      expect(outcome).toBe('503');
    }
    expect(tally.notProblemJson).toBe(0);
    expect(verified.lost).toBe(0);
    expect(instancePids()).toEqual(pids);
  });

  it('primary restarted (-m fast, then -m immediate): 503 problem+json while down, recovers, nothing lost', async () => {
    const pids = instancePids();
    const recovered: { stoppedAt: number; startingAt: number; recoveredAt: number }[] = [];
    const { tally, verified } = await underLoad('primary restarted', async (load, notes) => {
      for (const mode of ['fast', 'immediate']) {
        // Taken before the stop: sessions end while pg_ctl waits for the server to go.
        const stoppedAt = load.elapsed();
        pgCtl('primary', '-m', mode, '-w', 'stop');
        await sleep(3_000);
        const startingAt = load.elapsed();
        await upAgain();
        const startedAt = load.elapsed();
        await until('the service answers again', serviceAnswers);
        const recoveredAt = load.elapsed();
        notes.push(
          `-m ${mode}: stopped at ${stoppedAt} ms, started again (up.sh returned) at ${startedAt} ms, ` +
            `answering at ${recoveredAt} ms`,
        );
        await sleep(2_000);
        recovered.push({ stoppedAt, startingAt, recoveredAt });
      }
      notes.push(`last failure at ${load.tally.lastFailureAtMs ?? '-'} ms`);
    });
    // Back soon after the primary: PgBouncer logs in again within a second (server_login_retry),
    // not after its default 15 s.
    for (const r of recovered) {
      expect(r.recoveredAt - r.startingAt).toBeLessThanOrEqual(RECOVERY_MS);
    }
    // Failures only while it was down, none once the service answers again.
    for (const failure of tally.failures) {
      const during = recovered.some(
        (r) => failure.atMs >= r.stoppedAt && failure.atMs <= r.recoveredAt + MARGIN_MS,
      );
      expect([failure, during]).toEqual([failure, true]);
    }
    for (const outcome of Object.keys(tally.failed)) {
      expect(outcome).toBe('503');
    }
    expect(tally.notProblemJson).toBe(0);
    expect(tally.maxLatencyMs).toBeLessThanOrEqual(cluster.requestTimeoutMs + MARGIN_MS);
    expect(verified.lost).toBe(0);
    expect(instancePids()).toEqual(pids);
  });
});

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
