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
import { validationExceptionFactory } from '../common/http/validation-exception.factory';
import { AppConfig } from '../config/app-config';
import { DatabaseAvailability } from '../database/database-availability';
import { Metrics } from '../observability/metrics';
import { setupSwaggerUi } from './openapi';
import { RequestTimeoutInterceptor } from './request-timeout.interceptor';

export const BODY_LIMIT_BYTES = 100 * 1024;
const CORRELATION_ID = /^[A-Za-z0-9._:-]{1,100}$/;
const JSON_TYPES = ['application/json', 'application/merge-patch+json'];

/** The HTTP adapter, with request ids taken from X-Correlation-Id when it is well-formed. */
export function createHttpAdapter(): FastifyAdapter {
  return new FastifyAdapter({
    bodyLimit: BODY_LIMIT_BYTES,
    trustProxy: true,
    requestIdHeader: false,
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

  await app.register(helmet, {
    // Swagger UI needs inline styles and scripts of its own; everything else stays strict.
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        scriptSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'validator.swagger.io'],
        // TLS ends at the load balancer; upgrading would break Swagger UI served over plain HTTP.
        upgradeInsecureRequests: null,
      },
    },
  });
  app.enableCors({
    origin: config.corsOrigins.length ? config.corsOrigins : false,
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

  fastify.addContentTypeParser(
    'application/merge-patch+json',
    { parseAs: 'string', bodyLimit: BODY_LIMIT_BYTES },
    fastify.getDefaultJsonParser('error', 'error'),
  );
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
    if (request.url.startsWith('/customers/') && hasBody(request) && !isJson(request)) {
      reply.code(415);
      throw Object.assign(new Error('Unsupported Media Type'), {
        statusCode: 415,
        code: 'FST_ERR_CTP_INVALID_MEDIA_TYPE',
      });
    }
  });

  // After the hooks above, so these 503s carry the security headers and the correlation id too.
  refuseWhileClosing(fastify);
  await shedLoad(app, config);

  app.useGlobalPipes(
    new ValidationPipe({
      whitelist: true,
      forbidNonWhitelisted: true,
      transform: true,
      exceptionFactory: validationExceptionFactory,
    }),
  );
  app.useGlobalInterceptors(new RequestTimeoutInterceptor(config.requestTimeoutMs));
  app.useGlobalFilters(new AllExceptionsFilter(app.get(DatabaseAvailability)));
  setupSwaggerUi(app);
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

/** 503 while the event loop lags or the heap is nearly full; health checks are always answered. */
async function shedLoad(app: NestFastifyApplication, config: AppConfig): Promise<void> {
  const logger = new Logger('LoadShedding');
  await app.register(underPressure, {
    maxEventLoopDelay: config.loadShedding.maxEventLoopDelayMs,
    maxHeapUsedBytes: config.loadShedding.maxHeapUsedBytes,
    pressureHandler: async (request, _reply, type, value) => {
      if (request.url.startsWith('/health/')) {
        return;
      }
      logger.debug({ type, value, correlationId: String(request.id) }, 'request shed');
      throw new UnavailableDomainException('The service is overloaded; retry later');
    },
  });
}

function hasBody(request: FastifyRequest): boolean {
  const length = request.headers['content-length'];
  return (
    ['POST', 'PUT', 'PATCH'].includes(request.method) &&
    (request.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0'))
  );
}

function isJson(request: FastifyRequest): boolean {
  const type = (request.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
  return JSON_TYPES.includes(type);
}
