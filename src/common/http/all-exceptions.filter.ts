import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import { FastifyReply, FastifyRequest } from 'fastify';
import { QueryFailedError } from 'typeorm';
import { DatabaseAvailability } from '../../database/database-availability';
import { databaseUnavailableReason } from '../../database/database-unavailable';
import { DomainException } from '../errors/domain.exception';
import { ErrorCode } from '../errors/error-codes';
import { UniqueConstraintMessages } from '../errors/unique-constraints';
import { JSON_TOO_DEEP, MAX_JSON_DEPTH } from './json-body-parser';
import { buildProblem, Problem, PROBLEM_CONTENT_TYPE } from './problem';
import { RETRY_AFTER_SECONDS } from './retry-after';

interface MappedError {
  problem: Pick<Problem, 'status' | 'detail' | 'errorCode' | 'errors'> & {
    title?: string;
    extra?: Record<string, unknown>;
  };
  headers?: Record<string, string>;
}

/**
 * The one place where every error becomes `application/problem+json`. Unknown errors are logged
 * with the correlation id and answered with a generic 500: no stack trace or SQL reaches a client.
 */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  /** `uniqueConstraints`: every feature's constraint → message map, merged. */
  constructor(
    private readonly database?: DatabaseAvailability,
    private readonly uniqueConstraints: UniqueConstraintMessages = {},
  ) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    const request = ctx.getRequest<FastifyRequest>();
    const reply = ctx.getResponse<FastifyReply>();
    sendProblem(request, reply, exception, this.logger, this.database, this.uniqueConstraints);
  }
}

export function sendProblem(
  request: FastifyRequest,
  reply: FastifyReply,
  exception: unknown,
  logger: Logger,
  database?: DatabaseAvailability,
  uniqueConstraints: UniqueConstraintMessages = {},
): void {
  const unavailable = databaseUnavailableReason(exception);
  if (unavailable) {
    // An outage is one warning (a state flip), not a stack trace per request.
    if (database) {
      database.failed(unavailable);
    } else {
      logger.warn(
        { reason: unavailable, correlationId: String(request.id) },
        'database unavailable',
      );
    }
  }
  const mapped = unavailable ? databaseUnavailable() : mapError(exception, uniqueConstraints);
  if (mapped.problem.status === 429) {
    retryAfterFromThrottler(reply);
  }
  const correlationId = String(request.id);
  const problem = buildProblem({
    ...mapped.problem,
    instance: request.url.split('?')[0],
    correlationId,
  });
  // A 503 is an expected state (outage, overload, shutdown), logged where it is detected.
  if (problem.status >= 500 && problem.status !== 503) {
    logger.error({ err: loggableError(exception), correlationId }, 'Unhandled error');
  }
  void reply
    .status(problem.status)
    .headers(mapped.headers ?? {})
    .header('content-type', PROBLEM_CONTENT_TYPE)
    .send(problem);
}

/**
 * @nestjs/throttler names its header after the throttler (`Retry-After-client`); clients look for
 * the standard `Retry-After`.
 */
function retryAfterFromThrottler(reply: FastifyReply): void {
  if (reply.hasHeader('retry-after')) {
    return;
  }
  const named = Object.keys(reply.getHeaders()).find((h) => /^retry-after-/i.test(h));
  if (named) {
    void reply.header('retry-after', reply.getHeader(named));
  }
}

function mapError(exception: unknown, uniqueConstraints: UniqueConstraintMessages): MappedError {
  if (exception instanceof DomainException) {
    return {
      problem: {
        status: exception.status,
        title: exception.title,
        detail: exception.detail,
        errorCode: exception.errorCode,
        errors: exception.errors,
        extra: exception.extra,
      },
      headers: exception.headers,
    };
  }
  if (exception instanceof HttpException) {
    return fromHttpException(exception);
  }
  if (exception instanceof QueryFailedError) {
    return fromDatabaseError(
      exception as QueryFailedError & { code?: string; constraint?: string },
      uniqueConstraints,
    );
  }
  const fastifyError = exception as { statusCode?: number; code?: string; message?: string };
  if (typeof fastifyError?.statusCode === 'number' && fastifyError.statusCode < 500) {
    return fromFastifyError(fastifyError.statusCode, fastifyError.code, fastifyError.message);
  }
  return {
    problem: {
      status: 500,
      detail: 'An unexpected error occurred; quote the correlationId when reporting it',
      errorCode: ErrorCode.Internal,
      errors: [],
    },
  };
}

function fromHttpException(exception: HttpException): MappedError {
  const status = exception.getStatus();
  // Fastify's own errors (body parsing, content type, size) arrive wrapped by the Nest adapter.
  const cause = exception.cause as { code?: unknown } | undefined;
  if (typeof cause?.code === 'string' && cause.code.startsWith('FST_')) {
    return fromFastifyError(status, cause.code, exception.message);
  }
  const response = exception.getResponse();
  const message =
    typeof response === 'string'
      ? response
      : Array.isArray((response as { message?: unknown }).message)
        ? (response as { message: string[] }).message.join('; ')
        : typeof (response as { message?: unknown }).message === 'string'
          ? (response as { message: string }).message
          : exception.message;
  const headers: Record<string, string> = {};
  if (status === 401) {
    headers['www-authenticate'] = 'Bearer error="invalid_token"';
  }
  return {
    problem: { status, detail: message, errorCode: status, errors: [] },
    headers,
  };
}

function fromDatabaseError(
  error: QueryFailedError & { code?: string; constraint?: string },
  uniqueConstraints: UniqueConstraintMessages,
): MappedError {
  switch (error.code) {
    case '23505': {
      const known = error.constraint ? uniqueConstraints[error.constraint] : undefined;
      return {
        problem: {
          status: 409,
          detail: known?.detail ?? 'The resource conflicts with an existing one',
          errorCode: known?.errorCode ?? ErrorCode.Conflict,
          errors: known ? [{ field: known.field, message: known.detail }] : [],
        },
      };
    }
    case '23503':
      return conflict('The resource refers to, or is referred to by, another resource');
    case '40001':
    case '40P01':
      return conflict('A concurrent change conflicted with this one; retry the request');
    case '22P02':
    case '22003':
    case '22007':
    case '22008':
    case '22001':
      return {
        problem: {
          status: 400,
          detail: 'A value is out of range or malformed',
          errorCode: ErrorCode.BadRequest,
          errors: [],
        },
      };
    case undefined:
    default:
      return {
        problem: {
          status: 500,
          detail: 'An unexpected error occurred; quote the correlationId when reporting it',
          errorCode: ErrorCode.Internal,
          errors: [],
        },
      };
  }
}

function databaseUnavailable(): MappedError {
  return {
    problem: {
      status: 503,
      detail: 'The database is unavailable or busy; retry after the time in Retry-After',
      errorCode: ErrorCode.Unavailable,
      errors: [],
    },
    headers: { 'retry-after': String(RETRY_AFTER_SECONDS) },
  };
}

function conflict(detail: string): MappedError {
  return {
    problem: { status: 409, detail, errorCode: ErrorCode.Conflict, errors: [] },
  };
}

const FASTIFY_ERROR_DETAILS: Record<string, string> = {
  FST_ERR_BAD_URL: 'The URL is not validly percent-encoded UTF-8',
  FST_ERR_MAX_PARAM_LENGTH: 'A path parameter is too long',
  [JSON_TOO_DEEP]: `The JSON body nests deeper than ${MAX_JSON_DEPTH} levels`,
};

/** Errors fastify raises before a handler runs: body parsing, content type, size. */
function fromFastifyError(
  status: number,
  code: string | undefined,
  message: string | undefined,
): MappedError {
  const known = code ? FASTIFY_ERROR_DETAILS[code] : undefined;
  if (known) {
    return { problem: { status, detail: known, errorCode: status, errors: [] } };
  }
  const detail =
    code === 'FST_ERR_CTP_BODY_TOO_LARGE'
      ? 'The request body is larger than the 100 kB allowed'
      : code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE'
        ? 'Unsupported content type; send application/json'
        : code === 'FST_ERR_CTP_EMPTY_JSON_BODY'
          ? 'The request body is empty'
          : code?.startsWith('FST_ERR_CTP') || message?.includes('JSON')
            ? 'The request body is not valid JSON'
            : (message ?? 'Bad request');
  return { problem: { status, detail, errorCode: status, errors: [] } };
}

/**
 * What of an unexpected error reaches the log: never the SQL parameters or the driver's `detail`
 * of a database error, which carry the values of the row (e-mail addresses, names).
 */
export function loggableError(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) {
    return { type: typeof error };
  }
  const { code } = error as { code?: unknown };
  return {
    type: error.name,
    message: error instanceof QueryFailedError ? 'database error' : error.message,
    ...(typeof code === 'string' ? { code } : {}),
    stack: error.stack?.split('\n').slice(1).join('\n'),
  };
}
