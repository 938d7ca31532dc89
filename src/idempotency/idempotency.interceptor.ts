import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { FastifyReply, FastifyRequest } from 'fastify';
import { from, lastValueFrom, Observable } from 'rxjs';
import { AuthContext } from '../auth/auth-context';
import { ValidationDomainException } from '../common/errors/domain.exception';
import { Clock } from '../common/clock/clock';
import { IdempotencyScope } from './idempotency-keys.repository';
import { IdempotencyService, StoredResponse } from './idempotency.service';
import { requestHash } from './request-hash';

export const IDEMPOTENCY_KEY_HEADER = 'idempotency-key';
const KEY_FORMAT = /^[\x21-\x7e]{1,200}$/;
const JSON_CONTENT_TYPE = 'application/json; charset=utf-8';
/** Headers of the first response that a replay repeats. */
const REPLAYED_HEADERS = ['content-type', 'location', 'etag'];

/**
 * Makes a create idempotent per (organisation, client, Idempotency-Key): the first request runs and
 * its status, body bytes, Content-Type, Location and ETag are stored in the create's transaction;
 * a retry with the same body gets them replayed (with `Idempotency-Replayed: true`), one with
 * another body gets 422, one while the first still runs gets 409 with Retry-After. Without the
 * header the request runs as usual. Apply it with `@Idempotent()`; the create must run in
 * `IdempotencyService.transaction()`.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(
    private readonly idempotency: IdempotencyService,
    private readonly clock: Clock,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const http = context.switchToHttp();
    const request = http.getRequest<FastifyRequest & { user: AuthContext }>();
    const reply = http.getResponse<FastifyReply>();
    const key = request.headers[IDEMPOTENCY_KEY_HEADER];
    if (key === undefined) {
      return next.handle();
    }
    if (typeof key !== 'string' || !KEY_FORMAT.test(key)) {
      const message = 'Idempotency-Key must be 1 to 200 visible ASCII characters';
      throw new ValidationDomainException(message, [{ field: 'Idempotency-Key', message }]);
    }
    const scope: IdempotencyScope = {
      organisationId: request.user.organisationId,
      clientId: request.user.clientId,
      key,
    };
    return from(
      this.answer(scope, requestHash(request.method, request.url, request.body), next, reply),
    );
  }

  private async answer(
    scope: IdempotencyScope,
    hash: string,
    next: CallHandler,
    reply: FastifyReply,
  ): Promise<string> {
    const stored = await this.idempotency.find(scope, hash);
    if (stored) {
      void reply.header('idempotency-replayed', 'true');
      return send(reply, stored);
    }
    const { response, replayed } = await this.idempotency.run(
      scope,
      hash,
      this.clock.now(),
      // The handler is bound to the async context in which handle() is called: the attempt's.
      () => lastValueFrom(next.handle()),
      (body) => {
        void reply.header('content-type', JSON_CONTENT_TYPE);
        return {
          statusCode: reply.statusCode,
          body: JSON.stringify(body ?? null),
          headers: pick(reply),
        };
      },
    );
    if (replayed) {
      void reply.header('idempotency-replayed', 'true');
    }
    return send(reply, response);
  }
}

/** Sends the stored bytes as they are: the body goes out as a string with its own content type. */
function send(reply: FastifyReply, response: StoredResponse): string {
  // Answers stored before the content type was kept were all JSON.
  void reply
    .status(response.statusCode)
    .headers({ 'content-type': JSON_CONTENT_TYPE, ...response.headers });
  return response.body;
}

function pick(reply: FastifyReply): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const name of REPLAYED_HEADERS) {
    const value = reply.getHeader(name);
    if (value !== undefined) {
      headers[name] = String(value);
    }
  }
  return headers;
}
