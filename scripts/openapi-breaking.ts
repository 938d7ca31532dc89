import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/**
 * Breaking-change check of the committed OpenAPI documents: each `openapi/*.json` is compared with
 * its version at the base commit (default `HEAD~1`, the previous commit of main). A breaking change
 * to an operation that was not deprecated fails, unless the HEAD commit message says BREAKING.
 *
 * Usage: node dist/scripts/openapi-breaking.js [--base <git ref>]
 */
type Schema = Record<string, any>;
interface Parameter {
  name: string;
  in: string;
  required?: boolean;
  schema?: Schema;
}
interface Operation {
  deprecated?: boolean;
  parameters?: Parameter[];
  requestBody?: { required?: boolean; content?: Record<string, { schema?: Schema }> };
  responses?: Record<string, { content?: Record<string, { schema?: Schema }> }>;
}
export interface OpenApiDocument {
  paths?: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, Schema> };
}

export interface BreakingChange {
  operation: string;
  change: string;
}

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'];
const MAX_DEPTH = 12;

/** Changes that break a client built against `before` of any operation not deprecated there. */
export function findBreakingChanges(
  before: OpenApiDocument,
  after: OpenApiDocument,
): BreakingChange[] {
  const changes: BreakingChange[] = [];
  for (const [path, item] of Object.entries(before.paths ?? {})) {
    for (const method of METHODS) {
      const old = item[method];
      if (!old || old.deprecated) {
        continue;
      }
      const operation = `${method.toUpperCase()} ${path}`;
      const report = (change: string) => changes.push({ operation, change });
      const current = after.paths?.[path]?.[method];
      if (!current) {
        report(after.paths?.[path] ? 'method removed' : 'path removed');
        continue;
      }
      const compare = new SchemaComparison(before, after, report);
      compareParameters(old.parameters ?? [], current.parameters ?? [], compare, report);
      compareRequestBodies(old, current, compare, report);
      compareResponses(old, current, compare, report);
    }
  }
  return changes;
}

function compareParameters(
  before: Parameter[],
  after: Parameter[],
  compare: SchemaComparison,
  report: (change: string) => void,
): void {
  const key = (p: Parameter) => `${p.in}:${p.name}`;
  const old = new Map(before.map((p) => [key(p), p]));
  const current = new Map(after.map((p) => [key(p), p]));
  for (const [id, parameter] of current) {
    const previous = old.get(id);
    if (parameter.required && !previous?.required) {
      report(
        previous
          ? `${parameter.in} parameter "${parameter.name}" became required`
          : `new required ${parameter.in} parameter "${parameter.name}"`,
      );
    }
  }
  for (const [id, parameter] of old) {
    const next = current.get(id);
    if (!next) {
      report(`${parameter.in} parameter "${parameter.name}" removed`);
      continue;
    }
    compare.input(parameter.schema, next.schema, `${parameter.in} parameter "${parameter.name}"`);
  }
}

function compareRequestBodies(
  before: Operation,
  after: Operation,
  compare: SchemaComparison,
  report: (change: string) => void,
): void {
  if (!after.requestBody) {
    if (before.requestBody) {
      report('request body removed');
    }
    return;
  }
  if (after.requestBody.required && !before.requestBody?.required) {
    report('request body became required');
  }
  for (const [type, media] of Object.entries(before.requestBody?.content ?? {})) {
    const next = after.requestBody.content?.[type];
    if (!next) {
      report(`request content type ${type} no longer accepted`);
      continue;
    }
    compare.input(media.schema, next.schema, 'request body');
  }
}

function compareResponses(
  before: Operation,
  after: Operation,
  compare: SchemaComparison,
  report: (change: string) => void,
): void {
  for (const [status, response] of Object.entries(before.responses ?? {})) {
    const next = after.responses?.[status];
    if (!next) {
      if (status.startsWith('2')) {
        report(`response ${status} removed`);
      }
      continue;
    }
    for (const [type, media] of Object.entries(response.content ?? {})) {
      const nextMedia = next.content?.[type];
      if (!nextMedia) {
        report(`response ${status} no longer has content type ${type}`);
        continue;
      }
      compare.output(media.schema, nextMedia.schema, `response ${status}`);
    }
  }
}

/** Walks two schemas side by side, resolving each document's own $refs. */
class SchemaComparison {
  constructor(
    private readonly before: OpenApiDocument,
    private readonly after: OpenApiDocument,
    private readonly report: (change: string) => void,
  ) {}

  /** Something clients send: it must accept at least what it accepted. */
  input(before: Schema | undefined, after: Schema | undefined, where: string, depth = 0): void {
    const [old, current] = [resolveRef(this.before, before), resolveRef(this.after, after)];
    if (!old || !current || depth > MAX_DEPTH) {
      return;
    }
    this.compareType(old, current, where);
    const removed = (old.enum ?? []).filter(
      (v: unknown) => !(current.enum ?? old.enum).includes(v),
    );
    if (current.enum && (!old.enum || removed.length > 0)) {
      this.report(
        `${where}: enum narrowed${removed.length ? ` (removed ${removed.map(String).join(', ')})` : ''}`,
      );
    }
    for (const [keyword, narrower] of [
      ['maxLength', (a: number, b: number) => b < a],
      ['maximum', (a: number, b: number) => b < a],
      ['maxItems', (a: number, b: number) => b < a],
      ['minLength', (a: number, b: number) => b > a],
      ['minimum', (a: number, b: number) => b > a],
      ['minItems', (a: number, b: number) => b > a],
    ] as const) {
      const [a, b] = [old[keyword], current[keyword]];
      if (typeof b === 'number' && (typeof a !== 'number' || narrower(a, b))) {
        this.report(`${where}: ${keyword} narrowed from ${a ?? 'none'} to ${b}`);
      }
    }
    const oldProperties = properties(this.before, old);
    const newProperties = properties(this.after, current);
    const oldRequired = new Set(required(this.before, old));
    for (const name of required(this.after, current)) {
      if (!oldRequired.has(name)) {
        this.report(`${where}: new required field "${name}"`);
      }
    }
    for (const [name, schema] of Object.entries(oldProperties)) {
      if (!(name in newProperties)) {
        this.report(`${where}: field "${name}" no longer accepted`);
        continue;
      }
      this.input(schema, newProperties[name], `${where}.${name}`, depth + 1);
    }
    if (old.items && current.items) {
      this.input(old.items, current.items, `${where}[]`, depth + 1);
    }
  }

  /** Something clients receive: every field they read must still be there, with its type. */
  output(before: Schema | undefined, after: Schema | undefined, where: string, depth = 0): void {
    const [old, current] = [resolveRef(this.before, before), resolveRef(this.after, after)];
    if (!old || !current || depth > MAX_DEPTH) {
      return;
    }
    this.compareType(old, current, where);
    const oldProperties = properties(this.before, old);
    const newProperties = properties(this.after, current);
    const newRequired = new Set(required(this.after, current));
    for (const name of required(this.before, old)) {
      if (name in newProperties && !newRequired.has(name)) {
        this.report(`${where}: field "${name}" is no longer always present`);
      }
    }
    for (const [name, schema] of Object.entries(oldProperties)) {
      if (!(name in newProperties)) {
        this.report(`${where}: field "${name}" removed`);
        continue;
      }
      this.output(schema, newProperties[name], `${where}.${name}`, depth + 1);
    }
    if (old.items && current.items) {
      this.output(old.items, current.items, `${where}[]`, depth + 1);
    }
  }

  private compareType(old: Schema, current: Schema, where: string): void {
    const types = (s: Schema) =>
      [...(Array.isArray(s.type) ? s.type : s.type ? [s.type] : [])].sort().join('|');
    if (types(old) && types(current) && types(old) !== types(current)) {
      this.report(`${where}: type changed from ${types(old)} to ${types(current)}`);
    }
    if (old.format && current.format && old.format !== current.format) {
      this.report(`${where}: format changed from ${old.format} to ${current.format}`);
    }
  }
}

function resolveRef(document: OpenApiDocument, schema: Schema | undefined): Schema | undefined {
  let current = schema;
  for (let hops = 0; current?.$ref && hops < 10; hops++) {
    const name = String(current.$ref).replace('#/components/schemas/', '');
    current = document.components?.schemas?.[name];
  }
  return current;
}

/** Properties, including those an allOf brings in. */
function properties(document: OpenApiDocument, schema: Schema): Record<string, Schema> {
  const own = (schema.properties ?? {}) as Record<string, Schema>;
  const inherited = ((schema.allOf ?? []) as Schema[]).map((part) => {
    const resolved = resolveRef(document, part);
    return resolved ? properties(document, resolved) : {};
  });
  return Object.assign({}, ...inherited, own);
}

function required(document: OpenApiDocument, schema: Schema): string[] {
  const inherited = ((schema.allOf ?? []) as Schema[]).flatMap((part) => {
    const resolved = resolveRef(document, part);
    return resolved ? required(document, resolved) : [];
  });
  return [...inherited, ...((schema.required ?? []) as string[])];
}

function git(args: string[]): string | undefined {
  try {
    return execFileSync('git', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  } catch {
    return undefined;
  }
}

function main(): void {
  const baseIndex = process.argv.indexOf('--base');
  const base = baseIndex > 0 ? process.argv[baseIndex + 1] : 'HEAD~1';
  const openapiDir = resolve(__dirname, '..', '..', 'openapi');
  if (git(['rev-parse', '--verify', '--quiet', `${base}^{commit}`]) === undefined) {
    console.log(
      `OpenAPI breaking-change check skipped: ${base} is not available (first commit or shallow clone)`,
    );
    return;
  }
  const message = git(['log', '-1', '--format=%B']) ?? '';
  const acknowledged = /\bBREAKING\b/.test(message);
  let failed = false;
  for (const file of readdirSync(openapiDir)
    .filter((f) => f.endsWith('.json'))
    .sort()) {
    const previous = git(['show', `${base}:openapi/${file}`]);
    if (previous === undefined) {
      console.log(`openapi/${file}: new at this commit, nothing to compare`);
      continue;
    }
    const changes = findBreakingChanges(
      JSON.parse(previous) as OpenApiDocument,
      JSON.parse(readFileSync(join(openapiDir, file), 'utf8')) as OpenApiDocument,
    );
    if (changes.length === 0) {
      console.log(`openapi/${file}: no breaking change since ${base}`);
      continue;
    }
    console.error(`openapi/${file}: ${changes.length} breaking change(s) since ${base}:`);
    for (const { operation, change } of changes) {
      console.error(`  ${operation}: ${change}`);
    }
    failed ||= !acknowledged;
  }
  if (failed) {
    console.error(
      '\nBreaking changes to operations that are not deprecated. Deprecate first, or say BREAKING ' +
        'in the commit message if partners have agreed to the change.',
    );
    process.exitCode = 1;
  } else if (acknowledged) {
    console.log('The HEAD commit message says BREAKING: breaking changes accepted.');
  }
}

if (require.main === module) {
  main();
}
