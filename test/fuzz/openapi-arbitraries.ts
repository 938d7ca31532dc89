import fc from 'fast-check';
import { OpenApiDocument } from '../utils/contract';

/** A JSON Schema object of an OpenAPI 3.0 document, as far as the generators read it. */
export interface Schema {
  $ref?: string;
  type?: string;
  format?: string;
  enum?: unknown[];
  example?: unknown;
  nullable?: boolean;
  minimum?: number;
  maximum?: number;
  maxLength?: number;
  items?: Schema;
  properties?: Record<string, Schema>;
  required?: string[];
  allOf?: Schema[];
  oneOf?: Schema[];
  anyOf?: Schema[];
}

const MEGABYTE = 1024 * 1024;

/** Nesting deeper than any body needs, on both sides of the server's depth limit. */
function nested(depth: number, leaf: unknown = 1): unknown {
  let value: unknown = leaf;
  for (let i = 0; i < depth; i++) {
    value = i % 2 ? { a: value } : [value];
  }
  return value;
}

/** One UTF-16 code unit of any value, lone surrogates included. */
const codeUnitString = fc
  .array(fc.integer({ min: 0, max: 0xffff }), { maxLength: 12 })
  .map((units) => String.fromCharCode(...units));

/** Strings that broke, or could break, a service that stores and searches text. */
export const NASTY_STRINGS = [
  '',
  ' ',
  'a\u0000b',
  '\u0000',
  '\ud800',
  'x\udfffy',
  '%',
  '_',
  '%_%',
  'a%',
  '*',
  '**',
  '\\',
  "'; DROP TABLE profiles; --",
  "' OR '1'='1",
  '${jndi:ldap://x}',
  '{{7*7}}',
  '<script>alert(1)</script>',
  '../../etc/passwd',
  '0',
  '-1',
  '1.5',
  '1e3',
  '99999999999999999999',
  '9223372036854775808',
  'NaN',
  'true',
  'null',
  '2026-02-30',
  '2026-13-01T25:61:00Z',
  '\u202eevil',
  '👩‍👩‍👧‍👦',
  'ÆØÅ æøå',
  '\r\n',
  '\t',
  'x'.repeat(101),
  'x'.repeat(10_000),
];

/** Values of every JSON type, for any member: wrong types, null, extremes, pollution, depth. */
export function nastyValue(): fc.Arbitrary<unknown> {
  return fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom(...NASTY_STRINGS) },
    { weight: 2, arbitrary: codeUnitString },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 30 }) },
    {
      weight: 4,
      arbitrary: fc.constantFrom<unknown>(
        null,
        true,
        false,
        0,
        -1,
        1.5,
        -0.0001,
        2 ** 31,
        2 ** 53,
        1e308,
        -1e308,
        [],
        {},
        [null],
        ['a\u0000'],
        { __proto__: { polluted: true } },
        JSON.parse('{"__proto__":{"polluted":true}}'),
        { constructor: { prototype: { polluted: true } } },
        nested(40),
        nested(2_000),
      ),
    },
    { weight: 1, arbitrary: fc.constant('x'.repeat(MEGABYTE)) },
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  );
}

/** Keys a body should never honour. */
const NASTY_KEYS = [
  '__proto__',
  'constructor',
  'prototype',
  'organisationId',
  'id',
  'a\u0000b',
  '',
];

export class SchemaArbitraries {
  constructor(private readonly document: OpenApiDocument) {}

  resolve(schema: Schema): Schema {
    let current = schema;
    while (current.$ref) {
      const name = current.$ref.replace('#/components/schemas/', '');
      current = (this.document.components as { schemas: Record<string, Schema> }).schemas[name];
    }
    if (current.allOf) {
      return current.allOf
        .map((part) => this.resolve(part))
        .reduce<Schema>(
          (merged, part) => ({
            ...merged,
            ...part,
            properties: { ...merged.properties, ...part.properties },
            required: [...(merged.required ?? []), ...(part.required ?? [])],
          }),
          {},
        );
    }
    return current;
  }

  /** A value the schema accepts (examples first: they are most likely to pass the server's rules). */
  valid(schema: Schema, depth = 0): fc.Arbitrary<unknown> {
    const s = this.resolve(schema);
    const choices = s.oneOf ?? s.anyOf;
    if (choices) {
      return fc.oneof(...choices.map((c) => this.valid(c, depth + 1)));
    }
    const base = this.validOfType(s, depth);
    const withExample =
      s.example !== undefined
        ? fc.oneof({ weight: 3, arbitrary: fc.constant(s.example) }, { weight: 1, arbitrary: base })
        : base;
    return s.nullable
      ? fc.oneof({ weight: 4, arbitrary: withExample }, fc.constant(null))
      : withExample;
  }

  /** A value of the schema's shape whose members are sometimes replaced by nasty values. */
  mutated(schema: Schema, depth = 0): fc.Arbitrary<unknown> {
    const s = this.resolve(schema);
    if (s.type === 'object' || s.properties) {
      return this.object(s, depth, true);
    }
    if (s.type === 'array' && s.items && depth < 3) {
      return fc.array(this.mutated(s.items, depth + 1), { maxLength: 3 });
    }
    return fc.oneof({ weight: 2, arbitrary: this.valid(s, depth) }, nastyValue());
  }

  private validOfType(s: Schema, depth: number): fc.Arbitrary<unknown> {
    if (s.enum) {
      return fc.constantFrom(...s.enum);
    }
    switch (s.type) {
      case 'string':
        return this.string(s);
      case 'integer':
        return fc.integer({ min: s.minimum ?? 1, max: s.maximum ?? 2 ** 31 - 1 });
      case 'number':
        return fc.integer({ min: s.minimum ?? 1, max: s.maximum ?? 2 ** 31 - 1 });
      case 'boolean':
        return fc.boolean();
      case 'array':
        return depth < 3 && s.items
          ? fc.array(this.valid(s.items, depth + 1), { maxLength: 3 })
          : fc.constant([]);
      case undefined:
      default:
        return s.properties ? this.object(s, depth, false) : fc.constant({});
    }
  }

  private string(s: Schema): fc.Arbitrary<unknown> {
    const day = fc.date({
      min: new Date('1900-01-01'),
      max: new Date('2100-01-01'),
      noInvalidDate: true,
    });
    switch (s.format) {
      case 'date':
        return day.map((d) => d.toISOString().slice(0, 10));
      case 'date-time':
        return day.map((d) => d.toISOString());
      case 'email':
        return fc.emailAddress();
      case undefined:
      default:
        return fc.string({ minLength: 1, maxLength: Math.min(s.maxLength ?? 30, 30) });
    }
  }

  private object(s: Schema, depth: number, mutate: boolean): fc.Arbitrary<unknown> {
    if (depth > 3) {
      return fc.constant({});
    }
    const properties = s.properties ?? {};
    const record: Record<string, fc.Arbitrary<unknown>> = {};
    for (const [name, property] of Object.entries(properties)) {
      record[name] = mutate
        ? fc.oneof(
            { weight: 5, arbitrary: this.valid(property, depth + 1) },
            { weight: 1, arbitrary: this.mutated(property, depth + 1) },
          )
        : this.valid(property, depth + 1);
    }
    const required = mutate ? [] : (s.required ?? []);
    const base = fc.record(record, { requiredKeys: required.filter((k) => k in record) });
    if (!mutate) {
      return base;
    }
    // Required members are usually present, so most bodies get past the first rule.
    const complete = fc.record(record, { requiredKeys: s.required?.filter((k) => k in record) });
    const extra = fc.dictionary(
      fc.oneof(fc.constantFrom(...NASTY_KEYS), fc.string({ maxLength: 8 })),
      nastyValue(),
      { maxKeys: 2 },
    );
    return fc
      .tuple(fc.oneof({ weight: 3, arbitrary: complete }, base), fc.option(extra, { freq: 4 }))
      .map(([body, more]) => (more ? { ...(body as object), ...withOwnKeys(more) } : body));
  }
}

/** Copies keys such as `__proto__` as own members, as JSON.parse would produce them. */
function withOwnKeys(source: Record<string, unknown>): Record<string, unknown> {
  const target: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(source)) {
    Object.defineProperty(target, key, {
      value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return target;
}

/** Encodes one path segment or query value, lone surrogates as the bytes a careless client sends. */
export function percentEncode(value: string): string {
  let out = '';
  for (const char of value) {
    const unit = char.charCodeAt(0);
    out +=
      char.length === 1 && unit >= 0xd800 && unit <= 0xdfff
        ? [0xe0 | (unit >> 12), 0x80 | ((unit >> 6) & 0x3f), 0x80 | (unit & 0x3f)]
            .map((b) => `%${b.toString(16).toUpperCase()}`)
            .join('')
        : encodeURIComponent(char);
  }
  return out;
}

/** Segments written into a URL as they are: broken escapes and encoded separators. */
export const RAW_URL_SEGMENTS = [
  '%C3%28',
  '%',
  '%zz',
  '%E0%A4%A',
  'a%00b',
  '%00',
  '%2F',
  '..',
  '%2e%2e',
  '%ED%A0%80',
  '%FF%FE',
  '%25',
  '+',
  '%20',
];
