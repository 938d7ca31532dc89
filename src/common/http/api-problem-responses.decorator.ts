import { applyDecorators } from '@nestjs/common';
import { ApiExtraModels, ApiResponse } from '@nestjs/swagger';
import { ErrorCode } from '../errors/error-codes';
import { buildProblem, Problem } from './problem';
import { ProblemResponseDto } from './problem-response.dto';

const DESCRIPTIONS: Record<number, string> = {
  400: 'Invalid input: see `errors` for each field',
  401: 'Missing or invalid access token',
  403: 'The token lacks the permission, or its organisation is not active',
  404: "Not found (also for another organisation's resources)",
  409: 'Conflicts with an existing resource',
  412: 'If-Match does not match the current version',
  413: 'Body larger than 100 kB',
  415: 'Unsupported content type',
  422: 'Idempotency-Key reused with another body',
  428: 'If-Match required',
  429: 'Too many requests; retry after the Retry-After header',
  500: 'Unexpected error; quote the correlationId when reporting it',
  503:
    "The service, its database or the token issuer's signing keys (JWKS) are unavailable: the " +
    'token may be fine; retry after the Retry-After header',
};

const INSTANCE = '/customers/v2/profiles/10000001';
const CORRELATION_ID = '5b0f7e0e-3c1b-4f0e-9a57-0c6a3c1d2e4f';

/** A problem body as the service sends it, for Swagger UI's example of each status. */
function example(status: number, detail: string, more: Partial<Problem> = {}): Problem {
  return buildProblem({
    status,
    detail,
    instance: INSTANCE,
    correlationId: CORRELATION_ID,
    ...more,
  });
}

/** One realistic body per status, so each documented error shows its own example. */
export const PROBLEM_EXAMPLES: Record<number, Problem> = {
  400: example(400, 'email must be an email', {
    instance: '/customers/v2/profiles',
    errorCode: ErrorCode.InvalidEmail,
    errors: [
      { field: 'email', message: 'email must be an email', errorCode: ErrorCode.InvalidEmail },
    ],
  }),
  401: example(401, 'The access token is missing or invalid'),
  403: example(403, 'This operation needs the permission customers:write'),
  404: example(404, 'Profile 10000001 was not found'),
  409: example(409, 'A profile with this e-mail already exists in the organisation', {
    instance: '/customers/v2/profiles',
    errorCode: ErrorCode.EmailExists,
    errors: [
      {
        field: 'email',
        message: 'A profile with this e-mail already exists in the organisation',
        errorCode: ErrorCode.EmailExists,
      },
    ],
  }),
  412: example(
    412,
    'The profile has changed: If-Match asked for version 3, the current version is 4; read it again and retry',
  ),
  413: example(413, 'Request body is too large', { instance: '/customers/v2/profiles' }),
  415: example(415, 'Unsupported Media Type: send application/json', {
    instance: '/customers/v2/profiles',
  }),
  422: example(422, 'Idempotency-Key was already used with another request body', {
    instance: '/customers/v2/profiles',
  }),
  428: example(428, 'If-Match is required: send the ETag of the version you change'),
  429: example(429, 'Too many requests; retry after the time in Retry-After'),
  500: example(500, 'An unexpected error occurred; quote the correlationId when reporting it'),
  503: example(503, 'The database is unavailable; retry after the time in Retry-After'),
};

/** Any operation may meet these, whatever its input. */
const ALWAYS = [500, 503];

/** An error response an operation documents with its own wording and examples. */
export interface ProblemResponseDoc {
  status: number;
  description: string;
  /** Named examples (Swagger UI shows a selector), e.g. one per errorCode. */
  examples: Record<string, Problem>;
}

/**
 * Documents problem+json error responses of an operation, and the 500 and 503 of every one. A
 * status given as a {@link ProblemResponseDoc} replaces the generic description and example.
 */
export function ApiProblemResponses(...statuses: (number | ProblemResponseDoc)[]) {
  const docs = new Map<number, ProblemResponseDoc | undefined>();
  for (const status of [...statuses, ...ALWAYS]) {
    const code = typeof status === 'number' ? status : status.status;
    if (!docs.has(code) || typeof status !== 'number') {
      docs.set(code, typeof status === 'number' ? undefined : status);
    }
  }
  return applyDecorators(
    ApiExtraModels(ProblemResponseDto),
    ...[...docs].map(([status, doc]) =>
      ApiResponse({
        status,
        description: doc?.description ?? DESCRIPTIONS[status] ?? 'Error',
        content: {
          'application/problem+json': {
            schema: { $ref: '#/components/schemas/ProblemResponseDto' },
            ...(doc
              ? {
                  examples: Object.fromEntries(
                    Object.entries(doc.examples).map(([name, value]) => [name, { value }]),
                  ),
                }
              : PROBLEM_EXAMPLES[status] && { example: PROBLEM_EXAMPLES[status] }),
          },
        },
      }),
    ),
  );
}

/** A problem body for an operation's own example (see {@link ProblemResponseDoc}). */
export function problemExample(
  status: number,
  instance: string,
  detail: string,
  errorCode?: number,
): Problem {
  return example(status, detail, { instance, ...(errorCode !== undefined && { errorCode }) });
}
