import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { FastifyReply, FastifyRequest } from 'fastify';
import { concatMap, from, Observable, of, switchMap, catchError } from 'rxjs';
import { AuthContext } from '../auth/auth-context';
import { ValidationDomainException } from '../common/errors/domain.exception';
import { Clock } from '../common/clock/clock';
import { IdempotencyScope, IdempotencyService } from './idempotency.service';
import { requestHash } from './request-hash';

export const IDEMPOTENCY_KEY_HEADER = 'idempotency-key';
const KEY_FORMAT = /^[\x21-\x7e]{1,200}$/;
/** Headers of the first response that a replay repeats. */
const REPLAYED_HEADERS = ['location', 'etag'];

/**
 * Makes a create idempotent per (organisation, client, Idempotency-Key): the first request runs and
 * its status, body, Location and ETag are stored; a retry with the same body gets them replayed
 * (with `Idempotency-Replayed: true`), one with another body gets 422. Without the header the
 * request runs as usual. Apply it with `@Idempotent()`.
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
    const hash = requestHash(request.method, request.url, request.body);
    return from(this.idempotency.begin(scope, hash, this.clock.now())).pipe(
      switchMap((outcome) => {
        if (outcome.kind === 'replay') {
          void reply.status(outcome.statusCode).headers(outcome.headers);
          void reply.header('idempotency-replayed', 'true');
          return of(outcome.body);
        }
        return next.handle().pipe(
          concatMap(async (body) => {
            await this.idempotency.complete(
              scope,
              { statusCode: reply.statusCode, body, headers: pickHeaders(reply) },
              customerNumberOf(body),
            );
            return body;
          }),
          catchError(async (error: unknown) => {
            await this.idempotency.release(scope);
            throw error;
          }),
        );
      }),
    );
  }
}

function pickHeaders(reply: FastifyReply): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const name of REPLAYED_HEADERS) {
    const value = reply.getHeader(name);
    if (value !== undefined) {
      headers[name] = String(value);
    }
  }
  return headers;
}

/** Set on the key row so purging a customer also deletes its keys (and the stored body). */
function customerNumberOf(body: unknown): number | null {
  const value = (body as { customerNumber?: unknown } | null)?.customerNumber;
  return typeof value === 'number' && Number.isSafeInteger(value) ? value : null;
}
