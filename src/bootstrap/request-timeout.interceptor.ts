import {
  CallHandler,
  ExecutionContext,
  Logger,
  NestInterceptor,
  SetMetadata,
} from '@nestjs/common';
import { FastifyRequest } from 'fastify';
import { Observable, throwError, timeout } from 'rxjs';
import { UnavailableDomainException } from '../common/errors/domain.exception';

const NO_REQUEST_TIMEOUT = 'noRequestTimeout';

/**
 * For a route whose time is the client's upload (a streamed bulk import): REQUEST_TIMEOUT_MS does
 * not apply; the server's connection timeouts still do.
 */
export const NoRequestTimeout = () => SetMetadata(NO_REQUEST_TIMEOUT, true);

/**
 * Ends a request whose handler has not answered within REQUEST_TIMEOUT_MS with 503, whatever it
 * waits for; the database's own timeouts normally end it first.
 */
export class RequestTimeoutInterceptor implements NestInterceptor {
  private readonly logger = new Logger('RequestTimeout');

  constructor(private readonly timeoutMs: number) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (Reflect.getMetadata(NO_REQUEST_TIMEOUT, context.getHandler()) === true) {
      return next.handle();
    }
    return next.handle().pipe(
      timeout({
        first: this.timeoutMs,
        with: () => {
          const request = context.switchToHttp().getRequest<FastifyRequest>();
          this.logger.warn(
            { correlationId: String(request.id), route: request.routeOptions.url },
            'request timed out',
          );
          return throwError(
            () =>
              new UnavailableDomainException(
                `The request took longer than the ${this.timeoutMs} ms allowed; retry later`,
              ),
          );
        },
      }),
    );
  }
}
