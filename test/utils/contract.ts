import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv, { ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

/**
 * Validates real responses against the committed OpenAPI documents (`openapi/customers-*.json`),
 * so the contract partners read and what the service answers cannot drift apart. A response of a
 * documented operation must have a documented status, a documented content type, and a body that
 * matches the documented schema.
 */
const OPENAPI_DIR = join(__dirname, '..', '..', 'openapi');
const DOCUMENT_FILES = ['customers-v2.json', 'customers-v1.json'];

interface MediaType {
  schema?: Record<string, unknown>;
}
interface ResponseObject {
  content?: Record<string, MediaType>;
}
export interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  schema?: Record<string, unknown>;
}
export interface Operation {
  responses: Record<string, ResponseObject>;
  deprecated?: boolean;
  parameters?: Parameter[];
  requestBody?: { required?: boolean; content: Record<string, MediaType> };
  'x-permissions'?: string[];
}
export interface OpenApiDocument {
  paths: Record<string, Record<string, Operation>>;
  components?: Record<string, unknown>;
}

interface Route {
  file: string;
  document: OpenApiDocument;
  template: string;
  pattern: RegExp;
  params: number;
}

export interface ContractResponse {
  method: string;
  path: string;
  status: number;
  contentType: string | null;
  text: string;
  body: unknown;
}

/** A request the service accepted, to be checked against what the document allows. */
export interface ContractRequest {
  method: string;
  /** The path as sent, still percent-encoded. */
  path: string;
  query: URLSearchParams;
  contentType: string | null;
  /** The parsed JSON body; undefined when none was sent. */
  body: unknown;
}

export class ContractViolation extends Error {}

export class ContractValidator {
  private readonly routes: Route[];
  private readonly ajv = new Ajv({ strict: false, allErrors: true });
  private readonly compiled = new Map<string, ValidateFunction>();
  /** Parameters arrive as text: their schemas are checked after the coercion the service does. */
  private readonly coercing = new Ajv({ strict: false, allErrors: true, coerceTypes: 'array' });

  constructor(documents: Record<string, OpenApiDocument>) {
    for (const ajv of [this.ajv, this.coercing]) {
      addFormats(ajv);
      // OpenAPI 3.0 formats that only describe the wire size of numbers and strings.
      for (const format of ['int32', 'int64', 'float', 'double', 'byte', 'binary', 'password']) {
        ajv.addFormat(format, true);
      }
    }
    this.routes = Object.entries(documents)
      .flatMap(([file, document]) =>
        Object.keys(document.paths).map((template) => ({
          file,
          document,
          template,
          pattern: templatePattern(template),
          params: (template.match(/\{[^}]+\}/g) ?? []).length,
        })),
      )
      // Literal segments win over templates: /profiles/temporary before /profiles/{customerNumber}.
      .sort((a, b) => a.params - b.params || b.template.length - a.template.length);
  }

  /** The committed documents in openapi/. */
  static fromCommittedDocuments(): ContractValidator {
    return new ContractValidator(
      Object.fromEntries(
        DOCUMENT_FILES.map((file) => [
          file,
          JSON.parse(readFileSync(join(OPENAPI_DIR, file), 'utf8')) as OpenApiDocument,
        ]),
      ),
    );
  }

  /** Every operation of the documents: file, method, path template and the operation. */
  operations(): Array<{ file: string; method: string; template: string; operation: Operation }> {
    return this.routes.flatMap((route) =>
      Object.entries(route.document.paths[route.template]).map(([method, operation]) => ({
        file: route.file,
        method,
        template: route.template,
        operation,
      })),
    );
  }

  private find(method: string, path: string): Route | undefined {
    return this.routes.find(
      (r) => r.pattern.test(path) && r.document.paths[r.template][method] !== undefined,
    );
  }

  /**
   * Throws a ContractViolation when a request the service accepted is one the document forbids:
   * a client validating against the document (or a validating proxy) would refuse to send it.
   */
  validateRequest(request: ContractRequest): void {
    const method = request.method.toLowerCase();
    const route = this.find(method, request.path);
    if (!route) {
      return;
    }
    const operation = route.document.paths[route.template][method];
    const where = `${request.method.toUpperCase()} ${route.template} (openapi/${route.file})`;
    const problems: string[] = [];
    const pathValues = route.pattern.exec(request.path)?.slice(1) ?? [];
    const pathNames = (route.template.match(/\{([^}]+)\}/g) ?? []).map((p) => p.slice(1, -1));
    const parameters = operation.parameters ?? [];
    for (const parameter of parameters.filter((p) => p.in === 'path' || p.in === 'query')) {
      let value: unknown;
      if (parameter.in === 'path') {
        value = decodeURIComponent(pathValues[pathNames.indexOf(parameter.name)] ?? '');
      } else {
        const values = request.query.getAll(parameter.name);
        if (values.length === 0) {
          if (parameter.required) {
            problems.push(`query parameter ${parameter.name} is required`);
          }
          continue;
        }
        const isArray = (parameter.schema as { type?: string } | undefined)?.type === 'array';
        value = isArray && values.length === 1 ? values[0].split(',') : values.join(',');
      }
      const holder = { value };
      const check = this.compile(this.coercing, `${where} ${parameter.in} ${parameter.name}`, {
        type: 'object',
        properties: { value: parameter.schema ?? {} },
        components: route.document.components,
      });
      if (!check(holder)) {
        problems.push(
          `${parameter.in} parameter ${parameter.name}=${JSON.stringify(value)}: ` +
            this.coercing.errorsText(check.errors, { dataVar: parameter.name }),
        );
      }
    }
    if (request.body !== undefined) {
      const contentType = (request.contentType ?? '').split(';')[0].trim().toLowerCase();
      const media = operation.requestBody?.content[contentType];
      if (!media) {
        problems.push(
          `a ${contentType || 'typeless'} body is not documented ` +
            `(documented: ${Object.keys(operation.requestBody?.content ?? {}).join(', ') || 'none'})`,
        );
      } else if (contentType === 'application/x-ndjson') {
        // A stream of documents, accepted whole and checked line by line later (the import job's
        // report): acceptance says nothing about each line, so only the type is checked here.
      } else if (media.schema) {
        const check = this.compile(this.ajv, `${where} request ${contentType}`, {
          ...media.schema,
          components: route.document.components,
        });
        if (!check(request.body)) {
          problems.push(`body: ${this.ajv.errorsText(check.errors, { dataVar: 'body' })}`);
        }
      }
    } else if (operation.requestBody?.required) {
      problems.push('the document requires a body');
    }
    if (problems.length > 0) {
      throw new ContractViolation(
        `${where} accepted a request that the document forbids: ${problems.join('; ')}. ` +
          `Body: ${truncate(JSON.stringify(request.body) ?? '')}`,
      );
    }
  }

  private compile(ajv: Ajv, key: string, schema: Record<string, unknown>): ValidateFunction {
    let compiled = this.compiled.get(key);
    if (!compiled) {
      compiled = ajv.compile(schema);
      this.compiled.set(key, compiled);
    }
    return compiled;
  }

  /** Throws a ContractViolation naming the operation, the status and what does not match. */
  validate(response: ContractResponse): void {
    const method = response.method.toLowerCase();
    const route = this.find(method, response.path);
    if (!route) {
      return;
    }
    const operation = route.document.paths[route.template][method];
    const where = `${response.method.toUpperCase()} ${route.template} (openapi/${route.file})`;
    const documented =
      operation.responses[String(response.status)] ??
      operation.responses[`${String(response.status)[0]}XX`] ??
      operation.responses.default;
    if (!documented) {
      throw new ContractViolation(
        `${where} answered ${response.status}, which the document does not list ` +
          `(documented: ${Object.keys(operation.responses).join(', ')}). ` +
          `Document it (e.g. @ApiProblemResponses(${response.status})) and run npm run openapi:generate. ` +
          `Body: ${truncate(response.text)}`,
      );
    }
    if (response.text === '') {
      return;
    }
    const contentType = (response.contentType ?? '').split(';')[0].trim().toLowerCase();
    const content = documented.content ?? {};
    const media = content[contentType];
    if (!media) {
      throw new ContractViolation(
        `${where} answered ${response.status} with a ${contentType || 'typeless'} body, but the ` +
          `document lists ${Object.keys(content).join(', ') || 'no body'} for that status. ` +
          `Body: ${truncate(response.text)}`,
      );
    }
    if (!media.schema || !contentType.includes('json')) {
      return;
    }
    const key = `${route.file} ${method} ${route.template} ${response.status} ${contentType}`;
    let validateBody = this.compiled.get(key);
    if (!validateBody) {
      // The schema's $refs point into the document's components; carry them along.
      validateBody = this.ajv.compile({ ...media.schema, components: route.document.components });
      this.compiled.set(key, validateBody);
    }
    // NDJSON: the schema is that of each line.
    const bodies =
      contentType === 'application/x-ndjson'
        ? response.text
            .split('\n')
            .filter((line) => line !== '')
            .map((line) => JSON.parse(line) as unknown)
        : [response.body];
    for (const body of bodies) {
      if (!validateBody(body)) {
        throw new ContractViolation(
          `${where} answered ${response.status} with a body that does not match its schema: ` +
            `${this.ajv.errorsText(validateBody.errors, { dataVar: 'body' })}. Body: ${truncate(response.text)}`,
        );
      }
    }
  }
}

function templatePattern(template: string): RegExp {
  const source = template
    .split(/(\{[^}]+\})/)
    .map((part) =>
      /^\{[^}]+\}$/.test(part) ? '([^/]+)' : part.replace(/[.*+?^$()|[\]\\]/g, '\\$&'),
    )
    .join('');
  return new RegExp(`^${source}/?$`);
}

function truncate(text: string): string {
  return text.length > 500 ? `${text.slice(0, 500)}…` : text;
}

let committed: ContractValidator | undefined;

/** The validator over the committed documents, loaded once per test file. */
export function committedContract(): ContractValidator {
  committed ??= ContractValidator.fromCommittedDocuments();
  return committed;
}
