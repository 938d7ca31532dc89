import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** One operation of a committed document, named as a reader of that document names it. */
export interface DocumentOperation {
  /** The file under openapi/, e.g. `customers-v2.json`. */
  document: string;
  /** The HTTP method (OpenAPI) or the action (AsyncAPI), upper case. */
  method: string;
  /** The path template (OpenAPI) or the channel address (AsyncAPI). */
  path: string;
  /** The names of the parameters in the path or address, in order. */
  parameters: string[];
  /** The permissions the operation documents (`x-permissions`), if any. */
  permissions: string[];
}

const OPENAPI_DIR = join(__dirname, '..', '..', 'openapi');
const HTTP_METHODS = ['get', 'put', 'post', 'patch', 'delete', 'head', 'options', 'trace'];

const parametersOf = (template: string) =>
  (template.match(/\{[^}]+\}/g) ?? []).map((p) => p.slice(1, -1));

function openApiOperations(document: string, parsed: any): DocumentOperation[] {
  return Object.entries(parsed.paths as Record<string, Record<string, any>>).flatMap(
    ([path, item]) =>
      Object.entries(item)
        .filter(([method]) => HTTP_METHODS.includes(method))
        .map(([method, operation]) => ({
          document,
          method: method.toUpperCase(),
          path,
          parameters: parametersOf(path),
          permissions: (operation['x-permissions'] as string[] | undefined) ?? [],
        })),
  );
}

function asyncApiOperations(document: string, parsed: any): DocumentOperation[] {
  return Object.entries(parsed.operations as Record<string, any>).map(([name, operation]) => {
    const channelRef = String(operation.channel.$ref);
    const channel = parsed.channels[channelRef.replace('#/channels/', '')];
    // A channel without an address (the webhook deliveries: each endpoint's own URL) is named.
    const address: string = channel.address ?? `(${name})`;
    return {
      document,
      method: String(operation.action).toUpperCase(),
      path: address,
      parameters: parametersOf(address),
      permissions: [],
    };
  });
}

/**
 * Every operation of the documents committed in openapi/, whatever their kind. A file this reader
 * does not understand fails loudly, so a new document cannot slip past the checks built on it.
 */
export function committedOperations(directory = OPENAPI_DIR): DocumentOperation[] {
  return readdirSync(directory)
    .sort()
    .flatMap((file) => {
      if (!file.endsWith('.json')) {
        throw new Error(`openapi/${file}: only JSON documents are read; add a reader for it`);
      }
      return operationsOf(file, JSON.parse(readFileSync(join(directory, file), 'utf8')));
    });
}

/** The operations of one parsed document, OpenAPI or AsyncAPI. */
export function operationsOf(document: string, parsed: any): DocumentOperation[] {
  if (typeof parsed?.openapi === 'string') {
    return openApiOperations(document, parsed);
  }
  if (typeof parsed?.asyncapi === 'string') {
    return asyncApiOperations(document, parsed);
  }
  throw new Error(`openapi/${document} is neither an OpenAPI nor an AsyncAPI document`);
}

/** `GET /customers/v2/profiles/{customerNumber}`: how operations are named in lists and failures. */
export const operationKey = (operation: Pick<DocumentOperation, 'method' | 'path'>) =>
  `${operation.method} ${operation.path}`;
