import { parseArgs } from 'node:util';

export const SCENARIO_NAMES = [
  'lookup',
  'lookup-ref',
  'search-email',
  'search-surname',
  'create',
  'create-password',
  'patch',
  // Creates with and without the NATS publisher (needs DATABASE_URL and EVENTS_NATS_URL or 4222).
  'events',
] as const;
export type ScenarioName = (typeof SCENARIO_NAMES)[number];

/** The scenarios of --floor (issue 11): each one also has a bare node:http + pg counterpart. */
export const FLOOR_SCENARIOS: ScenarioName[] = [
  'lookup',
  'lookup-ref',
  'search-email',
  'search-surname',
  'patch',
  'create',
];

export interface BenchOptions {
  /** Unset with --embedded: the service then runs on its in-process PGlite. */
  databaseUrl?: string;
  embedded: boolean;
  /** Run every scenario alternately against the service and a bare node:http + pg floor. */
  floor: boolean;
  /** Instead of the scenarios: stream organisation 1's bulk export, sampling the service's RSS. */
  export: boolean;
  profiles: number;
  organisations: number;
  reseed: boolean;
  seedOnly: boolean;
  explain: boolean;
  duration: number;
  warmup: number;
  connections: number;
  repeat: number;
  scenarios: ScenarioName[];
  /** Drive an already running service instead of starting one. */
  url?: string;
  token?: string;
  /** With --url: the service's process id, for the RSS samples. */
  pid?: number;
  organisationClaim: string;
  logLevel: string;
  cpuProfileDir?: string;
  json?: string;
}

export const USAGE = `Usage: npm run bench -- [options]

Seeds profiles into DATABASE_URL (PostgreSQL), starts the service against a loopback token issuer
and drives it with autocannon.

  --profiles N        profiles to seed (default 100000; with --embedded 2000, created via the API)
  --organisations K   organisations the profiles are spread over (default 3; ids 1..K)
  --reseed            delete the bench's rows and seed again
  --seed-only         seed (and ANALYZE), then stop
  --explain           print EXPLAIN (ANALYZE, BUFFERS) of the search queries, then stop
  --duration S        seconds per scenario (default 15)
  --warmup S          seconds of unmeasured lookups before the first scenario (default 3)
  --connections C     concurrent connections (default 50)
  --repeat R          run the scenario list R times, alternating, and report medians (default 1)
  --scenarios LIST    comma-separated subset of: ${SCENARIO_NAMES.join(', ')}
  --floor             beside the service, start a bare node:http + pg server on the same
                      database (same pool size, named prepared statements, the service's SQL,
                      no auth) and run each scenario alternately against both, same keys and
                      connections (default scenarios: ${FLOOR_SCENARIOS.join(', ')}; default
                      --repeat 3); prints both, the ratio and the service's CPU per request
  --export            instead of the scenarios, stream organisation 1's bulk export
                      (GET /customers/v2/exports/profiles) once and report profiles/s and how
                      much the service's RSS grows meanwhile
  --embedded          measure the service on its embedded PGlite (in memory; no DATABASE_URL):
                      profiles are created through the API first
  --url URL           drive an already running service (needs --token; its organisation's
                      profiles are used)
  --token JWT         bearer token for --url
  --pid PID           with --url: sample this process's RSS
  --organisation-claim CLAIM   claim holding the organisation id (default https://entur.io/organisationID)
  --log-level LEVEL   LOG_LEVEL of the started service (default warn)
  --cpu-prof DIR      write a V8 CPU profile of the started service into DIR
  --json FILE         also write the raw results as JSON
`;

export class UsageError extends Error {}

function positiveInt(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) {
    return fallback;
  }
  const parsed = Number(value);
  if (!Number.isSafeInteger(parsed) || parsed < 0) {
    throw new UsageError(`--${name} must be a non-negative integer, got "${value}"`);
  }
  return parsed;
}

export function parseOptions(argv: string[], env: NodeJS.ProcessEnv): BenchOptions | 'help' {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      help: { type: 'boolean', short: 'h' },
      profiles: { type: 'string' },
      organisations: { type: 'string' },
      reseed: { type: 'boolean' },
      embedded: { type: 'boolean' },
      floor: { type: 'boolean' },
      export: { type: 'boolean' },
      'seed-only': { type: 'boolean' },
      explain: { type: 'boolean' },
      duration: { type: 'string' },
      warmup: { type: 'string' },
      connections: { type: 'string' },
      repeat: { type: 'string' },
      scenarios: { type: 'string' },
      url: { type: 'string' },
      token: { type: 'string' },
      pid: { type: 'string' },
      'organisation-claim': { type: 'string' },
      'log-level': { type: 'string' },
      'cpu-prof': { type: 'string' },
      json: { type: 'string' },
    },
  });
  if (values.help) {
    return 'help';
  }
  const embedded = values.embedded ?? false;
  const databaseUrl = embedded ? undefined : env.DATABASE_URL;
  if (embedded && (values.url || values.explain || values['seed-only'])) {
    throw new UsageError(
      '--embedded starts its own service; it cannot go with --url, --explain or --seed-only',
    );
  }
  if (!databaseUrl && !embedded) {
    throw new UsageError(
      'DATABASE_URL is not set. The bench seeds and measures against PostgreSQL; the embedded ' +
        'PGlite has a single connection (measure it on purpose with --embedded). Example:\n' +
        '  DATABASE_URL=postgresql://postgres@127.0.0.1:5432/customers_bench npm run bench',
    );
  }
  const floor = values.floor ?? false;
  if (floor && (embedded || values.url)) {
    throw new UsageError(
      '--floor starts the service and its floor on DATABASE_URL; not with --embedded or --url',
    );
  }
  const defaultScenarios = floor
    ? FLOOR_SCENARIOS
    : SCENARIO_NAMES.filter((s) => s !== 'lookup-ref' && s !== 'events');
  const scenarios = (values.scenarios ?? defaultScenarios.join(','))
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const unknown = scenarios.filter((s) => !(SCENARIO_NAMES as readonly string[]).includes(s));
  if (unknown.length) {
    throw new UsageError(
      `unknown scenario ${unknown.join(', ')}; known: ${SCENARIO_NAMES.join(', ')}`,
    );
  }
  if (values.url && !values.token) {
    throw new UsageError('--url needs --token (a token the running service trusts)');
  }
  const organisations = positiveInt('organisations', values.organisations, 3);
  if (organisations < 1) {
    throw new UsageError('--organisations must be at least 1');
  }
  return {
    databaseUrl,
    embedded,
    floor,
    export: values.export ?? false,
    profiles: positiveInt('profiles', values.profiles, embedded ? 2_000 : 100_000),
    organisations,
    reseed: values.reseed ?? false,
    seedOnly: values['seed-only'] ?? false,
    explain: values.explain ?? false,
    duration: Math.max(1, positiveInt('duration', values.duration, 15)),
    warmup: positiveInt('warmup', values.warmup, 3),
    connections: Math.max(1, positiveInt('connections', values.connections, 50)),
    repeat: Math.max(1, positiveInt('repeat', values.repeat, floor ? 3 : 1)),
    scenarios: scenarios as ScenarioName[],
    url: values.url?.replace(/\/+$/, ''),
    token: values.token,
    pid: values.pid === undefined ? undefined : positiveInt('pid', values.pid, 0),
    organisationClaim: values['organisation-claim'] ?? 'https://entur.io/organisationID',
    logLevel: values['log-level'] ?? 'warn',
    cpuProfileDir: values['cpu-prof'],
    json: values.json,
  };
}
