import { randomUUID } from 'node:crypto';
import { IncomingMessage } from 'node:http';
import helmet from '@fastify/helmet';
import underPressure from '@fastify/under-pressure';
import { Logger, ValidationPipe } from '@nestjs/common';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Logger as PinoLogger } from 'nestjs-pino';
import { UnavailableDomainException } from '../common/errors/domain.exception';
import { AllExceptionsFilter } from '../common/http/all-exceptions.filter';
import { UNIQUE_CONSTRAINT_MESSAGES } from './unique-constraints';
import { registerConditionalGet } from '../common/http/conditional-get';
import { answerFrameworkError } from '../common/http/framework-errors';
import { registerMethodNotAllowed } from '../common/http/method-not-allowed';
import { securityHeaders } from '../common/http/security-headers';
import { StorableTextPipe } from '../common/http/storable-text.pipe';
import { validationExceptionFactory } from '../common/http/validation-exception.factory';
import { AppConfig, TrustProxy } from '../config/app-config';
import { DatabaseAvailability } from '../database/database-availability';
import { Metrics } from '../observability/metrics';
import { BODY_LIMIT_BYTES, registerBodyParsers } from './body-parsers';
import { setupSwaggerUi } from './openapi';
import { RequestTimeoutInterceptor } from './request-timeout.interceptor';

export { BODY_LIMIT_BYTES } from './body-parsers';
const CORRELATION_ID = /^[A-Za-z0-9._:-]{1,100}$/;

/**
 * The HTTP adapter, with request ids taken from X-Correlation-Id when it is well-formed.
 * X-Forwarded-For decides the client's address only from the proxies in `trustProxy`
 * (TRUST_PROXY): believed from anyone, it would let every request pick its own rate-limit bucket.
 */
export function createHttpAdapter(options: { trustProxy?: TrustProxy } = {}): FastifyAdapter {
  return new FastifyAdapter({
    bodyLimit: BODY_LIMIT_BYTES,
    // `/customers/v2/profiles/` is the same route as `/customers/v2/profiles` (Entur's docs
    // write the slash); the documents list the form without it.
    routerOptions: { ignoreTrailingSlash: true },
    trustProxy: options.trustProxy ?? false,
    requestIdHeader: false,
    frameworkErrors: answerFrameworkError,
    // configureApp answers requests that arrive while the app closes, as problem+json.
    return503OnClosing: false,
    genReqId: (request: IncomingMessage & { correlationId?: string }) => {
      const given = request.headers['x-correlation-id'];
      const id = typeof given === 'string' && CORRELATION_ID.test(given) ? given : randomUUID();
      // The request logger only sees the raw request: it reads the id from there.
      request.correlationId = id;
      return id;
    },
  });
}

/** Everything main.ts and the test harness share: one configuration of the HTTP surface. */
export async function configureApp(app: NestFastifyApplication): Promise<void> {
  const config = app.get(AppConfig);
  const fastify = app.getHttpAdapter().getInstance();

  app.useLogger(app.get(PinoLogger));
  app.enableShutdownHooks();

  // Swagger UI's Authorize posts to the token endpoint, which may be the identity provider's.
  await app.register(helmet, securityHeaders(originOf(config.auth.tokenUrl)));
  app.enableCors({
    // Resolved per request: another origin (or none) gets no CORS headers at all, preflight included.
    origin: (
      origin: string | undefined,
      allow: (error: Error | null, origin: string | false) => void,
    ) => allow(null, origin !== undefined && config.corsOrigins.includes(origin) ? origin : false),
    methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'],
    allowedHeaders: [
      'Authorization',
      'Content-Type',
      'If-Match',
      'If-None-Match',
      'Idempotency-Key',
      'X-Correlation-Id',
      'ET-Client-Name',
    ],
    maxAge: 600,
    exposedHeaders: [
      'ETag',
      'Location',
      'X-Correlation-Id',
      'Retry-After',
      'Deprecation',
      'Sunset',
      'Link',
    ],
  });

  registerBodyParsers(app);
  const metrics = app.get(Metrics);
  fastify.addHook('onResponse', async (request: FastifyRequest, reply: FastifyReply) => {
    // The matched route pattern, not the raw path, keeps label cardinality bounded.
    metrics.httpRequestDuration.observe(
      {
        method: request.method,
        route: request.routeOptions.url ?? 'unmatched',
        status: String(reply.statusCode),
      },
      reply.elapsedTime / 1000,
    );
  });
  fastify.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    void reply.header('x-correlation-id', request.id);
    // The request logger's completion line reads the caller (set later by the auth guard) here.
    Object.defineProperty(request.raw, 'user', {
      get: () => (request as FastifyRequest & { user?: unknown }).user,
      configurable: true,
    });
  });

  registerConditionalGet(fastify);
  registerMethodNotAllowed(fastify);
  // After the hooks above, so these 503s carry the security headers and the correlation id too.
  refuseWhileClosing(fastify);
  await shedLoad(app, config);

  app.useGlobalPipes(
    new StorableTextPipe(),
    new ValidationPipe({
      whitelist: true,
      forbidNonWhitelisted: true,
      transform: true,
      exceptionFactory: validationExceptionFactory,
    }),
  );
  app.useGlobalInterceptors(new RequestTimeoutInterceptor(config.requestTimeoutMs));
  app.useGlobalFilters(
    new AllExceptionsFilter(app.get(DatabaseAvailability), UNIQUE_CONSTRAINT_MESSAGES),
  );
  setupSwaggerUi(app);
}

function originOf(url: string): string[] {
  return URL.canParse(url) ? [new URL(url).origin] : [];
}

/** Requests that arrive once closing has begun get 503 (and `Connection: close` from fastify). */
function refuseWhileClosing(fastify: FastifyInstance): void {
  let closing = false;
  fastify.addHook('preClose', async () => {
    closing = true;
  });
  fastify.addHook('onRequest', async () => {
    if (closing) {
      throw new UnavailableDomainException('The service is shutting down; retry later');
    }
  });
}

/** under-pressure's default sampling period of the event-loop delay. */
const SAMPLE_INTERVAL_MS = 1_000;

/**
 * 503 while the event loop lags or the heap is nearly full; health checks are always answered.
 * The event-loop delay counts only from two samples after the server is ready: the samples before
 * measure start-up (module init, building the documents), when a blocked loop records no sample
 * at all and reads as an infinite delay, so the first requests after a start would be shed.
 */
async function shedLoad(app: NestFastifyApplication, config: AppConfig): Promise<void> {
  const logger = new Logger('LoadShedding');
  const fastify = app.getHttpAdapter().getInstance();
  let measuringEventLoop = false;
  fastify.addHook('onReady', async () => {
    setTimeout(() => (measuringEventLoop = true), 2 * SAMPLE_INTERVAL_MS).unref();
  });
  await app.register(underPressure, {
    sampleInterval: SAMPLE_INTERVAL_MS,
    maxEventLoopDelay: config.loadShedding.maxEventLoopDelayMs,
    maxHeapUsedBytes: config.loadShedding.maxHeapUsedBytes,
    pressureHandler: async (request, _reply, type, value) => {
      if (request.url.startsWith('/health/')) {
        return;
      }
      if (type === underPressure.TYPE_EVENT_LOOP_DELAY && !measuringEventLoop) {
        return;
      }
      logger.debug({ type, value, correlationId: String(request.id) }, 'request shed');
      throw new UnavailableDomainException('The service is overloaded; retry later');
    },
  });
}
