import { applyDecorators } from '@nestjs/common';
import { ApiExtraModels, ApiResponse } from '@nestjs/swagger';
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
  503: 'The service or its database is unavailable; retry after the Retry-After header',
};

/** Any operation may meet these, whatever its input. */
const ALWAYS = [500, 503];

/** Documents problem+json error responses of an operation, and the 500 and 503 of every one. */
export function ApiProblemResponses(...statuses: number[]) {
  return applyDecorators(
    ApiExtraModels(ProblemResponseDto),
    ...[...new Set([...statuses, ...ALWAYS])].map((status) =>
      ApiResponse({
        status,
        description: DESCRIPTIONS[status] ?? 'Error',
        content: {
          'application/problem+json': {
            schema: { $ref: '#/components/schemas/ProblemResponseDto' },
          },
        },
      }),
    ),
  );
}
