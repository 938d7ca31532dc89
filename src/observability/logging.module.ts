import { Global, Module, RequestMethod, Type } from '@nestjs/common';
import { IncomingMessage } from 'node:http';
import { LoggerModule } from 'nestjs-pino';
import { DestinationStream, LogFn, Logger as PinoInstance } from 'pino';
import pinoPretty from 'pino-pretty';
import { AuthContext } from '../auth/auth-context';
import { AppConfig } from '../config/app-config';

/** Keys whose values never reach a log line, wherever they appear (bodies, errors, headers). */
export const REDACTED_KEYS = [
  'password',
  'currentPassword',
  'newPassword',
  'passwordHash',
  'password_hash',
  'client_secret',
  'access_token',
  'authorization',
  'cookie',
  'email',
  'emailOld',
  'firstName',
  'surname',
  'telephoneNumber',
  'telephoneNumberNoCountryCode',
  'landlineNumber',
  'dateOfBirth',
];

/** Where log lines go instead of stdout, when a module provides it (tests read the lines). */
export const LOG_DESTINATION = Symbol('LOG_DESTINATION');

/** A module providing LOG_DESTINATION: `createTestApp(env, { extraModules: [logDestination(s)] })`. */
export function logDestination(stream: DestinationStream): Type {
  @Global()
  @Module({
    providers: [{ provide: LOG_DESTINATION, useValue: stream }],
    exports: [LOG_DESTINATION],
  })
  class LogDestinationModule {}
  return LogDestinationModule;
}

/** Nest's start-up chatter (one line per module and route): debug, so the banner stays visible. */
const FRAMEWORK_CONTEXTS = new Set([
  'InstanceLoader',
  'RoutesResolver',
  'RouterExplorer',
  'NestFactory',
  'NestApplication',
]);

/** pino's logMethod hook: info lines from the framework's start-up contexts go out at debug. */
export function demoteFrameworkChatter(
  this: PinoInstance,
  args: Parameters<LogFn>,
  method: LogFn,
  level: number,
): void {
  const first = args[0] as { context?: unknown } | undefined;
  const INFO = 30;
  if (
    level === INFO &&
    typeof first?.context === 'string' &&
    FRAMEWORK_CONTEXTS.has(first.context)
  ) {
    return this.debug(...args);
  }
  return method.apply(this, args);
}

/** Human-readable lines on a terminal (or LOG_FORMAT=pretty), JSON lines otherwise. */
export function wantsPrettyLogs(config: AppConfig, stdoutIsTty = Boolean(process.stdout.isTTY)) {
  return config.logFormat ? config.logFormat === 'pretty' : stdoutIsTty;
}

/**
 * The raw request the logger sees: the HTTP adapter puts the correlation id on it, and the caller
 * (set on the Fastify request by the auth guard) is read through it (see configure-app.ts).
 */
type LoggedRequest = IncomingMessage & { correlationId?: string; user?: AuthContext };

/** The path without its query string, and without segments that look like e-mail addresses. */
export function loggablePath(url: string): string {
  return url
    .split('?')[0]
    .split('/')
    .map((segment) => (/@|%40/i.test(segment) ? '[redacted]' : segment))
    .join('/');
}

/**
 * Structured JSON logs: one line per request with correlation id, organisation, client and timing.
 * Neither query strings (search terms such as e-mail addresses), headers nor bodies are logged.
 */
@Module({
  imports: [
    LoggerModule.forRootAsync({
      inject: [AppConfig, { token: LOG_DESTINATION, optional: true }],
      useFactory: (config: AppConfig, destination?: DestinationStream) => {
        const options = {
          level: config.logLevel,
          genReqId: (request: IncomingMessage) => (request as LoggedRequest).correlationId ?? '',
          customProps: (request: IncomingMessage) => {
            const { correlationId, user, headers } = request as LoggedRequest;
            return {
              correlationId,
              organisationId: user?.organisationId,
              clientId: user?.clientId,
              clientName: user?.clientName ?? headers['et-client-name'],
            };
          },
          serializers: {
            req: (req: { method: string; url: string; originalUrl?: string }) => ({
              method: req.method,
              path: loggablePath(req.originalUrl ?? req.url),
            }),
            res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
          },
          redact: {
            // Bodies are never logged; this is the net for objects passed to a log call.
            paths: REDACTED_KEYS.flatMap((key) => [key, `*.${key}`]),
            censor: '[redacted]',
          },
          autoLogging: {
            ignore: (request: IncomingMessage) => (request.url ?? '').startsWith('/health'),
          },
          hooks: { logMethod: demoteFrameworkChatter },
        };
        // Synchronous, in this thread: lines keep their order with what main.ts prints last.
        const pretty =
          !destination && wantsPrettyLogs(config)
            ? pinoPretty({
                sync: true,
                colorize: Boolean(process.stdout.isTTY),
                ignore: 'pid,hostname,context',
                messageFormat: '{if context}[{context}] {end}{msg}',
              })
            : undefined;
        const stream = destination ?? pretty;
        return {
          // nestjs-pino's default route pattern matches nothing on Nest 12's Fastify adapter.
          forRoutes: [{ path: '{*path}', method: RequestMethod.ALL }],
          pinoHttp: stream ? ([options, stream] as const) : options,
        };
      },
    }),
  ],
})
export class LoggingModule {}
