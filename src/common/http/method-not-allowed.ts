import { FastifyInstance, FastifyRequest } from 'fastify';
import { MethodNotAllowedDomainException } from '../errors/domain.exception';

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;

/**
 * The methods the router serves at a concrete URL. A catch-all route (e.g. a CORS preflight
 * `OPTIONS *`) matches every URL, so it says nothing about this one and is left out.
 */
export function allowedMethods(fastify: FastifyInstance, url: string): string[] {
  return METHODS.filter((method) => {
    const route = fastify.findRoute({ method, url });
    return route !== null && !Object.hasOwn(route.params ?? {}, '*');
  });
}

/**
 * A known path asked with a method it does not serve answers 405 with `Allow` (RFC 9110 §15.5.6)
 * instead of the router's 404, so a client can tell a wrong method from a wrong path. The router
 * itself decides what matches (trailing slashes included), so this cannot drift from the routes.
 */
export function registerMethodNotAllowed(fastify: FastifyInstance): void {
  fastify.addHook('onRequest', async (request: FastifyRequest) => {
    if (!request.is404) {
      return;
    }
    const allowed = allowedMethods(fastify, request.url);
    if (!allowed.length) {
      return;
    }
    throw new MethodNotAllowedDomainException(
      `${request.method} is not allowed here; this path serves ${allowed.join(', ')}`,
      { headers: { allow: allowed.join(', ') } },
    );
  });
}
