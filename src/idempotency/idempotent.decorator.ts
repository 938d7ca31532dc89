import { applyDecorators, UseInterceptors } from '@nestjs/common';
import { ApiHeader } from '@nestjs/swagger';
import { ApiProblemResponses } from '../common/http/api-problem-responses.decorator';
import { IdempotencyInterceptor } from './idempotency.interceptor';

/**
 * Marks a POST that creates as idempotent: the `Idempotency-Key` header replays the first answer
 * to a retry with the same body, answers 422 to the same key with another body, and 409 while the
 * first request with the key is still running. Documents the header and those answers.
 */
export function Idempotent() {
  return applyDecorators(
    UseInterceptors(IdempotencyInterceptor),
    ApiHeader({
      name: 'Idempotency-Key',
      required: false,
      description:
        'A unique key per create (e.g. a UUID), 1–200 visible ASCII characters. A retry with ' +
        'the same key and body gets the first response again (header Idempotency-Replayed: true); ' +
        'the same key with another body gets 422. Keys are scoped to the client.',
      schema: { type: 'string', maxLength: 200 },
    }),
    ApiProblemResponses(409, 422),
  );
}
