import { readFileSync } from 'node:fs';

/**
 * Summarises a V8 .cpuprofile (from `npm run bench -- --cpu-prof DIR`): where the service's CPU
 * time goes, by package/file (self and inclusive) and by function (self).
 *
 *   node dist/scripts/bench/cpu-profile-summary.js <file.cpuprofile> [top=25] [skipSeconds=0]
 *
 * skipSeconds leaves out the first seconds of the profile (start-up: module loading, migrations).
 * With msPerRequest (the bench's service CPU ms per request) the cost table is also in µs per
 * request.
 */
interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

function owner(frame: CallFrame): string {
  const { url, functionName } = frame;
  if (!url) {
    return functionName.startsWith('(') ? functionName : '(native)';
  }
  const modules = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (modules) {
    return modules[1];
  }
  if (url.startsWith('node:')) {
    return `node:${url.slice(5).split('/')[0]}`;
  }
  const app = /\/dist\/((?:src|scripts|migrations)\/.*)$/.exec(url);
  return app ? app[1] : url;
}

/** What each part of the request path costs: the first frame from the leaf up that names one. */
const COSTS: [string, RegExp][] = [
  [
    'token verification (passport, jwks-rsa, jsonwebtoken, cache)',
    /^(passport|passport-jwt|@nestjs\/passport|jwks-rsa|jsonwebtoken|jws|jwa|jose|src\/auth\/(parsed-key-cache|jwt\.strategy|jwt-auth\.guard|verified-token-cache|limited-authentication\.guard)\.js)$/,
  ],
  [
    'logging (pino-http child logger, redaction)',
    /^(pino|pino-http|@pinojs\/redact|nestjs-pino|pino-std-serializers|sonic-boom|src\/observability\/logging\.module\.js)$/,
  ],
  [
    'rate limiter (@nestjs/throttler)',
    /^(@nestjs\/throttler|src\/auth\/client-throttler\.guard\.js)$/,
  ],
  ['security headers and CORS', /^(helmet|@fastify\/helmet|@fastify\/cors)$/],
  ['metrics and load shedding', /^(prom-client|@fastify\/under-pressure)$/],
  [
    'database driver (pg, TypeORM query runner)',
    /^(pg|pg-protocol|pg-pool|pg-types|postgres-\w+|typeorm|src\/database\/.*)$/,
  ],
  [
    'Nest (guards, pipes, interceptors, rxjs)',
    /^(@nestjs\/core|@nestjs\/common|@nestjs\/platform-fastify|rxjs|reflect-metadata|class-validator|class-transformer|iterare)$/,
  ],
  ['Fastify and node:http', /^(fastify|find-my-way|@fastify\/.*|avvio|node:_http_\w+|node:http)$/],
  ['service code (controllers, mapping, guards)', /^src\//],
  ['garbage collector', /^\(garbage collector\)$/],
];

function costOf(id: number, byId: Map<number, ProfileNode>, parent: Map<number, number>): string {
  for (let n: number | undefined = id; n !== undefined; n = parent.get(n)) {
    const o = owner(byId.get(n)!.callFrame);
    const cost = COSTS.find(([, pattern]) => pattern.test(o));
    if (cost) {
      return cost[0];
    }
  }
  return 'other (socket writes outside the above, timers, node internals)';
}

function summarise(
  profile: CpuProfile,
  top: number,
  skipSeconds: number,
  msPerRequest?: number,
): string {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) {
    for (const child of node.children ?? []) {
      parent.set(child, node.id);
    }
  }
  const selfByNode = new Map<number, number>();
  let elapsed = 0;
  profile.samples.forEach((id, i) => {
    const delta = profile.timeDeltas[i] ?? 0;
    elapsed += delta;
    if (elapsed >= skipSeconds * 1e6) {
      selfByNode.set(id, (selfByNode.get(id) ?? 0) + delta);
    }
  });
  const total = [...selfByNode.values()].reduce((a, b) => a + b, 0);
  const idle = [...selfByNode]
    .filter(([id]) => byId.get(id)!.callFrame.functionName === '(idle)')
    .reduce((sum, [, t]) => sum + t, 0);
  const busy = total - idle;

  const selfByOwner = new Map<string, number>();
  const inclusiveByOwner = new Map<string, number>();
  const selfByFunction = new Map<string, number>();
  const byCost = new Map<string, number>();
  for (const [id, time] of selfByNode) {
    const frame = byId.get(id)!.callFrame;
    if (frame.functionName === '(idle)') {
      continue;
    }
    const cost = costOf(id, byId, parent);
    byCost.set(cost, (byCost.get(cost) ?? 0) + time);
    const o = owner(frame);
    selfByOwner.set(o, (selfByOwner.get(o) ?? 0) + time);
    const fn = `${frame.functionName || '(anonymous)'} ${o}:${frame.lineNumber + 1}`;
    selfByFunction.set(fn, (selfByFunction.get(fn) ?? 0) + time);
    const seen = new Set<string>();
    for (let n: number | undefined = id; n !== undefined; n = parent.get(n)) {
      seen.add(owner(byId.get(n)!.callFrame));
    }
    for (const s of seen) {
      inclusiveByOwner.set(s, (inclusiveByOwner.get(s) ?? 0) + time);
    }
  }
  const pct = (t: number) => `${((100 * t) / busy).toFixed(1).padStart(5)} %`;
  const table = (title: string, map: Map<string, number>) =>
    [
      `\n${title}`,
      ...[...map]
        .sort((a, b) => b[1] - a[1])
        .slice(0, top)
        .map(([name, t]) => `  ${pct(t)}  ${name}`),
    ].join('\n');
  const costTable = [
    `\ncost of the request path${msPerRequest ? ` (µs per request at ${msPerRequest} ms of service CPU per request)` : ''}`,
    ...[...byCost]
      .sort((a, b) => b[1] - a[1])
      .map(
        ([name, t]) =>
          `  ${pct(t)}${msPerRequest ? `  ${((1000 * msPerRequest * t) / busy).toFixed(0).padStart(5)} µs` : ''}  ${name}`,
      ),
  ].join('\n');
  return [
    `busy ${(busy / 1e6).toFixed(1)} s of ${(total / 1e6).toFixed(1)} s sampled (percentages of busy time)`,
    costTable,
    table('self time by package / file', selfByOwner),
    table('inclusive time by package / file (on the stack)', inclusiveByOwner),
    table('self time by function', selfByFunction),
  ].join('\n');
}

const [file, top, skip, msPerRequest] = process.argv.slice(2);
if (!file) {
  console.error('usage: cpu-profile-summary <file.cpuprofile> [top] [skipSeconds] [msPerRequest]');
  process.exit(2);
}
const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
console.log(
  summarise(
    profile,
    Number(top ?? 25),
    Number(skip ?? 0),
    msPerRequest ? Number(msPerRequest) : undefined,
  ),
);
