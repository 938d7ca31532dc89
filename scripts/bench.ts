import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { SingleBar } from 'cli-progress';
import { cpus, loadavg, totalmem } from 'node:os';
import { DataSource } from 'typeorm';
import { databaseOptions } from '../src/database/database-options';
import { applyMigrations } from '../src/database/migrate';
import { CpuMeter, waitForQuietDatabase } from './bench/cpu';
import { benchEvents, formatEventsTable } from './bench/events';
import { explainSearches } from './bench/explain';
import { formatExportRun, measureExport } from './bench/export';
import { FloorProcess, formatFloorTable, pairUp } from './bench/floor';
import { BENCH_AUDIENCE, BenchIssuer, organisationOfToken } from './bench/issuer';
import { BenchOptions, parseOptions, USAGE, UsageError } from './bench/options';
import { formatTable, summarise } from './bench/report';
import {
  createThroughApi,
  drive,
  RunResult,
  SampleProfile,
  sampleProfiles,
  scenarioRequest,
  seededRandom,
  SURNAME_SEARCH_PAGE,
} from './bench/scenarios';
import {
  analyze,
  countSeeded,
  deleteBenchRows,
  registerOrganisations,
  seedProfiles,
} from './bench/seed';
import { RssSampler, ServiceProcess } from './bench/service';

/**
 * `npm run bench`: seeds profiles into DATABASE_URL, starts the service against a loopback token
 * issuer (or drives one given with --url) and measures six scenarios with autocannon.
 */
async function main(): Promise<void> {
  let options: BenchOptions | 'help';
  try {
    options = parseOptions(process.argv.slice(2), process.env);
  } catch (error) {
    if (error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE')) {
      console.error(`${(error as Error).message}\n\n${USAGE}`);
      process.exit(2);
    }
    throw error;
  }
  if (options === 'help') {
    console.log(USAGE);
    return;
  }

  if (!options.databaseUrl) {
    await measure(undefined, options, options.profiles);
    return;
  }
  const base = databaseOptions(options.databaseUrl, 2);
  // Its own application_name keeps the bench's connections apart from the service's pool.
  const db = await new DataSource({
    ...base,
    extra: { ...base.extra, application_name: 'customers-bench' },
  }).initialize();
  try {
    await applyMigrations(db, true);
    const profiles = await prepareData(db, options);
    if (options.seedOnly) {
      return;
    }
    if (options.explain) {
      await printPlans(db, profiles);
      return;
    }
    await measure(db, options, profiles);
  } finally {
    await db.destroy();
  }
}

/** Seeds what is missing (all of it with --reseed) and returns how many bench profiles exist. */
async function prepareData(db: DataSource, options: BenchOptions): Promise<number> {
  await registerOrganisations(db, options.organisations);
  if (options.reseed) {
    const deleted = await deleteBenchRows(db);
    console.log(`deleted ${deleted} bench profiles`);
  }
  const existing = await countSeeded(db);
  if (existing >= options.profiles) {
    console.log(`${existing} bench profiles present (≥ ${options.profiles}); not seeding`);
    return existing;
  }
  const started = Date.now();
  const inserted = await seedProfiles(db, options.profiles - existing, options.organisations);
  const seconds = (Date.now() - started) / 1000;
  console.log(
    `seeded ${inserted} profiles in ${seconds.toFixed(1)} s (${Math.round(inserted / seconds)}/s)`,
  );
  await analyze(db);
  console.log('ANALYZE done');
  return existing + inserted;
}

async function printPlans(db: DataSource, profiles: number): Promise<void> {
  console.log(`EXPLAIN (ANALYZE, BUFFERS) of the search queries at ${profiles} bench profiles\n`);
  const reports = await explainSearches(db);
  for (const report of reports) {
    console.log(`-- ${report.name}: ${report.indexes.join(', ') || 'NO INDEX'}`);
    console.log(`${report.plan}\n`);
  }
  console.log('| search | index(es) used | execution ms |\n|---|---|---:|');
  for (const report of reports) {
    console.log(
      `| ${report.name} | ${report.indexes.map((i) => `\`${i}\``).join(', ') || '**none**'} | ${report.executionMs ?? '–'} |`,
    );
  }
}

/** Runs the scenarios; without `db` (--embedded) the profiles are first created via the API. */
async function measure(
  db: DataSource | undefined,
  options: BenchOptions,
  profiles: number,
): Promise<void> {
  const tokenOrganisation = options.token
    ? organisationOfToken(options.token, options.organisationClaim)
    : undefined;
  let sample = db ? await sampleProfiles(db, tokenOrganisation) : [];
  if (db && !sample.length) {
    throw new Error('no bench profiles to address (with --url: none in the token’s organisation)');
  }

  const issuer = options.url ? undefined : await new BenchIssuer(options.organisationClaim).start();
  const service = options.url ? undefined : new ServiceProcess();
  const floor = options.floor ? new FloorProcess() : undefined;
  let url = options.url ?? '';
  try {
    const serviceSettings = issuer && {
      databaseUrl: options.databaseUrl,
      issuer: issuer.issuer,
      audience: BENCH_AUDIENCE,
      organisations: options.organisations,
      logLevel: options.logLevel,
    };
    if (service && issuer) {
      await service.start({
        databaseUrl: options.databaseUrl,
        issuer: issuer.issuer,
        audience: BENCH_AUDIENCE,
        organisations: options.organisations,
        logLevel: options.logLevel,
        cpuProfileDir: options.cpuProfileDir,
      });
      url = service.url;
      console.log(
        `service started (pid ${service.pid}, log ${service.logFile}) in ${service.startMs} ms`,
      );
    }
    if (floor) {
      await floor.start(options.databaseUrl!, 10, options.organisationClaim);
      console.log(`floor started (pid ${floor.pid}, ${floor.url}): bare node:http + pg, pool 10`);
    }
    const tokens = new Map<number, string>();
    const tokenOf = (organisationId: number): string => {
      if (options.token) {
        return options.token;
      }
      let token = tokens.get(organisationId);
      if (!token) {
        token = issuer!.partnerToken(organisationId);
        tokens.set(organisationId, token);
      }
      return token;
    };
    if (!db) {
      const bar = new SingleBar({
        format: 'creating [{bar}] {value}/{total} profiles via the API',
      });
      bar.start(profiles, 0);
      sample = await createThroughApi(url, profiles, options.organisations, tokenOf, (n) =>
        bar.update(n),
      );
      bar.stop();
    }
    const pid = service?.pid ?? options.pid;
    const rss = pid ? new RssSampler(pid).start() : undefined;
    const cpu = new CpuMeter(db, pid);

    if (options.warmup > 0) {
      console.log(`warm-up: ${options.warmup} s of lookups (not recorded)`);
      await drive(
        url,
        'lookup',
        scenarioRequest('lookup', sample, tokenOf),
        options.connections,
        options.warmup,
      );
    }
    if (options.export) {
      if (!rss) {
        throw new UsageError('--export samples the service’s RSS: with --url, give --pid');
      }
      const run = await measureExport(url, tokenOf(1), rss, (n) =>
        process.stdout.write(`\rexport: ${n} profiles streamed … `),
      );
      console.log(`\n${await describeMachine(db)}\n${formatExportRun(run)}`);
      if (options.json) {
        writeFileSync(options.json, JSON.stringify({ profiles, export: run }, null, 2));
      }
      return;
    }
    const runs: RunResult[] = [];
    const eventsScenario = options.scenarios.includes('events');
    if (eventsScenario && (!db || !service || !issuer)) {
      throw new Error('the events scenario starts its own services on DATABASE_URL');
    }
    options = { ...options, scenarios: options.scenarios.filter((s) => s !== 'events') };
    if (floor) {
      await runAgainstFloor(db!, options, url, pid!, floor, sample, tokenOf, runs);
    }
    for (let round = 1; !floor && round <= options.repeat; round++) {
      for (const scenario of options.scenarios) {
        if (db) {
          await waitForQuietDatabase(db);
        }
        rss?.mark();
        await cpu.start();
        process.stdout.write(
          `${options.repeat > 1 ? `[${round}/${options.repeat}] ` : ''}${scenario}: ${options.duration} s × ${options.connections} connections … `,
        );
        const run = await drive(
          url,
          scenario,
          scenarioRequest(scenario, sample, tokenOf),
          options.connections,
          options.duration,
        );
        const split = await cpu.stop();
        run.cpuMsPerRequest = {
          service: pid ? split.serviceMs / run.total : undefined,
          database: split.databaseMs / run.total,
          loadGenerator: split.loadGeneratorMs / run.total,
        };
        run.peakRssMb = rss ? rss.sinceMarkKb / 1024 : undefined;
        run.loadAverage = loadavg()[0];
        runs.push(run);
        console.log(
          `${run.requestsPerSecond.toFixed(0)} req/s, p50 ${run.p50} ms, p99 ${run.p99} ms, ` +
            `${run.errors} errors, ${run.non2xx} non-2xx (load average ${run.loadAverage.toFixed(1)})`,
        );
      }
    }
    rss?.stop();
    if (eventsScenario) {
      // Its own services, one after the other: the one started above would compete for the cores.
      await service!.stop();
      const results = await benchEvents(db!, options, serviceSettings!, sample, tokenOf);
      console.log(`\n${await describeMachine(db)}\n${formatEventsTable(results)}`);
    }

    if (floor) {
      console.log(`\n${await describeMachine(db)}`);
      console.log(
        `${profiles} bench profiles over ${options.organisations} organisation(s); ` +
          `${options.connections} connections, ${options.duration} s per run, ` +
          `${options.repeat} alternating rounds (medians); ratio = service ÷ floor\n`,
      );
      console.log(formatFloorTable(pairUp(runs)));
    } else if (runs.length) {
      const summaries = summarise(runs);
      console.log(`\n${await describeMachine(db)}`);
      console.log(
        `${profiles} bench profiles over ${options.organisations} organisation(s)` +
          `${db ? '' : ' (created via the API)'}; ` +
          `${options.connections} connections, ${options.duration} s per scenario` +
          (options.repeat > 1 ? `, ${options.repeat} rounds (medians)` : '') +
          `; surname search asks maxResultSet=${SURNAME_SEARCH_PAGE}\n`,
      );
      console.log(formatTable(summaries, cpus().length));
    }
    if (rss) {
      const hwm = rss.highWaterMarkKb();
      console.log(
        `\nservice peak RSS: ${(rss.peakKb / 1024).toFixed(0)} MB (500 ms samples)` +
          (hwm ? `, kernel high-water mark ${(hwm / 1024).toFixed(0)} MB` : ''),
      );
    }
    if (runs.some((r) => r.non2xx || r.errors) && service) {
      console.log(`\nservice log (tail):\n${service.logTail(15)}`);
    }
    if (options.json) {
      writeFileSync(
        options.json,
        JSON.stringify(
          {
            profiles,
            options: { ...options, token: undefined },
            runs,
            summaries: summarise(runs.filter((r) => r.target !== 'floor')),
          },
          null,
          2,
        ),
      );
    }
  } finally {
    await service?.stop();
    await floor?.stop();
    await issuer?.stop();
  }
}

/**
 * --floor: each round runs every scenario against both servers, one after the other (the order
 * alternates between rounds), with the same seeded sequence of keys, connections and duration.
 */
async function runAgainstFloor(
  db: DataSource,
  options: BenchOptions,
  serviceUrl: string,
  servicePid: number,
  floor: FloorProcess,
  sample: SampleProfile[],
  tokenOf: (organisationId: number) => string,
  runs: RunResult[],
): Promise<void> {
  const targets = [
    { name: 'service' as const, url: serviceUrl, cpu: new CpuMeter(db, servicePid, 'customers') },
    { name: 'floor' as const, url: floor.url, cpu: new CpuMeter(db, floor.pid, 'customers-floor') },
  ];
  if (options.warmup > 0) {
    await drive(
      floor.url,
      'lookup',
      scenarioRequest('lookup', sample, tokenOf),
      options.connections,
      options.warmup,
    );
  }
  for (let round = 1; round <= options.repeat; round++) {
    for (const [index, scenario] of options.scenarios.entries()) {
      const order = round % 2 ? targets : [...targets].reverse();
      for (const target of order) {
        await waitForQuietDatabase(db);
        await target.cpu.start();
        process.stdout.write(
          `[${round}/${options.repeat}] ${scenario} → ${target.name.padEnd(7)} (load average ${loadavg()[0].toFixed(1)}) … `,
        );
        const seed = round * 1000 + index;
        const run = await drive(
          target.url,
          scenario,
          scenarioRequest(scenario, sample, tokenOf, seededRandom(seed)),
          options.connections,
          options.duration,
        );
        const split = await target.cpu.stop();
        run.target = target.name;
        run.round = round;
        run.cpuMsPerRequest = {
          service: split.serviceMs / run.total,
          database: split.databaseMs / run.total,
          loadGenerator: split.loadGeneratorMs / run.total,
        };
        run.loadAverage = loadavg()[0];
        runs.push(run);
        console.log(
          `${run.requestsPerSecond.toFixed(0)} req/s, p99 ${run.p99} ms, ` +
            `CPU ${run.cpuMsPerRequest.service!.toFixed(3)} ms/req, ` +
            `${run.errors} errors, ${run.non2xx} non-2xx (load average ${run.loadAverage.toFixed(1)})`,
        );
      }
    }
  }
}

async function describeMachine(db: DataSource | undefined): Promise<string> {
  const [{ version }]: { version: string }[] = db
    ? await db.query('SELECT version()')
    : [{ version: 'embedded PGlite (in memory, in the service process)' }];
  const cpu = cpus();
  return (
    `machine: ${cpu.length} × ${cpu[0]?.model ?? 'unknown CPU'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB RAM; ` +
    `Node ${process.version}; ${version.split(' on ')[0]}; ` +
    `load average now ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')} (other processes share these cores)`
  );
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
