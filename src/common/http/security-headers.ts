import { IncomingMessage, ServerResponse } from 'node:http';
import helmet, { HelmetOptions } from 'helmet';

/**
 * The security headers of every response (helmet), shared by the plugin and the URL-error path.
 * `connectTo`: origins besides this one that pages may call (the token endpoint of Authorize).
 */
export function securityHeaders(connectTo: string[] = []): HelmetOptions {
  return {
    // Swagger UI needs inline styles and scripts of its own; everything else stays strict.
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        scriptSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'validator.swagger.io'],
        connectSrc: ["'self'", ...connectTo],
        // TLS ends at the load balancer; upgrading would break Swagger UI served over plain HTTP.
        upgradeInsecureRequests: null,
      },
    },
  };
}

export const SECURITY_HEADERS = securityHeaders();

const setSecurityHeaders = helmet(SECURITY_HEADERS);

/** Sets the headers on a raw response, for answers given before Fastify's hooks run. */
export function applySecurityHeaders(request: IncomingMessage, response: ServerResponse): void {
  setSecurityHeaders(request, response, () => undefined);
}
