import {
  applyDecorators,
  CallHandler,
  ExecutionContext,
  Injectable,
  NestInterceptor,
  SetMetadata,
  UseInterceptors,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { FastifyReply, FastifyRequest } from 'fastify';
import { Observable } from 'rxjs';

/** RFC 9745: deprecated since 2025-12-01T00:00:00Z (a structured-field date). */
export const DEPRECATION_HEADER_VALUE = '@1764547200';
/** RFC 8594: when the v1 surface goes away. */
export const SUNSET_HEADER_VALUE = 'Tue, 01 Jun 2027 00:00:00 GMT';

const SUCCESSOR = 'deprecation:successor';

/**
 * Sends `Deprecation`, `Sunset` and `Link: <successor>; rel="successor-version"` on every response
 * of the route, errors included (the headers are set before the handler runs). `:name` segments
 * of the successor template are filled from the request's path parameters.
 */
@Injectable()
export class DeprecationInterceptor implements NestInterceptor {
  constructor(private readonly reflector: Reflector) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const successor = this.reflector.get<string | undefined>(SUCCESSOR, context.getHandler());
    const http = context.switchToHttp();
    const request = http.getRequest<FastifyRequest<{ Params: Record<string, string> }>>();
    const reply = http.getResponse<FastifyReply>();
    void reply.header('deprecation', DEPRECATION_HEADER_VALUE);
    void reply.header('sunset', SUNSET_HEADER_VALUE);
    if (successor) {
      const params = request.params ?? {};
      const target = successor.replace(/:(\w+)/g, (_, name: string) =>
        encodeURIComponent(params[name] ?? name),
      );
      void reply.header('link', `<${target}>; rel="successor-version"`);
    }
    return next.handle();
  }
}

/**
 * Marks a legacy (v1) route: deprecation headers on its responses, pointing at its v2 successor.
 * Pair it with `@ApiOperation({ deprecated: true })` and document DEPRECATION_RESPONSE_HEADERS.
 */
export function DeprecatedRoute(successor: string) {
  return applyDecorators(
    SetMetadata(SUCCESSOR, successor),
    UseInterceptors(DeprecationInterceptor),
  );
}

/** The deprecation headers, for `@ApiOkResponse({ headers: DEPRECATION_RESPONSE_HEADERS })`. */
export const DEPRECATION_RESPONSE_HEADERS = {
  Deprecation: {
    description: 'RFC 9745: this operation is deprecated (since the given date)',
    schema: { type: 'string', example: DEPRECATION_HEADER_VALUE },
  },
  Sunset: {
    description: 'RFC 8594: when this operation stops working',
    schema: { type: 'string', example: SUNSET_HEADER_VALUE },
  },
  Link: {
    description: 'The v2 successor of this operation (rel="successor-version")',
    schema: { type: 'string' },
  },
};
