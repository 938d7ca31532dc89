import { execFile } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import { promisify } from 'node:util';
import {
  REFERENCE_REQUESTS,
  ReferenceRequest,
  SEED_CURL_EXAMPLES,
} from '../fixtures/entur-reference-examples';
import { committedContract } from '../utils/contract';
import { createTestApp, TestApp } from '../utils/test-app';

/**
 * A client written from Entur's documentation works unchanged: every example request of the
 * reference (test/fixtures/entur-reference-examples.ts) answers 2xx, with a response that matches
 * the committed OpenAPI documents. Tokens come from the built-in issuer, as the documentation gets
 * them from Entur's; the seed's curl lines are sent by curl itself, bodies and headers as written.
 */

type Context = Record<string, string | number>;

/** A port free right now: the development issuer's `iss` and JWKS address contain it. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

interface ParsedCurl {
  method: string;
  url: string;
  headers: string[];
  data?: string;
}

/**
 * Reads a curl line as the documentation writes it, its typos included (`-- url = '…'`,
 * `-- header '…'`, which curl itself would reject).
 */
function parseCurl(text: string): ParsedCurl {
  const line = text
    .replace(/\\\n/g, ' ')
    .replace(/--\s+url\s*=?\s*/g, '--url ')
    .replace(/--\s+header\s+/g, '--header ');
  const tokens = [...line.matchAll(/'([^']*)'|(\S+)/g)].map((m) => m[1] ?? m[2]);
  expect(tokens[0]).toBe('curl');
  const parsed: ParsedCurl = { method: 'GET', url: '', headers: [] };
  for (let i = 1; i < tokens.length; i += 2) {
    const [option, value] = [tokens[i], tokens[i + 1]];
    if (option === '--request') {
      parsed.method = value;
    } else if (option === '--url') {
      parsed.url = value;
    } else if (option === '--header') {
      parsed.headers.push(value);
    } else if (option === '--data') {
      parsed.data = value;
    } else {
      throw new Error(`unexpected curl option ${option}`);
    }
  }
  return parsed;
}

/** Fills `{name}` from the context; a value that is only `{name}` keeps its type (numbers). */
function fill<T>(value: T, context: Context): T {
  if (typeof value === 'string') {
    const whole = /^\{(\w+)\}$/.exec(value);
    if (whole && whole[1] in context) {
      return context[whole[1]] as T;
    }
    return value.replace(/\{(\w+)\}/g, (text, name: string) =>
      name in context ? String(context[name]) : text,
    ) as T;
  }
  if (Array.isArray(value)) {
    return value.map((item: unknown) => fill(item, context)) as T;
  }
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, fill(item, context)]),
    ) as T;
  }
  return value;
}

const inDays = (days: number) =>
  new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

describe('the reference examples, replayed', () => {
  let t: TestApp;
  const context: Context = {
    unique: randomBytes(5).toString('hex'),
    code: randomBytes(4).toString('hex').toUpperCase(),
    mobile: `9${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`,
    inAWeek: inDays(7),
  };
  const tokens: Record<'partner' | 'admin', string> = { partner: '', admin: '' };

  beforeAll(async () => {
    // The embedded default: no AUTH_ISSUER, so the development issuer serves /oauth/token.
    t = await createTestApp({
      PORT: String(await freePort()),
      AUTH_ISSUER: '',
      AUTH_AUDIENCE: '',
    });
  });
  afterAll(() => t.close());

  describe("the seed's curl lines, sent by curl as written", () => {
    const seed: Context = {};

    /** Runs one example with curl: no content type unless the example sets one. */
    async function runCurl(name: string, replacements: Record<string, string>) {
      const example = SEED_CURL_EXAMPLES.find((e) => e.name === name)!;
      const parsed = parseCurl(example.curl);
      // The capture kept the end of each URL; the documentation's URL ends the same way.
      expect(example.url.endsWith(parsed.url)).toBe(true);
      const put = (text: string) =>
        Object.entries(replacements).reduce((s, [from, to]) => s.replaceAll(from, to), text);
      const url = put(example.url);
      const args = ['--silent', '--request', parsed.method, '--url', `${t.baseUrl}${url}`];
      for (const header of parsed.headers) {
        args.push('--header', put(header));
      }
      if (parsed.data !== undefined) {
        args.push('--data', put(parsed.data));
      }
      args.push('--write-out', '\n%{http_code} %{content_type}');
      const { stdout } = await promisify(execFile)('curl', args);
      const lines = stdout.split('\n');
      const [status, contentType] = lines.pop()!.split(' ');
      const text = lines.join('\n');
      const body: unknown = text ? JSON.parse(text) : undefined;
      committedContract().validate({
        method: parsed.method,
        path: new URL(url, t.baseUrl).pathname,
        status: Number(status),
        contentType,
        text,
        body,
      });
      expect({ name, status: Number(status), contentType }).toEqual({
        name,
        status: expect.any(Number),
        contentType: expect.stringContaining('application/json'),
      });
      expect({ name, ok: Number(status) >= 200 && Number(status) < 300, text }).toEqual({
        name,
        ok: true,
        text,
      });
      return body as Record<string, any>;
    }

    it('should issue a token for the documented client-credentials request', async () => {
      const body = await runCurl('access token (Authentication and authorization)', {
        yourClientCredentials: 'demo-1',
        yourClientSecret: 'demo-1-secret',
      });
      expect(body).toEqual({
        access_token: expect.any(String),
        token_type: 'Bearer',
        expires_in: expect.any(Number),
      });
      seed.token = body.access_token;
    });

    it("should create a profile from the seed's body sent without a content type", async () => {
      const body = await runCurl('Create a new profile', { '<token>': String(seed.token) });
      expect(body).toMatchObject({
        firstName: 'Ola',
        surname: 'Nordmann',
        email: null,
        languagePreference: 'NO',
        organisationId: 1,
        profileType: 'S',
      });
      seed.customerNumber = body.customerNumber;
    });

    it('should look the profile up by its customer number', async () => {
      const body = await runCurl('Look up a profile', {
        '<token>': String(seed.token),
        '<customerIdentifier>': String(seed.customerNumber),
      });
      expect(body.customerNumber).toBe(seed.customerNumber);
    });

    it.each(['Search for profiles', 'Search for profiles (older capture of the same page)'])(
      'should find a profile by e-mail and surname (%s)',
      async (name) => {
        const email = `ola.seed${name.length}.${context.unique}@example.com`;
        const created = await t.http.post('/customers/v2/profiles', {
          token: String(seed.token),
          body: {
            firstName: 'Ola',
            surname: `Nordmann${name.length}`,
            email,
            createdBy: 'test',
            createdByChannel: 'test',
          },
        });
        expect(created.status).toBe(201);
        const body = await runCurl(name, {
          '<token>': String(seed.token),
          '<EMAIL>': email,
          '<NAME>': `Nordmann${name.length}`,
        });
        expect(body).toEqual([
          expect.objectContaining({ customerNumber: created.body.customerNumber }),
        ]);
        // Both captures are replayed against one profile each; free the e-mail for the next.
        await t.http.delete(`/customers/v2/profiles/${created.body.customerNumber}`, {
          token: String(seed.token),
        });
      },
    );
  });

  describe("the reference's request shapes", () => {
    beforeAll(async () => {
      for (const [role, clientId] of [
        ['partner', 'demo-1'],
        ['admin', 'demo-admin'],
      ] as const) {
        const res = await t.http.post('/oauth/token', {
          headers: { 'content-type': 'application/json' },
          body: {
            grant_type: 'client_credentials',
            client_id: clientId,
            client_secret: `${clientId}-secret`,
            audience: 'https://api.customers.local',
          },
        });
        expect(res.status).toBe(200);
        tokens[role] = res.body.access_token;
      }
    });

    /** Values that identify the replay's own profile: a search for them must find it. */
    const identifying = ['{email}', '{vippsId}', '{mobile}', '{unique}'];

    it.each(REFERENCE_REQUESTS.map((request) => [request.ref, request] as const))(
      'should answer %s with 2xx',
      async (_, request: ReferenceRequest) => {
        context.now = new Date().toISOString();
        const res = await t.http.request(request.method, fill(request.path, context), {
          token: tokens[request.as ?? 'partner'],
          query: request.query && fill(request.query, context),
          body: request.body && fill(request.body, context),
          headers: {
            accept: 'application/json;charset=UTF-8',
            'ET-Client-Name': 'entur-reference-replay',
            'X-Correlation-Id': randomUUID(),
          },
        });
        expect({
          ref: request.ref,
          ok: res.status >= 200 && res.status < 300,
          text: res.text,
        }).toEqual({ ref: request.ref, ok: true, text: res.text });
        for (const [name, field] of Object.entries(request.keep ?? {})) {
          context[name] = res.body[field];
        }
        const query = Object.values(request.query ?? {}).join(' ');
        if (request.path.startsWith('/customers/v2/profiles-search') && request.query) {
          const found = (res.body as { customerNumber: number }[]).map((p) => p.customerNumber);
          if (/ticketRight/.test(Object.keys(request.query).join())) {
            expect(found).toEqual([]);
          } else if (identifying.some((value) => query.includes(value))) {
            expect(found).toContain(context.customerNumber);
          }
        }
      },
    );
  });
});
