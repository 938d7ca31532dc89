// class-transformer's @Type reads design metadata: this file must work before Nest is loaded.
import 'reflect-metadata';
import { isIP } from 'node:net';
import { plainToInstance, Transform, Type } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUrl,
  Max,
  Min,
  validateSync,
} from 'class-validator';
import { CronTime } from 'cron';
import { getHeapStatistics } from 'node:v8';
import { DatabaseSettings, DEFAULT_DATABASE_SETTINGS, PoolMode } from './database-settings';

const TRUE_WORDS = ['1', 'true', 'on', 'yes'];
const FALSE_WORDS = ['0', 'false', 'off', 'no'];

/** A known word becomes a boolean; anything else stays a string, so @IsBoolean names the variable. */
const toBoolean = ({ value }: { value: unknown }) => {
  const word = typeof value === 'string' ? value.trim().toLowerCase() : undefined;
  return word === undefined
    ? value
    : TRUE_WORDS.includes(word)
      ? true
      : FALSE_WORDS.includes(word)
        ? false
        : value;
};

/** Organisation ids are PostgreSQL `integer`s (they arrive in tokens' organisation claim). */
export const MAX_ORGANISATION_ID = 2_147_483_647;

function isOrganisationId(value: unknown): value is number {
  return (
    Number.isSafeInteger(value) &&
    (value as number) >= 1 &&
    (value as number) <= MAX_ORGANISATION_ID
  );
}

const DEFAULT_ORGANISATION_CLAIM = 'https://entur.io/organisationID';
const DEV_AUDIENCE = 'https://api.customers.local';

/** Raw environment, validated at start-up; a bad value names its variable and stops the process. */
class EnvironmentVariables {
  @IsOptional() @Type(() => Number) @IsInt() @Min(0) @Max(65535) PORT = 3000;
  @IsOptional() @IsString() DATABASE_URL?: string;
  @IsOptional() @IsString() PGLITE_DATA_DIR = './data/pglite';
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(500) DATABASE_POOL_SIZE = 10;
  @IsOptional() @Type(() => Number) @IsInt() @Min(0) DATABASE_IDLE_TIMEOUT_MS =
    DEFAULT_DATABASE_SETTINGS.idleTimeoutMs;
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) DATABASE_ACQUIRE_TIMEOUT_MS =
    DEFAULT_DATABASE_SETTINGS.acquireTimeoutMs;
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) DATABASE_STATEMENT_TIMEOUT_MS =
    DEFAULT_DATABASE_SETTINGS.statementTimeoutMs;
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) DATABASE_LOCK_TIMEOUT_MS =
    DEFAULT_DATABASE_SETTINGS.lockTimeoutMs;
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS =
    DEFAULT_DATABASE_SETTINGS.idleInTransactionTimeoutMs;
  @IsOptional() @Transform(toBoolean) @IsBoolean() DATABASE_PREPARED_STATEMENTS?: boolean;
  @IsOptional() @IsIn(['session', 'transaction']) DATABASE_POOL_MODE: PoolMode = 'session';
  @IsOptional() @IsString() DATABASE_DIRECT_URL?: string;
  @IsOptional() @IsString() DATABASE_REPLICA_URLS?: string;
  @IsOptional() @Type(() => Number) @IsInt() @Min(0) REPLICA_MAX_LAG_MS = 1_000;
  @IsOptional() @Type(() => Number) @IsInt() @Min(100) REPLICA_CHECK_INTERVAL_MS = 1_000;
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) REQUEST_TIMEOUT_MS = 15_000;
  @IsOptional() @Type(() => Number) @IsInt() @Min(0) LOAD_SHEDDING_MAX_EVENT_LOOP_DELAY_MS = 1_000;
  @IsOptional() @Type(() => Number) @IsInt() @Min(0) LOAD_SHEDDING_MAX_HEAP_USED_MB?: number;
  @IsOptional() @IsUrl({ require_tld: false, require_protocol: true }) AUTH_ISSUER?: string;
  @IsOptional() @IsString() AUTH_AUDIENCE?: string;
  @IsOptional() @IsUrl({ require_tld: false, require_protocol: true }) AUTH_JWKS_URI?: string;
  @IsOptional() @IsString() AUTH_ORGANISATION_CLAIM = DEFAULT_ORGANISATION_CLAIM;
  @IsOptional() @Type(() => Number) @IsInt() @Min(0) @Max(600) AUTH_CLOCK_TOLERANCE_SECONDS = 60;
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(3600) AUTH_JWKS_CACHE_SECONDS = 600;
  @IsOptional() @IsString() NODE_ENV?: string;
  @IsOptional() @IsUrl({ require_tld: false, require_protocol: true }) AUTH_TOKEN_URL?: string;
  @IsOptional() @Transform(toBoolean) @IsBoolean() DEV_AUTH?: boolean;
  @IsOptional() @IsString() DEV_AUTH_KEY_FILE = './data/dev-issuer-key.json';
  @IsOptional() @IsString() DEV_CLIENTS?: string;
  @IsOptional() @IsString() EXPIRY_CRON = '*/1 * * * *';
  @IsOptional() @Transform(toBoolean) @IsBoolean() EXPIRY_ENABLED = true;
  @IsOptional() @Transform(toBoolean) @IsBoolean() IMPORT_WORKER_ENABLED = true;
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(5000) IMPORT_BATCH_SIZE = 200;
  @IsOptional()
  @IsUrl({ require_tld: false, protocols: ['nats', 'tls'], require_protocol: true })
  EVENTS_NATS_URL?: string;
  @IsOptional() @IsString() EVENTS_NATS_STREAM = 'CUSTOMERS_EVENTS';
  @IsOptional() @Transform(toBoolean) @IsBoolean() EVENTS_PUBLISHER_ENABLED = true;
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(3650) EVENTS_RETENTION_DAYS = 30;
  @IsOptional() @Transform(toBoolean) @IsBoolean() WEBHOOKS_ENABLED = true;
  @IsOptional() @Transform(toBoolean) @IsBoolean() WEBHOOK_ALLOW_PRIVATE = false;
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(3_600_000) WEBHOOK_RETRY_BASE_MS = 5_000;
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(604_800_000) WEBHOOK_RETRY_WINDOW_MS =
    86_400_000;
  @IsOptional() @IsString() TIME_ZONE = 'Europe/Oslo';
  @IsOptional() @IsString() CORS_ORIGINS = '';
  @IsOptional() @IsString() ORGANISATIONS?: string;
  @IsOptional()
  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL = 'info';
  @IsOptional() @IsIn(['json', 'pretty']) LOG_FORMAT?: 'json' | 'pretty';
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) RATE_LIMIT_PER_MINUTE = 6000;
  @IsOptional()
  @IsUrl({ require_tld: false, protocols: ['redis', 'rediss'], require_protocol: true })
  REDIS_URL?: string;
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) FAILED_AUTH_PER_MINUTE = 300;
  @IsOptional() @IsString() TRUST_PROXY?: string;
}

export interface DevClient {
  clientId: string;
  clientSecret: string;
  organisationId: number;
  permissions: string[];
}

export interface Organisation {
  id: number;
  name: string;
}

const ALL_PARTNER_PERMISSIONS = [
  'customers:read',
  'customers:write',
  'consents:read',
  'consents:write',
  'customers:export',
  'customers:import',
  'webhooks:manage',
];

export const DEFAULT_DEV_CLIENTS: DevClient[] = [
  {
    clientId: 'demo-1',
    clientSecret: 'demo-1-secret',
    organisationId: 1,
    permissions: ALL_PARTNER_PERMISSIONS,
  },
  {
    clientId: 'demo-2',
    clientSecret: 'demo-2-secret',
    organisationId: 2,
    permissions: ALL_PARTNER_PERMISSIONS,
  },
  {
    clientId: 'demo-admin',
    clientSecret: 'demo-admin-secret',
    organisationId: 1,
    permissions: ['customers:admin'],
  },
];

/** The service's typed, validated configuration; the only place that reads the environment. */
export class AppConfig {
  readonly port: number;
  readonly database: DatabaseSettings & {
    url?: string;
    /** A connection that bypasses the pooler, for migrations; else `url`. */
    directUrl?: string;
    /** Streaming replicas for reads that tolerate lag, used while healthy and close enough. */
    replicas: { urls: string[]; maxLagMs: number; checkIntervalMs: number };
    pgliteDataDir: string;
    poolSize: number;
  };
  /** A request still unanswered after this long ends with 503. */
  readonly requestTimeoutMs: number;
  /** Requests get 503 while the event loop lags or the heap is fuller than this (0: no limit). */
  readonly loadShedding: { maxEventLoopDelayMs: number; maxHeapUsedBytes: number };
  readonly auth: {
    issuer: string;
    audience: string;
    jwksUri: string;
    organisationClaim: string;
    /** Leeway for `exp`, `nbf` and `iat` against this machine's clock. */
    clockToleranceSeconds: number;
    /**
     * How long a fetched signing key is trusted before the JWKS is read again; also the longest a
     * verified token is served from the token cache after its key was last seen in the JWKS.
     */
    jwksCacheMs: number;
    /** The token endpoint Swagger UI's Authorize button calls (OAuth2 client credentials). */
    tokenUrl: string;
    devIssuer: {
      enabled: boolean;
      keyFile: string;
      clients: DevClient[];
      /** The built-in demo clients, whose secrets the README publishes. */
      demoClients: boolean;
    };
  };
  /** NODE_ENV=production: no development defaults. */
  readonly production: boolean;
  readonly expiry: { cron: string; enabled: boolean };
  /** Bulk import jobs: whether this instance works them, and lines per committed batch. */
  readonly imports: { workerEnabled: boolean; batchSize: number };
  /**
   * Change events: the broker (none when natsUrl is unset; the feed and webhooks still work),
   * whether this instance publishes and delivers, and how long the feed keeps events.
   */
  readonly events: {
    natsUrl?: string;
    natsStream: string;
    publisherEnabled: boolean;
    retentionDays: number;
    webhooksEnabled: boolean;
    /** Allow webhook endpoints on loopback, private and link-local addresses (tests, never production). */
    webhookAllowPrivate: boolean;
    /** A failed delivery waits up to base × 2^n (full jitter, at most an hour) before its next attempt. */
    webhookRetryBaseMs: number;
    /** A delivery still failing this long after the first attempt of its run is dead-lettered. */
    webhookRetryWindowMs: number;
  };
  readonly timeZone: string;
  readonly corsOrigins: string[];
  readonly organisations: Organisation[];
  readonly logLevel: string;
  /** Unset: human-readable on a terminal, JSON lines otherwise. */
  readonly logFormat?: 'json' | 'pretty';
  readonly rateLimitPerMinute: number;
  readonly failedAuthPerMinute: number;
  /** Where the rate-limit counters are shared between instances; unset: each instance counts alone. */
  readonly redisUrl?: string;
  /** Whose X-Forwarded-For is believed, as Fastify's `trustProxy` takes it: nobody by default. */
  readonly trustProxy: TrustProxy;

  static fromEnvironment(env: Record<string, string | undefined>): AppConfig {
    const raw = plainToInstance(EnvironmentVariables, withoutEmpty(env), {
      exposeDefaultValues: true,
      excludeExtraneousValues: false,
    });
    const errors = validateSync(raw, { whitelist: true, forbidUnknownValues: false });
    if (errors.length > 0) {
      const lines = errors.map(
        (e) => `${e.property}: ${Object.values(e.constraints ?? {}).join('; ')}`,
      );
      throw new ConfigurationError(lines);
    }
    return new AppConfig(raw);
  }

  private constructor(env: EnvironmentVariables) {
    this.production = env.NODE_ENV === 'production';
    if (this.production && !env.AUTH_ISSUER && env.DEV_AUTH !== true) {
      throw new ConfigurationError([
        'AUTH_ISSUER: required when NODE_ENV=production (the issuer of your access tokens); ' +
          'set DEV_AUTH=true to run the development token issuer instead, never on a reachable port',
      ]);
    }
    const devAuth = env.DEV_AUTH ?? (!env.AUTH_ISSUER && !this.production);
    const localBase = `http://localhost:${env.PORT}/`;
    const issuer = env.AUTH_ISSUER ?? localBase;
    this.port = env.PORT;
    const behindTransactionPooler = env.DATABASE_POOL_MODE === 'transaction';
    if (behindTransactionPooler && env.DATABASE_PREPARED_STATEMENTS === true) {
      throw new ConfigurationError([
        'DATABASE_PREPARED_STATEMENTS: must be false with DATABASE_POOL_MODE=transaction ' +
          '(a transaction pooler does not keep named statements between transactions)',
      ]);
    }
    this.database = {
      url: env.DATABASE_URL,
      directUrl: env.DATABASE_DIRECT_URL,
      replicas: {
        urls: (env.DATABASE_REPLICA_URLS ?? '')
          .split(',')
          .map((url) => url.trim())
          .filter(Boolean),
        maxLagMs: env.REPLICA_MAX_LAG_MS,
        checkIntervalMs: env.REPLICA_CHECK_INTERVAL_MS,
      },
      poolMode: env.DATABASE_POOL_MODE,
      pgliteDataDir: env.PGLITE_DATA_DIR,
      poolSize: env.DATABASE_POOL_SIZE,
      idleTimeoutMs: env.DATABASE_IDLE_TIMEOUT_MS,
      acquireTimeoutMs: env.DATABASE_ACQUIRE_TIMEOUT_MS,
      statementTimeoutMs: env.DATABASE_STATEMENT_TIMEOUT_MS,
      lockTimeoutMs: env.DATABASE_LOCK_TIMEOUT_MS,
      idleInTransactionTimeoutMs: env.DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS,
      preparedStatements:
        env.DATABASE_PREPARED_STATEMENTS ??
        (!behindTransactionPooler && DEFAULT_DATABASE_SETTINGS.preparedStatements),
    };
    this.requestTimeoutMs = env.REQUEST_TIMEOUT_MS;
    this.loadShedding = {
      maxEventLoopDelayMs: env.LOAD_SHEDDING_MAX_EVENT_LOOP_DELAY_MS,
      // By default 90 % of V8's heap limit: shed load before the process dies of memory.
      maxHeapUsedBytes:
        env.LOAD_SHEDDING_MAX_HEAP_USED_MB !== undefined
          ? env.LOAD_SHEDDING_MAX_HEAP_USED_MB * 1024 * 1024
          : Math.floor(getHeapStatistics().heap_size_limit * 0.9),
    };
    this.auth = {
      issuer,
      audience: env.AUTH_AUDIENCE ?? DEV_AUDIENCE,
      jwksUri: env.AUTH_JWKS_URI ?? `${withTrailingSlash(issuer)}.well-known/jwks.json`,
      organisationClaim: env.AUTH_ORGANISATION_CLAIM,
      clockToleranceSeconds: env.AUTH_CLOCK_TOLERANCE_SECONDS,
      jwksCacheMs: env.AUTH_JWKS_CACHE_SECONDS * 1000,
      // The development issuer's endpoint on this host (relative: whatever name the page used),
      // or Auth0's convention on the configured issuer.
      tokenUrl:
        env.AUTH_TOKEN_URL ??
        (devAuth ? '/oauth/token' : `${withTrailingSlash(issuer)}oauth/token`),
      devIssuer: {
        enabled: devAuth,
        keyFile: env.DEV_AUTH_KEY_FILE,
        clients: env.DEV_CLIENTS ? parseDevClients(env.DEV_CLIENTS) : DEFAULT_DEV_CLIENTS,
        demoClients: !env.DEV_CLIENTS,
      },
    };
    this.expiry = { cron: parseCron(env.EXPIRY_CRON), enabled: env.EXPIRY_ENABLED };
    this.imports = {
      workerEnabled: env.IMPORT_WORKER_ENABLED,
      batchSize: env.IMPORT_BATCH_SIZE,
    };
    this.events = {
      natsUrl: env.EVENTS_NATS_URL,
      natsStream: env.EVENTS_NATS_STREAM,
      publisherEnabled: env.EVENTS_PUBLISHER_ENABLED,
      retentionDays: env.EVENTS_RETENTION_DAYS,
      webhooksEnabled: env.WEBHOOKS_ENABLED,
      webhookAllowPrivate: env.WEBHOOK_ALLOW_PRIVATE,
      webhookRetryBaseMs: env.WEBHOOK_RETRY_BASE_MS,
      webhookRetryWindowMs: env.WEBHOOK_RETRY_WINDOW_MS,
    };
    this.timeZone = parseTimeZone(env.TIME_ZONE);
    this.corsOrigins = env.CORS_ORIGINS.split(',')
      .map((o) => o.trim())
      .filter(Boolean);
    this.organisations = parseOrganisations(
      env.ORGANISATIONS ?? (env.DATABASE_URL ? '' : '1:Demo One,2:Demo Two'),
    );
    this.logLevel = env.LOG_LEVEL;
    this.logFormat = env.LOG_FORMAT;
    this.rateLimitPerMinute = env.RATE_LIMIT_PER_MINUTE;
    this.failedAuthPerMinute = env.FAILED_AUTH_PER_MINUTE;
    this.redisUrl = env.REDIS_URL;
    this.trustProxy = parseTrustProxy(env.TRUST_PROXY);
  }
}

/** false: trust no proxy; else the proxies' addresses and ranges. */
export type TrustProxy = false | string[];

export class ConfigurationError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  ${problems.join('\n  ')}`);
  }
}

/** The configuration of this process, or the reasons it is invalid on stderr and `exit(exitCode)`. */
export function configOrExit(exitCode: number): AppConfig {
  try {
    return AppConfig.fromEnvironment(process.env);
  } catch (error) {
    if (error instanceof ConfigurationError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(exitCode);
    }
    throw error;
  }
}

function withoutEmpty(env: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined && e[1] !== ''),
  );
}

function withTrailingSlash(url: string): string {
  return url.endsWith('/') ? url : `${url}/`;
}

function parseCron(expression: string): string {
  try {
    new CronTime(expression);
    return expression;
  } catch {
    throw new ConfigurationError([`EXPIRY_CRON: "${expression}" is not a valid cron expression`]);
  }
}

function parseTimeZone(zone: string): string {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return zone;
  } catch {
    throw new ConfigurationError([`TIME_ZONE: "${zone}" is not a known IANA time zone`]);
  }
}

const PROXY_RANGE_NAMES = ['loopback', 'linklocal', 'uniquelocal'];

/**
 * Addresses, CIDR ranges or loopback, linklocal, uniquelocal (comma-separated). No hop count:
 * Fastify 5 trusts nobody for one, as a hop count cannot tell a proxy from a client.
 */
function parseTrustProxy(value: string | undefined): TrustProxy {
  const text = value?.trim() ?? '';
  if (text === '') {
    return false;
  }
  const entries = text.split(',').map((entry) => entry.trim());
  const invalid = entries.find((entry) => !isProxyRange(entry));
  if (invalid !== undefined) {
    throw new ConfigurationError([
      `TRUST_PROXY: "${invalid}" is not an IP address, a CIDR range (address/prefix) or one of ` +
        PROXY_RANGE_NAMES.join(', '),
    ]);
  }
  return entries;
}

function isProxyRange(entry: string): boolean {
  if (PROXY_RANGE_NAMES.includes(entry)) {
    return true;
  }
  const [address, prefix, ...rest] = entry.split('/');
  const version = isIP(address);
  if (version === 0 || rest.length > 0) {
    return false;
  }
  if (prefix === undefined) {
    return true;
  }
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (version === 4 ? 32 : 128);
}

function parseOrganisations(value: string): Organisation[] {
  const organisations = value
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part) => {
      const match = /^(\d{1,10}):(.*\S.*)$/.exec(part);
      if (!match || !isOrganisationId(Number(match[1])) || match[2].trim().length > 200) {
        throw new ConfigurationError([
          `ORGANISATIONS: "${part}" is not of the form <id 1..${MAX_ORGANISATION_ID}>:<name of at most 200 characters>`,
        ]);
      }
      return { id: Number(match[1]), name: match[2].trim() };
    });
  const duplicate = organisations.find(
    (o, i) => organisations.findIndex((p) => p.id === o.id) !== i,
  );
  if (duplicate) {
    throw new ConfigurationError([`ORGANISATIONS: organisation ${duplicate.id} is listed twice`]);
  }
  return organisations;
}

function parseDevClients(value: string): DevClient[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    throw new ConfigurationError(['DEV_CLIENTS: not valid JSON']);
  }
  const valid =
    Array.isArray(parsed) &&
    parsed.every(
      (c: Partial<DevClient>) =>
        typeof c?.clientId === 'string' &&
        c.clientId.length > 0 &&
        typeof c.clientSecret === 'string' &&
        c.clientSecret.length > 0 &&
        isOrganisationId(c.organisationId) &&
        Array.isArray(c.permissions) &&
        c.permissions.every((p) => typeof p === 'string'),
    );
  if (!valid) {
    throw new ConfigurationError([
      'DEV_CLIENTS: expected [{clientId, clientSecret, organisationId (a positive integer), permissions (strings)}]',
    ]);
  }
  return parsed as DevClient[];
}
