import { ChildProcess, spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The V8 heap limits of the production image (Dockerfile), so the bench measures the same. */
export const SERVICE_NODE_OPTIONS = '--max-semi-space-size=8 --max-old-space-size=160';

export interface ServiceSettings {
  /** Unset: the service's embedded PGlite, in memory. */
  databaseUrl?: string;
  issuer: string;
  audience: string;
  organisations: number;
  logLevel: string;
  cpuProfileDir?: string;
  /** More settings of the service (the events scenario's broker). */
  env?: Record<string, string>;
}

/** The service under test, started as `node dist/src/main.js` exactly as in production. */
export class ServiceProcess {
  readonly logFile = join(tmpdir(), `customers-bench-${process.pid}.log`);
  url = '';
  /** Milliseconds from spawning the process to its first 200 from /health/ready. */
  startMs = 0;
  private child?: ChildProcess;
  private exited?: Promise<number | null>;

  get pid(): number | undefined {
    return this.child?.pid;
  }

  async start(settings: ServiceSettings): Promise<void> {
    const port = await freePort();
    const nodeArgs = settings.cpuProfileDir
      ? ['--cpu-prof', `--cpu-prof-dir=${settings.cpuProfileDir}`]
      : [];
    if (settings.cpuProfileDir) {
      // --cpu-prof writes its file on process.exit(); a signal would kill the process without it.
      nodeArgs.push('--require', join(__dirname, 'exit-on-sigusr2.js'));
    }
    const log = openSync(this.logFile, 'w');
    // The bench's own DATABASE_URL must not leak into an embedded run.
    const environment = { ...process.env };
    delete environment.DATABASE_URL;
    const child = spawn(process.execPath, [...nodeArgs, join(__dirname, '../../src/main.js')], {
      env: {
        ...environment,
        NODE_ENV: 'production',
        // As the production image (Dockerfile) runs it.
        MALLOC_ARENA_MAX: '2',
        NODE_OPTIONS: SERVICE_NODE_OPTIONS,
        PORT: String(port),
        ...(settings.databaseUrl
          ? { DATABASE_URL: settings.databaseUrl }
          : { PGLITE_DATA_DIR: 'memory://' }),
        AUTH_ISSUER: settings.issuer,
        AUTH_AUDIENCE: settings.audience,
        DEV_AUTH: 'false',
        LOG_LEVEL: settings.logLevel,
        EXPIRY_ENABLED: 'false',
        RATE_LIMIT_PER_MINUTE: String(1_000_000_000),
        ORGANISATIONS: Array.from(
          { length: settings.organisations },
          (_, i) => `${i + 1}:Bench organisation ${i + 1}`,
        ).join(','),
        ...settings.env,
      },
      stdio: ['ignore', log, log],
    });
    closeSync(log);
    this.child = child;
    this.exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
    this.url = `http://127.0.0.1:${port}`;
    const started = Date.now();
    await this.waitUntilReady();
    this.startMs = Date.now() - started;
  }

  async stop(): Promise<void> {
    if (!this.child || this.child.exitCode !== null) {
      return;
    }
    this.child.kill(this.child.spawnargs.includes('--cpu-prof') ? 'SIGUSR2' : 'SIGTERM');
    const timer = setTimeout(() => this.child?.kill('SIGKILL'), 15_000);
    await this.exited;
    clearTimeout(timer);
  }

  logTail(lines = 30): string {
    try {
      return readFileSync(this.logFile, 'utf8')
        .split('\n')
        .slice(-lines)
        .map((line) => (line.length > 400 ? `${line.slice(0, 400)}…` : line))
        .join('\n');
    } catch {
      return '';
    }
  }

  private async waitUntilReady(): Promise<void> {
    const deadline = Date.now() + 120_000;
    let exitCode: number | null | undefined;
    void this.exited!.then((code) => (exitCode = code));
    while (Date.now() < deadline) {
      if (exitCode !== undefined) {
        throw new Error(`the service exited with code ${exitCode}:\n${this.logTail()}`);
      }
      try {
        const response = await fetch(`${this.url}/health/ready`);
        if (response.ok) {
          return;
        }
      } catch {
        // not listening yet
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    throw new Error(`the service did not become ready in 120 s:\n${this.logTail()}`);
  }
}

/** Samples VmRSS of a process every 500 ms and keeps the peak, overall and since the last mark. */
export class RssSampler {
  peakKb = 0;
  sinceMarkKb = 0;
  private timer?: NodeJS.Timeout;

  constructor(private readonly pid: number) {}

  start(): this {
    this.sample();
    this.timer = setInterval(() => this.sample(), 500);
    this.timer.unref();
    return this;
  }

  mark(): void {
    this.sinceMarkKb = 0;
    this.sample();
  }

  stop(): void {
    this.sample();
    clearInterval(this.timer);
  }

  /** The kernel's own high-water mark (VmHWM), a cross-check of the samples. */
  highWaterMarkKb(): number | undefined {
    return readStatus(this.pid, 'VmHWM');
  }

  private sample(): void {
    const kb = readStatus(this.pid, 'VmRSS');
    if (kb !== undefined) {
      this.peakKb = Math.max(this.peakKb, kb);
      this.sinceMarkKb = Math.max(this.sinceMarkKb, kb);
    }
  }
}

function readStatus(pid: number, field: string): number | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined;
  }
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
