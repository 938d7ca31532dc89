import fc from 'fast-check';
import { Operation, OpenApiDocument } from '../utils/contract';
import {
  NASTY_STRINGS,
  nastyValue,
  percentEncode,
  RAW_URL_SEGMENTS,
  Schema,
  SchemaArbitraries,
} from './openapi-arbitraries';

/** One generated request, as sent on the wire. */
export interface FuzzRequest {
  method: string;
  /** Path and query, percent-encoded (or deliberately not). */
  target: string;
  headers: Record<string, string>;
  body?: string | Uint8Array;
  /** The JSON value of the body, when it is JSON text. */
  json?: unknown;
}

export interface OperationUnderTest {
  file: string;
  method: string;
  template: string;
  operation: Operation;
  document: OpenApiDocument;
}

/** Body texts that are not what JSON.stringify of any value gives. */
const RAW_BODIES: Array<string | Uint8Array> = [
  '',
  '{',
  '[1,',
  'null',
  '"text"',
  '1',
  '[]',
  '{"a":1}{"b":2}',
  '{"a":1,"a":2}',
  '{"__proto__":{"polluted":true}}',
  '{"constructor":{"prototype":{"polluted":true}}}',
  '\ufeff{}',
  '['.repeat(2_000) + ']'.repeat(2_000),
  '{"a":'.repeat(2_000) + '1' + '}'.repeat(2_000),
  '['.repeat(100_000),
  'x'.repeat(200 * 1024),
  Uint8Array.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xc3, 0x28, 0x22, 0x7d]),
  Uint8Array.from([0xff, 0xfe, 0x7b, 0x00, 0x7d, 0x00]),
];

const OTHER_CONTENT_TYPES = [
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/xml',
  'application/json; charset=latin1',
  'application/json; charset=utf-8',
  'APPLICATION/JSON',
  'application/json, text/plain',
  'application/problem+json',
  '',
];

/** Printable ASCII and Latin-1: what an HTTP client can put in a header value. */
const headerText = fc.string({
  unit: fc.integer({ min: 0x20, max: 0xff }).map((c) => String.fromCharCode(c === 0x7f ? 0x20 : c)),
  maxLength: 300,
});

/** Generates requests for one operation: parameters, headers, content types and bodies. */
export function requestArbitrary(
  op: OperationUnderTest,
  pathValues: (name: string) => string[],
): fc.Arbitrary<FuzzRequest> {
  const schemas = new SchemaArbitraries(op.document);
  const parameters = op.operation.parameters ?? [];

  const pathParts = op.template.split(/(\{[^}]+\})/).map((part) => {
    const match = /^\{([^}]+)\}$/.exec(part);
    if (!match) {
      return fc.constant(part);
    }
    return fc.oneof(
      { weight: 6, arbitrary: fc.constantFrom(...pathValues(match[1])) },
      { weight: 2, arbitrary: fc.constantFrom(...NASTY_STRINGS).map(percentEncode) },
      { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 20 }).map(percentEncode) },
      { weight: 2, arbitrary: fc.constantFrom(...RAW_URL_SEGMENTS) },
    );
  });
  const path = fc.tuple(...pathParts).map((parts) => parts.join(''));

  const queryParts = parameters
    .filter((p) => p.in === 'query')
    .map((p) =>
      fc.option(
        fc
          .oneof(
            {
              weight: 4,
              arbitrary: schemas
                .valid((p.schema ?? {}) as Schema)
                .map((v) => percentEncode(Array.isArray(v) ? v.join(',') : String(v))),
            },
            // Long enough to pass any field's limit, short enough to stay under the URL size limit.
            {
              weight: 2,
              arbitrary: nastyValue().map((v) => percentEncode(queryText(v).slice(0, 300))),
            },
            { weight: 1, arbitrary: fc.constantFrom(...RAW_URL_SEGMENTS) },
          )
          .map((value) => `${encodeURIComponent(p.name)}=${value}`),
        { freq: 2 },
      ),
    );
  const strayQuery = fc.option(
    fc.constantFrom(
      '__proto__[polluted]=1',
      'constructor[prototype][polluted]=1',
      'unknown=1',
      '&&&',
      '=',
      'a[b][c][d][e][f]=1',
      `${parameters.find((p) => p.in === 'query')?.name ?? 'x'}=1&${parameters.find((p) => p.in === 'query')?.name ?? 'x'}=2`,
    ),
    { freq: 5 },
  );
  const query = fc
    .tuple(fc.tuple(...queryParts), strayQuery)
    .map(([parts, stray]) => [...parts, stray].filter((p): p is string => p !== null).join('&'));

  const headerParts = parameters
    .filter((p) => p.in === 'header')
    .map((p) =>
      fc.option(
        fc
          .oneof(
            fc.constantFrom('*', '"1"', 'W/"1"', '"x", "y"', '""', 'abc', 'x'.repeat(300)),
            headerText,
          )
          .map((value) => [p.name.toLowerCase(), value] as const),
        { freq: 2 },
      ),
    );
  const correlation = fc.option(
    headerText.map((v) => ['x-correlation-id', v] as const),
    {
      freq: 5,
    },
  );
  const headers = fc
    .tuple(fc.tuple(...headerParts), correlation)
    .map(([parts, extra]) =>
      Object.fromEntries(
        [...parts, extra].filter((h): h is readonly [string, string] => h !== null),
      ),
    );

  const declaredTypes = Object.keys(op.operation.requestBody?.content ?? {});
  const body: fc.Arbitrary<Pick<FuzzRequest, 'body' | 'json'> & { type?: string }> = op.operation
    .requestBody
    ? fc
        .tuple(
          fc.oneof(
            { weight: 8, arbitrary: fc.constantFrom(...declaredTypes) },
            { weight: 1, arbitrary: fc.constantFrom(...OTHER_CONTENT_TYPES) },
          ),
          fc.oneof(
            {
              weight: 8,
              arbitrary: schemas
                .mutated(op.operation.requestBody.content[declaredTypes[0]].schema as Schema)
                .map((json) => ({ body: JSON.stringify(json), json })),
            },
            {
              weight: 2,
              arbitrary: schemas
                .valid(op.operation.requestBody.content[declaredTypes[0]].schema as Schema)
                .map((json) => ({ body: JSON.stringify(json), json })),
            },
            {
              weight: 1,
              arbitrary: nastyValue().map((json) => ({ body: JSON.stringify(json), json })),
            },
            { weight: 1, arbitrary: fc.constantFrom(...RAW_BODIES).map((raw) => ({ body: raw })) },
          ),
        )
        .map(([type, sent]) => ({ ...sent, type }))
    : fc.constant({});

  return fc.tuple(path, query, headers, body).map(([p, q, h, b]) => {
    const all: Record<string, string> = { ...h };
    if (b.type) {
      all['content-type'] = b.type;
    }
    return {
      method: op.method.toUpperCase(),
      target: q ? `${p}?${q}` : p,
      headers: all,
      body: b.body,
      json: typeof b.body === 'string' ? parsedOrUndefined(b.body) : undefined,
    };
  });
}

function queryText(value: unknown): string {
  return typeof value === 'string' ? value : (JSON.stringify(value) ?? '');
}

function parsedOrUndefined(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
