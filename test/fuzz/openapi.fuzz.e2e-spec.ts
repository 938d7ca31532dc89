import { RequestMethod, Type } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { MetadataScanner, ModulesContainer } from '@nestjs/core';
import fc from 'fast-check';
import { committedContract, ContractViolation, OpenApiDocument } from '../utils/contract';
import { createTestApp, TestApp } from '../utils/test-app';
import { createFuzzFixtures, FuzzFixtures } from './fuzz-fixtures';
import { FuzzRequest, OperationUnderTest, requestArbitrary } from './fuzz-request';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Every operation of the committed OpenAPI documents, fuzzed with fast-check over real HTTP with a
 * token holding every permission: malformed parameters, headers, content types and bodies must
 * never get a 5xx, and every error is problem+json with a correlationId, no SQL or stack text, and
 * the security headers. A request the service accepts must be one the document allows.
 *
 * FUZZ_RUNS (requests per operation) and FUZZ_SEED make a run repeatable; `npm run fuzz -- --runs
 * 2000 --seed 7` runs a long one. A failure prints the seed and path that replay it.
 */
const RUNS = Number(process.env.FUZZ_RUNS ?? 25);
const SEED = Number(process.env.FUZZ_SEED ?? 20261129);

const DOCUMENTS = ['customers-v1.json', 'customers-v2.json'].map((file) => ({
  file,
  document: JSON.parse(
    readFileSync(join(__dirname, '..', '..', 'openapi', file), 'utf8'),
  ) as OpenApiDocument,
}));

/** Reads before writes, deletions last, and the organisation's own change at the very end. */
function order(op: OperationUnderTest): number {
  if (op.template.includes('/organisations/')) {
    return 3;
  }
  return op.method === 'get' ? 0 : op.method === 'delete' ? 2 : 1;
}

const OPERATIONS: OperationUnderTest[] = DOCUMENTS.flatMap(({ file, document }) =>
  Object.entries(document.paths).flatMap(([template, methods]) =>
    Object.entries(methods).map(([method, operation]) => ({
      file,
      method,
      template,
      operation,
      document,
    })),
  ),
).sort((a, b) => order(a) - order(b));

const SECURITY_HEADERS = [
  'content-security-policy',
  'strict-transport-security',
  'x-content-type-options',
  'x-frame-options',
];

/** What a database error, a stack trace or a server path looks like in a body. */
const LEAKS = [
  /QueryFailedError/,
  /syntax error at or near/i,
  /violates .* constraint/i,
  /invalid input syntax/i,
  /relation "[^"]*"/,
  /\n\s+at /,
  /node_modules/,
  /\/(src|dist)\/[\w/-]+\.(ts|js)/,
  /TypeError|ReferenceError|RangeError|Cannot read propert/,
];

interface Tally {
  requests: number;
  byStatus: Record<string, number>;
  accepted: Record<string, number>;
}

const tally: Tally = { requests: 0, byStatus: {}, accepted: {} };

async function send(baseUrl: string, token: string, request: FuzzRequest) {
  const response = await fetch(`${baseUrl}${request.target}`, {
    method: request.method,
    headers: { ...request.headers, authorization: `Bearer ${token}` },
    body: request.body,
  });
  return { response, text: await response.text() };
}

/** Why the answer breaks the property, or undefined when it holds. */
function violation(
  op: OperationUnderTest,
  request: FuzzRequest,
  response: Response,
  text: string,
): string | undefined {
  if (response.status >= 500) {
    return `answered ${response.status}: ${text.slice(0, 500)}`;
  }
  const missing = SECURITY_HEADERS.filter((h) => !response.headers.has(h));
  if (missing.length > 0) {
    return `answered ${response.status} without ${missing.join(', ')}`;
  }
  if (response.status >= 400) {
    const type = response.headers.get('content-type') ?? '';
    if (!type.startsWith('application/problem+json')) {
      return `answered ${response.status} as ${type || 'no content type'}: ${text.slice(0, 300)}`;
    }
    const problem = JSON.parse(text) as { correlationId?: unknown; instance?: unknown };
    if (
      typeof problem.correlationId !== 'string' ||
      problem.correlationId !== response.headers.get('x-correlation-id')
    ) {
      return `answered ${response.status} without the correlationId of its X-Correlation-Id header`;
    }
    // The instance echoes the request's path, which may itself hold SQL-like text.
    const rest = JSON.stringify({ ...problem, instance: undefined });
    const leak = LEAKS.find((pattern) => pattern.test(rest));
    if (leak) {
      return `answered ${response.status} with ${String(leak)} in its body: ${text.slice(0, 500)}`;
    }
  }
  const url = new URL(request.target, 'http://fuzz');
  if (!ownPath(op.template).test(url.pathname)) {
    // `..` segments and trailing slashes make another operation's request: nothing to compare.
    return undefined;
  }
  try {
    if (response.ok) {
      committedContract().validateRequest({
        method: request.method,
        path: url.pathname,
        query: url.searchParams,
        contentType: request.headers['content-type'] ?? null,
        body: request.json,
      });
    }
    if (op.operation.responses[String(response.status)]) {
      committedContract().validate({
        method: request.method,
        path: url.pathname,
        status: response.status,
        contentType: response.headers.get('content-type'),
        text,
        body:
          text && (response.headers.get('content-type') ?? '').includes('json')
            ? JSON.parse(text)
            : text,
      });
    }
  } catch (error) {
    if (error instanceof ContractViolation) {
      return error.message;
    }
    throw error;
  }
  return undefined;
}

function ownPath(template: string): RegExp {
  return new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`);
}

/** Every route the application serves under /customers/, as `METHOD /path/{param}`. */
function servedRoutes(t: TestApp): string[] {
  const routes: string[] = [];
  const scanner = new MetadataScanner();
  for (const module of t.app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as Type;
      const prototype = controller.prototype as Record<string, unknown>;
      const bases = [Reflect.getMetadata(PATH_METADATA, controller) as string | string[]].flat();
      for (const name of scanner.getAllMethodNames(prototype)) {
        const handler = prototype[name] as object;
        const paths = Reflect.getMetadata(PATH_METADATA, handler) as string | string[] | undefined;
        if (paths === undefined) {
          continue;
        }
        const method = RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as number];
        for (const base of bases) {
          for (const path of [paths].flat()) {
            const full = `/${[base, path]
              .map((p) => p.replace(/^\/+|\/+$/g, ''))
              .filter(Boolean)
              .join('/')}`;
            routes.push(`${method} ${full.replace(/:(\w+)/g, '{$1}')}`);
          }
        }
      }
    }
  }
  return routes.filter((r) => r.includes(' /customers/')).sort();
}

describe('OpenAPI-driven fuzzing', () => {
  let t: TestApp;
  let fixtures: FuzzFixtures;
  const started = Date.now();

  beforeAll(async () => {
    // Thousands of requests in a minute from one client: the rate limit is not under test here.
    t = await createTestApp({ RATE_LIMIT_PER_MINUTE: '1000000' });
    fixtures = await createFuzzFixtures(t);
  });
  afterAll(async () => {
    // Bodies refused before they were read leave keep-alive sockets behind; close them first.
    (t?.app.getHttpServer() as import('node:http').Server | undefined)?.closeAllConnections();
    await t?.close();
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    process.stdout.write(
      `\nfuzz: ${OPERATIONS.length} operations, ${RUNS} runs each, seed ${SEED}: ` +
        `${tally.requests} requests in ${seconds} s; by status ${JSON.stringify(tally.byStatus)}; ` +
        `accepted (2xx) by operation ${JSON.stringify(tally.accepted)}\n`,
    );
  });

  it('should fuzz every operation the application serves (the documents list them all)', () => {
    const documented = OPERATIONS.map((op) => `${op.method.toUpperCase()} ${op.template}`).sort();
    expect(documented).toEqual(servedRoutes(t));
  });

  it.each(OPERATIONS.map((op) => [`${op.method.toUpperCase()} ${op.template}`, op] as const))(
    'should never answer %s with a 5xx or a malformed error',
    async (_name, op) => {
      const arbitrary = requestArbitrary(op, (name) => fixtures.pathValues(op.template, name));
      await fc.assert(
        fc.asyncProperty(arbitrary, async (request) => {
          const { response, text } = await send(t.baseUrl, fixtures.token, request);
          tally.requests++;
          tally.byStatus[response.status] = (tally.byStatus[response.status] ?? 0) + 1;
          if (response.ok) {
            const key = `${request.method} ${op.template}`;
            tally.accepted[key] = (tally.accepted[key] ?? 0) + 1;
          }
          const broken = violation(op, request, response, text);
          if (broken) {
            throw new Error(`${request.method} ${request.target.slice(0, 300)} ${broken}`);
          }
        }),
        { numRuns: RUNS, seed: SEED, endOnFailure: true },
      );
    },
  );
});
