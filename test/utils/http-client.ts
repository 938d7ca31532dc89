import { committedContract, ContractValidator } from './contract';

export interface ApiResponse<T = any> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

export interface RequestOptions {
  token?: string;
  body?: unknown;
  /** A raw body sent as is (for malformed JSON and wrong content types). */
  rawBody?: string;
  headers?: Record<string, string>;
  query?: Record<string, string | number | boolean | undefined>;
  /**
   * Validate the response against the committed OpenAPI documents (default true). Turn it off
   * only for deliberate protocol abuse whose answer is not part of the contract.
   */
  contract?: boolean;
}

/**
 * A small fetch wrapper: real HTTP over loopback, JSON in and out. Every response of an operation
 * in the committed OpenAPI documents is checked against them; a mismatch fails the test.
 */
export class HttpClient {
  constructor(
    readonly baseUrl: string,
    private readonly contract: ContractValidator = committedContract(),
  ) {}

  async request<T = any>(
    method: string,
    path: string,
    options: RequestOptions = {},
  ): Promise<ApiResponse<T>> {
    const url = new URL(path, this.baseUrl);
    for (const [key, value] of Object.entries(options.query ?? {})) {
      if (value !== undefined) {
        url.searchParams.set(key, String(value));
      }
    }
    const headers: Record<string, string> = { ...options.headers };
    if (options.token) {
      headers.authorization = `Bearer ${options.token}`;
    }
    let body: string | undefined = options.rawBody;
    if (options.body !== undefined) {
      body = JSON.stringify(options.body);
      headers['content-type'] ??= 'application/json';
    }
    const response = await fetch(url, { method, headers, body });
    const text = await response.text();
    let parsed: unknown = text;
    const type = response.headers.get('content-type') ?? '';
    // NDJSON stays text: each line is a document of its own.
    if (type.includes('json') && !type.startsWith('application/x-ndjson') && text) {
      parsed = JSON.parse(text);
    }
    if (options.contract !== false && response.ok) {
      this.contract.validateRequest({
        method,
        path: url.pathname,
        query: url.searchParams,
        contentType: headers['content-type'] ?? null,
        body: (headers['content-type'] ?? '').startsWith('application/x-ndjson')
          ? body
          : sentJson(body),
      });
    }
    if (options.contract !== false) {
      this.contract.validate({
        method,
        path: url.pathname,
        status: response.status,
        contentType: response.headers.get('content-type'),
        text,
        body: parsed,
      });
    }
    return { status: response.status, headers: response.headers, body: parsed as T, text };
  }

  get<T = any>(path: string, options?: RequestOptions) {
    return this.request<T>('GET', path, options);
  }
  post<T = any>(path: string, options?: RequestOptions) {
    return this.request<T>('POST', path, options);
  }
  put<T = any>(path: string, options?: RequestOptions) {
    return this.request<T>('PUT', path, options);
  }
  patch<T = any>(path: string, options?: RequestOptions) {
    return this.request<T>('PATCH', path, options);
  }
  delete<T = any>(path: string, options?: RequestOptions) {
    return this.request<T>('DELETE', path, options);
  }
}

/** The body as the service parsed it: JSON text back to a value, nothing when none or not JSON. */
function sentJson(body: string | undefined): unknown {
  if (body === undefined || body === '') {
    return undefined;
  }
  try {
    return JSON.parse(body) as unknown;
  } catch {
    return undefined;
  }
}
