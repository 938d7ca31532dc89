import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { median } from './report';
import { RunResult } from './scenarios';
import { ScenarioName } from './options';

/** The bare node:http + pg server of --floor (floor-server.ts), as a child process. */
export class FloorProcess {
  url = '';
  private child?: ChildProcess;

  get pid(): number | undefined {
    return this.child?.pid;
  }

  async start(databaseUrl: string, poolSize: number, organisationClaim: string): Promise<void> {
    const child = spawn(process.execPath, [join(__dirname, 'floor-server.js')], {
      env: {
        ...process.env,
        DATABASE_URL: databaseUrl,
        DATABASE_POOL_SIZE: String(poolSize),
        AUTH_ORGANISATION_CLAIM: organisationClaim,
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    this.child = child;
    const port = await new Promise<number>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        const match = /listening (\d+)/.exec(out);
        if (match) {
          resolve(Number(match[1]));
        }
      });
      child.once('exit', (code) => reject(new Error(`the floor server exited with ${code}`)));
    });
    this.url = `http://127.0.0.1:${port}`;
  }

  async stop(): Promise<void> {
    if (!this.child || this.child.exitCode !== null) {
      return;
    }
    const exited = new Promise((resolve) => this.child!.once('exit', resolve));
    this.child.kill('SIGTERM');
    await exited;
  }
}

export interface FloorComparison {
  scenario: ScenarioName;
  service: RunResult[];
  floor: RunResult[];
}

export function pairUp(runs: RunResult[]): FloorComparison[] {
  const scenarios = [...new Set(runs.map((r) => r.scenario))];
  return scenarios.map((scenario) => ({
    scenario,
    service: runs.filter((r) => r.scenario === scenario && r.target === 'service'),
    floor: runs.filter((r) => r.scenario === scenario && r.target === 'floor'),
  }));
}

const fixed = (n: number, digits = 0) => n.toFixed(digits);

/**
 * Per scenario: medians of both, the ratio of the medians (and per round), p99 of both and their
 * ratio, CPU ms per request of the service and of the floor, and the load average of each round.
 */
export function formatFloorTable(comparisons: FloorComparison[]): string {
  const header = [
    'scenario',
    'service req/s',
    'floor req/s',
    'ratio',
    'ratio per round',
    'service p99 ms',
    'floor p99 ms',
    'p99 ×',
    'svc CPU ms/req',
    'floor CPU ms/req',
    'db CPU ms/req svc / floor',
    'errors / non-2xx',
    'load avg per round',
  ];
  const rows = comparisons.map(({ scenario, service, floor }) => {
    const serviceRps = median(service.map((r) => r.requestsPerSecond));
    const floorRps = median(floor.map((r) => r.requestsPerSecond));
    const serviceP99 = median(service.map((r) => r.p99));
    const floorP99 = median(floor.map((r) => r.p99));
    const perRound = service.map((s) => {
      const f = floor.find((r) => r.round === s.round);
      return f ? `${fixed((100 * s.requestsPerSecond) / f.requestsPerSecond)}` : '–';
    });
    const cpu = (list: RunResult[], key: 'service' | 'database') =>
      median(list.map((r) => r.cpuMsPerRequest?.[key] ?? NaN));
    return [
      scenario,
      fixed(serviceRps),
      fixed(floorRps),
      `${fixed((100 * serviceRps) / floorRps)} %`,
      perRound.join(' / '),
      fixed(serviceP99),
      fixed(floorP99),
      fixed(serviceP99 / Math.max(floorP99, 1), 2),
      fixed(cpu(service, 'service'), 3),
      fixed(cpu(floor, 'service'), 3),
      `${fixed(cpu(service, 'database'), 3)} / ${fixed(cpu(floor, 'database'), 3)}`,
      `${[...service, ...floor].reduce((n, r) => n + r.errors, 0)} / ${[...service, ...floor].reduce((n, r) => n + r.non2xx, 0)}`,
      service.map((r) => fixed(r.loadAverage ?? NaN, 1)).join(' / '),
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) =>
    `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(' | ')} |`;
  const rule = `|${widths.map((w, i) => (i === 0 ? `${'-'.repeat(w + 1)}-` : `${'-'.repeat(w + 1)}:`)).join('|')}|`;
  return [line(header), rule, ...rows.map(line)].join('\n');
}
