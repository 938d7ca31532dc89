import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { loadavg } from 'node:os';
import { DataSource } from 'typeorm';
import { BenchOptions } from './options';
import { drive, SampleProfile, scenarioRequest } from './scenarios';
import { ServiceProcess, ServiceSettings } from './service';

export interface EventsRunResult {
  withPublisher: boolean;
  createsPerSecond: number;
  non2xx: number;
  published?: number;
  publishedPerSecond?: number;
  p50DelayMs?: number;
  p99DelayMs?: number;
  maxDelayMs?: number;
  loadAverage: number;
}

/**
 * The `events` scenario: the create scenario against a fresh service without a broker, then
 * against one that publishes to NATS (EVENTS_NATS_URL, else 127.0.0.1:4222) into a stream of its
 * own; the delay of each event is published_at − occurred_at (its commit), read from the outbox.
 * Both runs write the outbox (it is part of every change): the ratio is the publisher's cost.
 */
export async function benchEvents(
  db: DataSource,
  options: BenchOptions,
  settings: ServiceSettings,
  sample: SampleProfile[],
  tokenOf: (organisationId: number) => string,
): Promise<EventsRunResult[]> {
  const natsUrl = process.env.EVENTS_NATS_URL ?? 'nats://127.0.0.1:4222';
  const stream = `BENCH_EVENTS_${Date.now()}`;
  // Earlier runs' rows would be published first and count as delay: this run's rows only.
  await db.query(`UPDATE events SET published_at = now() WHERE published_at IS NULL`);
  const results: EventsRunResult[] = [];
  try {
    for (const withPublisher of [false, true]) {
      const service = new ServiceProcess();
      await service.start({
        ...settings,
        env: withPublisher ? { EVENTS_NATS_URL: natsUrl, EVENTS_NATS_STREAM: stream } : {},
      });
      try {
        const [{ last }]: { last: string }[] = await db.query(
          `SELECT COALESCE(max(position), 0)::text AS last FROM events`,
        );
        process.stdout.write(
          `events (${withPublisher ? 'publisher on' : 'no broker'}): create, ${options.duration} s × ${options.connections} connections … `,
        );
        const run = await drive(
          service.url,
          'create',
          scenarioRequest('create', sample, tokenOf),
          options.connections,
          options.duration,
        );
        const result: EventsRunResult = {
          withPublisher,
          createsPerSecond: run.requestsPerSecond,
          non2xx: run.non2xx + run.errors,
          loadAverage: loadavg()[0],
        };
        if (withPublisher) {
          Object.assign(result, await publishDelays(db, last));
        } else {
          await db.query(
            `UPDATE events SET published_at = now() WHERE published_at IS NULL AND position > $1`,
            [last],
          );
        }
        console.log(
          `${result.createsPerSecond.toFixed(0)} creates/s` +
            (withPublisher
              ? `, ${result.publishedPerSecond?.toFixed(0)} events/s published, delay p99 ${result.p99DelayMs?.toFixed(0)} ms`
              : ''),
        );
        results.push(result);
      } finally {
        await service.stop();
      }
    }
  } finally {
    await deleteStream(natsUrl, stream);
  }
  return results;
}

/** Waits for the run's events to be published, then their rate and delays from commit. */
async function publishDelays(db: DataSource, after: string): Promise<Partial<EventsRunResult>> {
  const deadline = Date.now() + 120_000;
  for (;;) {
    const [{ left }]: { left: number }[] = await db.query(
      `SELECT count(*)::int AS left FROM events WHERE published_at IS NULL AND position > $1`,
      [after],
    );
    if (left === 0 || Date.now() > deadline) {
      break;
    }
    await new Promise((done) => setTimeout(done, 500));
  }
  const [row]: Record<string, number>[] = await db.query(
    `SELECT count(*)::int AS published,
            extract(epoch FROM max(published_at) - min(occurred_at))::float8 AS seconds,
            percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM published_at - occurred_at)) * 1000 AS p50,
            percentile_cont(0.99) WITHIN GROUP (ORDER BY extract(epoch FROM published_at - occurred_at)) * 1000 AS p99,
            max(extract(epoch FROM published_at - occurred_at)) * 1000 AS max
       FROM events WHERE position > $1 AND published_at IS NOT NULL`,
    [after],
  );
  return {
    published: row.published,
    publishedPerSecond: row.published / row.seconds,
    p50DelayMs: Number(row.p50),
    p99DelayMs: Number(row.p99),
    maxDelayMs: Number(row.max),
  };
}

async function deleteStream(url: string, stream: string): Promise<void> {
  const nc = await connect({ servers: url, timeout: 5_000 }).catch(() => undefined);
  if (!nc) {
    return;
  }
  try {
    await (await jetstreamManager(nc)).streams.delete(stream).catch(() => undefined);
  } finally {
    await nc.close();
  }
}

export function formatEventsTable(results: EventsRunResult[]): string {
  const [without, withPublisher] = results;
  const ratio = withPublisher.createsPerSecond / without.createsPerSecond;
  return [
    '| run | creates/s | events/s published | delay commit→publish p50 / p99 / max | non-2xx | load avg |',
    '|---|---:|---:|---|---:|---:|',
    ...results.map(
      (r) =>
        `| ${r.withPublisher ? 'publisher on (NATS)' : 'no broker'} | ${r.createsPerSecond.toFixed(0)} | ` +
        `${r.publishedPerSecond?.toFixed(0) ?? '–'} | ` +
        (r.withPublisher
          ? `${r.p50DelayMs?.toFixed(0)} / ${r.p99DelayMs?.toFixed(0)} / ${r.maxDelayMs?.toFixed(0)} ms`
          : '–') +
        ` | ${r.non2xx} | ${r.loadAverage.toFixed(1)} |`,
    ),
    '',
    `create throughput with the publisher: ${(ratio * 100).toFixed(0)} % of the run without (target ≥ 90 %)`,
  ].join('\n');
}
