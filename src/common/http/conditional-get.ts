import { applyDecorators } from '@nestjs/common';
import { ApiHeader, ApiResponse } from '@nestjs/swagger';
import { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/**
 * Whether an `If-None-Match` header matches an ETag (RFC 9110 §13.1.2: weak comparison, a list of
 * tags, or `*`).
 */
export function ifNoneMatchHits(header: string | undefined, etag: string): boolean {
  if (header === undefined) {
    return false;
  }
  const opaque = (tag: string) => tag.trim().replace(/^W\//, '');
  return header.split(',').some((tag) => tag.trim() === '*' || opaque(tag) === opaque(etag));
}

/**
 * Conditional GET for every route that sends an ETag: when the client's `If-None-Match` matches
 * the ETag of the answer, it gets `304 Not Modified` without the body. One hook, so no route can
 * forget it.
 */
export function registerConditionalGet(fastify: FastifyInstance): void {
  fastify.addHook(
    'onSend',
    async (request: FastifyRequest, reply: FastifyReply, payload: unknown) => {
      const etag = reply.getHeader('etag');
      if (
        (request.method === 'GET' || request.method === 'HEAD') &&
        reply.statusCode === 200 &&
        typeof etag === 'string' &&
        ifNoneMatchHits(request.headers['if-none-match'], etag)
      ) {
        void reply.code(304);
        reply.removeHeader('content-type');
        reply.removeHeader('content-length');
        return null;
      }
      return payload;
    },
  );
}

/** Documents the conditional GET of an operation whose answer carries an ETag. */
export function ApiConditionalGet() {
  return applyDecorators(
    ApiHeader({
      name: 'If-None-Match',
      required: false,
      description: 'An ETag read before (e.g. "3"); 304 without a body while it is still current',
    }),
    ApiResponse({
      status: 304,
      description: 'Not modified since the version given in If-None-Match',
    }),
  );
}
