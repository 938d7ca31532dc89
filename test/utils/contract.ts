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
interface Operation {
  responses: Record<string, ResponseObject>;
  deprecated?: boolean;
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

export class ContractViolation extends Error {}

export class ContractValidator {
  private readonly routes: Route[];
  private readonly ajv = new Ajv({ strict: false, allErrors: true });
  private readonly compiled = new Map<string, ValidateFunction>();

  constructor(documents: Record<string, OpenApiDocument>) {
    addFormats(this.ajv);
    // OpenAPI 3.0 formats that only describe the wire size of numbers and strings.
    for (const format of ['int32', 'int64', 'float', 'double', 'byte', 'binary', 'password']) {
      this.ajv.addFormat(format, true);
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

  /** Throws a ContractViolation naming the operation, the status and what does not match. */
  validate(response: ContractResponse): void {
    const method = response.method.toLowerCase();
    const route = this.routes.find(
      (r) => r.pattern.test(response.path) && r.document.paths[r.template][method] !== undefined,
    );
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
    if (!validateBody(response.body)) {
      throw new ContractViolation(
        `${where} answered ${response.status} with a body that does not match its schema: ` +
          `${this.ajv.errorsText(validateBody.errors, { dataVar: 'body' })}. Body: ${truncate(response.text)}`,
      );
    }
  }
}

function templatePattern(template: string): RegExp {
  const source = template
    .split(/(\{[^}]+\})/)
    .map((part) => (/^\{[^}]+\}$/.test(part) ? '[^/]+' : part.replace(/[.*+?^$()|[\]\\]/g, '\\$&')))
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
