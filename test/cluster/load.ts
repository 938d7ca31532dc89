import { randomUUID } from 'node:crypto';
import { serviceUrl, sleep, tokenFor } from './cluster';

const PROFILES = '/customers/v2/profiles';

/** What a drill's load saw: requests and their outcome, and the slowest answer. */
export interface Tally {
  sent: number;
  acknowledged: number;
  /** Failed requests by status, or `network:<code>`, or `truncated` (a 200 whose body broke off). */
  failed: Record<string, number>;
  /** Failed answers that were not application/problem+json. */
  notProblemJson: number;
  maxLatencyMs: number;
  /** Failures with when they happened (ms since the load started) and what they were. */
  failures: { atMs: number; op: string; outcome: string }[];
  /** When the last failure happened (ms since the load started). */
  lastFailureAtMs?: number;
}

/** A profile this load created: what the service acknowledged last, and an unanswered change. */
interface Written {
  customerNumber: number;
  version: number;
  surname: string;
  /** A PATCH that failed without an answer may or may not have been applied. */
  maybe?: { version: number; surname: string };
}

interface Answer {
  ok: boolean;
  status: number;
  body?: any;
  /** Seconds, of a 429/502/503/504. */
  retryAfter?: number;
}

/** The longest a worker waits on a Retry-After: the load stays steady through an outage. */
const MAX_BACK_OFF_MS = 1_000;

/**
 * A steady mixed load through HAProxy: each worker creates a profile, reads it, patches it (with
 * If-Match), searches with consistency=eventual, and streams the CRM and profile exports. Every
 * acknowledged create and PATCH is remembered, so `verify` can say whether one was lost.
 */
export class Load {
  readonly tally: Tally = {
    sent: 0,
    acknowledged: 0,
    failed: {},
    notProblemJson: 0,
    maxLatencyMs: 0,
    failures: [],
  };
  private readonly written: Written[] = [];
  private readonly tokens: string[][];
  private readonly running: Promise<void>[] = [];
  private stopped = false;
  private started = 0;

  constructor(
    private readonly name: string,
    private readonly workers: number,
    private readonly timeoutMs: number,
    clientsPerWorker: number,
  ) {
    // Requests of a worker go round its clients: each client's budget sees a fraction of them.
    this.tokens = Array.from({ length: workers }, (_, w) =>
      Array.from({ length: clientsPerWorker }, (_, c) => tokenFor(`drill-load-${w}-${c}`)),
    );
  }

  start(): this {
    this.started = Date.now();
    for (let w = 0; w < this.workers; w++) {
      this.running.push(this.worker(w));
    }
    return this;
  }

  async stop(): Promise<Tally> {
    this.stopped = true;
    await Promise.all(this.running);
    return this.tally;
  }

  /** ms since the load started. */
  elapsed(): number {
    return Date.now() - this.started;
  }

  /**
   * Reads every profile this load wrote through the service (default reads: the primary) and
   * counts those whose content and version are neither the acknowledged ones nor an unanswered
   * change's. A read that fails is retried (the service may still be recovering).
   */
  async verify(): Promise<{ checked: number; lost: number; examples: string[] }> {
    // Clients of their own, enough that the reads stay within every client's budget.
    const tokens = Array.from({ length: 20 }, (_, i) =>
      tokenFor(`drill-verifier-${this.name}-${i}`),
    );
    let turn = 0;
    let lost = 0;
    const examples: string[] = [];
    const queue = [...this.written];
    const check = async () => {
      for (let p = queue.shift(); p; p = queue.shift()) {
        let answer: Answer | undefined;
        for (let attempt = 0; attempt < 20; attempt++) {
          answer = await this.request(
            'GET',
            `${PROFILES}/${p.customerNumber}`,
            tokens[turn++ % tokens.length],
          );
          if (answer.ok || answer.status === 404) {
            break;
          }
          await sleep(500);
        }
        const found = answer?.ok ? (answer.body as { version: number; surname: string }) : null;
        const matches = (want?: { version: number; surname: string }) =>
          !!want && !!found && found.version === want.version && found.surname === want.surname;
        if (!matches(p) && !matches(p.maybe)) {
          lost++;
          if (examples.length < 5) {
            examples.push(
              `${p.customerNumber}: acknowledged v${p.version} ${p.surname}, found ${
                found ? `v${found.version} ${found.surname}` : `status ${answer?.status}`
              }`,
            );
          }
        }
      }
    };
    await Promise.all(Array.from({ length: 6 }, check));
    return { checked: this.written.length, lost, examples };
  }

  private async worker(w: number): Promise<void> {
    let turn = 0;
    const token = () => this.tokens[w][turn++ % this.tokens[w].length];
    for (let cycle = 0; !this.stopped; cycle++) {
      const surname = `Drill${this.name}W${w}C${cycle}`;
      const created = await this.call('create', 'POST', PROFILES, token(), {
        firstName: 'Load',
        surname,
        email: `${randomUUID()}@drill.example`,
        createdBy: 'cluster-drill',
        createdByChannel: 'drill',
      });
      let profile: Written | undefined;
      if (created.ok) {
        profile = {
          customerNumber: created.body.customerNumber,
          version: created.body.version,
          surname,
        };
        this.written.push(profile);
      }
      for (const step of ['get', 'patch', 'search', 'patch', 'crm'] as const) {
        if (this.stopped) {
          break;
        }
        if (step === 'crm') {
          await this.call('crm', 'GET', '/customers/v2/consents/crm', token());
        } else if (step === 'search') {
          const query = `surname=${surname}&consistency=eventual&maxResultSet=5`;
          await this.call('search', 'GET', `/customers/v2/profiles-search?${query}`, token());
        } else if (profile && step === 'get') {
          await this.call('get', 'GET', `${PROFILES}/${profile.customerNumber}`, token());
        } else if (profile && step === 'patch') {
          profile = await this.patch(profile, token());
        }
      }
      if (cycle % 4 === 3 && !this.stopped) {
        const since = new Date(Date.now() - 5_000).toISOString();
        await this.call(
          'export',
          'GET',
          `/customers/v2/exports/profiles?changedSince=${since}`,
          token(),
        );
      }
      await sleep(5);
    }
  }

  /** A PATCH with If-Match; answers the profile to go on with (none after an unanswered one). */
  private async patch(profile: Written, token: string): Promise<Written | undefined> {
    const surname = `${profile.surname.replace(/P\d+$/, '')}P${profile.version + 1}`;
    const answer = await this.call(
      'patch',
      'PATCH',
      `${PROFILES}/${profile.customerNumber}`,
      token,
      { surname, changedBy: 'cluster-drill', changedByChannel: 'drill' },
      { 'if-match': `"${profile.version}"` },
    );
    if (answer.ok) {
      profile.version = answer.body.version;
      profile.surname = surname;
      return profile;
    }
    // Applied or not, nobody can say: remember both, and change this profile no more.
    profile.maybe = { version: profile.version + 1, surname };
    return undefined;
  }

  private async call(
    op: string,
    method: string,
    path: string,
    token: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<Answer> {
    this.tally.sent++;
    const started = Date.now();
    const answer = await this.request(method, path, token, body, headers);
    this.tally.maxLatencyMs = Math.max(this.tally.maxLatencyMs, Date.now() - started);
    if (answer.ok) {
      this.tally.acknowledged++;
    } else {
      const outcome = answer.status ? String(answer.status) : String(answer.body);
      this.tally.failed[outcome] = (this.tally.failed[outcome] ?? 0) + 1;
      this.tally.failures.push({ atMs: this.elapsed(), op, outcome });
      this.tally.lastFailureAtMs = this.elapsed();
      if (answer.retryAfter) {
        // As a well-behaved client: wait as asked (capped) before the next request.
        await sleep(Math.min(answer.retryAfter * 1000, MAX_BACK_OFF_MS));
      }
    }
    return answer;
  }

  /** One request; a network error or a broken body is status 0 with the reason as the body. */
  private async request(
    method: string,
    path: string,
    token: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<Answer> {
    try {
      const res = await fetch(`${serviceUrl}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          ...(body ? { 'content-type': 'application/json' } : {}),
          ...headers,
        },
        body: body ? JSON.stringify(body) : undefined,
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      const text = await res.text();
      if (!res.ok) {
        if (!(res.headers.get('content-type') ?? '').includes('application/problem+json')) {
          this.tally.notProblemJson++;
        }
        const retryAfter = Number(res.headers.get('retry-after')) || undefined;
        return { ok: false, status: res.status, retryAfter };
      }
      const type = res.headers.get('content-type') ?? '';
      if (type.includes('ndjson')) {
        return {
          ok: true,
          status: res.status,
          body: text
            .split('\n')
            .filter(Boolean)
            .map((l) => JSON.parse(l)),
        };
      }
      return { ok: true, status: res.status, body: text ? JSON.parse(text) : undefined };
    } catch (err) {
      const e = err as { name?: string; cause?: { code?: string } };
      const reason =
        e.name === 'SyntaxError' ? 'truncated' : `network:${e.cause?.code ?? e.name ?? 'error'}`;
      return { ok: false, status: 0, body: reason };
    }
  }
}
