import { readFileSync } from 'node:fs';
import { DataSource } from 'typeorm';

/** Linux reports utime/stime in clock ticks of 1/100 s (USER_HZ on every common architecture). */
const TICK_MS = 10;

/** CPU time (user + system) a process has used, in ms; undefined once it is gone. */
export function processCpuMs(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name may contain spaces; the fields after its closing parenthesis do not.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * TICK_MS;
  } catch {
    return undefined;
  }
}

export interface CpuSplit {
  serviceMs: number;
  databaseMs: number;
  loadGeneratorMs: number;
}

/**
 * CPU spent during one scenario by the service, by its PostgreSQL backends and by autocannon
 * (this process). Per request, these are what the run costs whatever else shares the cores; their
 * sum bounds the throughput of an otherwise idle machine.
 */
export class CpuMeter {
  private service0 = 0;
  private backends0 = new Map<number, number>();
  private self0 = process.cpuUsage();

  /** Without `db` (embedded PGlite) the database's CPU is part of the service's. */
  constructor(
    private readonly db: DataSource | undefined,
    private readonly servicePid: number | undefined,
    private readonly applicationName = 'customers',
  ) {}

  async start(): Promise<void> {
    this.service0 = this.servicePid ? (processCpuMs(this.servicePid) ?? 0) : 0;
    this.backends0 = await this.backendTimes();
    this.self0 = process.cpuUsage();
  }

  async stop(): Promise<CpuSplit> {
    const self = process.cpuUsage(this.self0);
    const service = this.servicePid ? (processCpuMs(this.servicePid) ?? 0) : 0;
    let databaseMs = 0;
    for (const [pid, ms] of await this.backendTimes()) {
      databaseMs += ms - (this.backends0.get(pid) ?? 0);
    }
    return {
      serviceMs: service - this.service0,
      databaseMs,
      loadGeneratorMs: (self.user + self.system) / 1000,
    };
  }

  /** The measured server's pool connections (by application_name) and their CPU so far. */
  private async backendTimes(): Promise<Map<number, number>> {
    if (!this.db) {
      return new Map();
    }
    const rows: { pid: number }[] = await this.db.query(
      `SELECT pid FROM pg_stat_activity
        WHERE datname = current_database() AND application_name = $1`,
      [this.applicationName],
    );
    const times = new Map<number, number>();
    for (const { pid } of rows) {
      const ms = processCpuMs(pid);
      if (ms !== undefined) {
        times.set(pid, ms);
      }
    }
    return times;
  }
}

/** Waits until the service has no statement left running (a slow scenario's tail), up to 60 s. */
export async function waitForQuietDatabase(db: DataSource): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const [row]: { n: string }[] = await db.query(
      `SELECT count(*) AS n FROM pg_stat_activity
        WHERE datname = current_database()
          AND application_name IN ('customers', 'customers-floor')
          AND state = 'active' AND pid <> pg_backend_pid()`,
    );
    if (Number(row.n) === 0) {
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
