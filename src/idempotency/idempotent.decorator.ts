import { applyDecorators, UseInterceptors } from '@nestjs/common';
import { ApiHeader } from '@nestjs/swagger';
import { ApiProblemResponses } from '../common/http/api-problem-responses.decorator';
import { IdempotencyInterceptor } from './idempotency.interceptor';

/**
 * Marks a POST that creates as idempotent: the `Idempotency-Key` header replays the first answer
 * to a retry with the same body, answers 422 to the same key with another body, and 409 while the
 * first request with the key is still running. Documents the header and those answers. The
 * handler's service must write in `IdempotencyService.transaction()`.
 */
export function Idempotent() {
  return applyDecorators(
    UseInterceptors(IdempotencyInterceptor),
    ApiHeader({
      name: 'Idempotency-Key',
      required: false,
      description:
        'A unique key per create (e.g. a UUID), 1–200 visible ASCII characters, scoped to the ' +
        'client (draft-ietf-httpapi-idempotency-key-header). The create and its response are ' +
        'stored in one transaction: a retry with the same key and body gets the first response ' +
        'again, byte for byte (status, body, Content-Type, Location, ETag; plus ' +
        'Idempotency-Replayed: true). While the first request with the key is still running, a ' +
        'retry gets 409 problem+json with Retry-After: 1 and nothing is created; retry it for the ' +
        'first response. The same key with another body gets 422. A request that fails stores ' +
        'nothing, so its retry runs again.',
      schema: { type: 'string', maxLength: 200 },
    }),
    ApiProblemResponses(409, 422),
  );
}
