import { STATUS_CODES } from 'node:http';
import { ErrorCode } from '../errors/error-codes';
import { FieldError } from '../errors/domain.exception';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** RFC 9457 problem details, with the service's `correlationId`, `errorCode` and field `errors`. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance: string;
  correlationId: string;
  errorCode: number;
  errors: FieldError[];
  [extension: string]: unknown;
}

export function problemType(status: number): string {
  return `https://api.customers.local/problems/${status}`;
}

export function buildProblem(input: {
  status: number;
  detail: string;
  instance: string;
  correlationId: string;
  title?: string;
  errorCode?: number;
  errors?: FieldError[];
  extra?: Record<string, unknown>;
}): Problem {
  return {
    type: problemType(input.status),
    title: input.title ?? STATUS_CODES[input.status] ?? 'Error',
    status: input.status,
    detail: input.detail,
    instance: input.instance,
    correlationId: input.correlationId,
    errorCode: input.errorCode ?? defaultErrorCode(input.status),
    errors: input.errors ?? [],
    ...input.extra,
  };
}

function defaultErrorCode(status: number): number {
  return status === 404 ? ErrorCode.NotFound : status;
}
