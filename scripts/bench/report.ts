import { ScenarioName } from './options';
import { RunResult } from './scenarios';

export interface ScenarioSummary {
  scenario: ScenarioName;
  runs: RunResult[];
  requestsPerSecond: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
  peakRssMb?: number;
  /** Median CPU ms per response of the service, PostgreSQL and autocannon. */
  cpu?: { service: number; database: number; loadGenerator: number };
}

/** Medians over the repeated runs of each scenario (a single run is its own median). */
export function summarise(runs: RunResult[]): ScenarioSummary[] {
  const byScenario = new Map<ScenarioName, RunResult[]>();
  for (const run of runs) {
    byScenario.set(run.scenario, [...(byScenario.get(run.scenario) ?? []), run]);
  }
  return [...byScenario].map(([scenario, list]) => ({
    scenario,
    runs: list,
    requestsPerSecond: median(list.map((r) => r.requestsPerSecond)),
    p50: median(list.map((r) => r.p50)),
    p99: median(list.map((r) => r.p99)),
    errors: list.reduce((sum, r) => sum + r.errors, 0),
    non2xx: list.reduce((sum, r) => sum + r.non2xx, 0),
    peakRssMb: Math.max(...list.map((r) => r.peakRssMb ?? 0)) || undefined,
    cpu: list.every((r) => r.cpuMsPerRequest?.service !== undefined)
      ? {
          service: median(list.map((r) => r.cpuMsPerRequest!.service!)),
          database: median(list.map((r) => r.cpuMsPerRequest!.database)),
          loadGenerator: median(list.map((r) => r.cpuMsPerRequest!.loadGenerator)),
        }
      : undefined,
  }));
}

/**
 * A Markdown table, readable in a terminal and pasteable into docs/performance.md. `cores`: the
 * CPU-bound ceiling is cores × 1000 ms divided by the CPU all three processes spend per response.
 */
export function formatTable(summaries: ScenarioSummary[], cores: number): string {
  const repeated = summaries.some((s) => s.runs.length > 1);
  const header = [
    'scenario',
    repeated ? 'req/s (median)' : 'req/s',
    ...(repeated ? ['req/s runs'] : []),
    'p50 ms',
    'p99 ms',
    ...(repeated ? ['p99 runs'] : []),
    'errors',
    'non-2xx',
    'peak RSS MB',
    'CPU ms/resp svc+db+ac',
    'CPU ceiling req/s',
  ];
  const rows = summaries.map((s) => [
    s.scenario,
    s.requestsPerSecond.toFixed(0),
    ...(repeated ? [s.runs.map((r) => r.requestsPerSecond.toFixed(0)).join(' / ')] : []),
    String(s.p50),
    String(s.p99),
    ...(repeated ? [s.runs.map((r) => r.p99).join(' / ')] : []),
    String(s.errors),
    s.non2xx ? `${s.non2xx} (${statusBreakdown(s.runs)})` : '0',
    s.peakRssMb === undefined ? '–' : s.peakRssMb.toFixed(0),
    s.cpu
      ? [s.cpu.service, s.cpu.database, s.cpu.loadGenerator].map((ms) => ms.toFixed(2)).join('+')
      : '–',
    s.cpu
      ? ((cores * 1000) / (s.cpu.service + s.cpu.database + s.cpu.loadGenerator)).toFixed(0)
      : '–',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) =>
    `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(' | ')} |`;
  const rule = `|${widths.map((w, i) => (i === 0 ? `${'-'.repeat(w + 1)}-` : `${'-'.repeat(w + 1)}:`)).join('|')}|`;
  return [line(header), rule, ...rows.map(line)].join('\n');
}

function statusBreakdown(runs: RunResult[]): string {
  const counts: Record<string, number> = {};
  for (const run of runs) {
    for (const [code, count] of Object.entries(run.statusCodes)) {
      if (!code.startsWith('2')) {
        counts[code] = (counts[code] ?? 0) + count;
      }
    }
  }
  return Object.entries(counts)
    .map(([code, count]) => `${code}×${count}`)
    .join(', ');
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}
