import { Module } from '@nestjs/common';
import { IncomingMessage } from 'node:http';
import { LoggerModule } from 'nestjs-pino';
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

/**
 * Structured JSON logs: one line per request with correlation id, organisation, client and timing.
 * Only the path is logged (query strings carry search terms such as e-mail addresses).
 */
@Module({
  imports: [
    LoggerModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        pinoHttp: {
          level: config.logLevel,
          genReqId: (request: IncomingMessage & { id?: string }) => request.id ?? '',
          customProps: (request: IncomingMessage & { user?: AuthContext }) => ({
            correlationId: (request as { id?: string }).id,
            organisationId: request.user?.organisationId,
            clientId: request.user?.clientId,
            clientName: request.user?.clientName ?? request.headers['et-client-name'],
          }),
          serializers: {
            req: (req: { method: string; url: string }) => ({
              method: req.method,
              path: req.url.split('?')[0],
            }),
            res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
          },
          redact: {
            paths: REDACTED_KEYS.flatMap((key) => [key, `*.${key}`, `*.*.${key}`]),
            censor: '[redacted]',
          },
          autoLogging: {
            ignore: (request: IncomingMessage) => (request.url ?? '').startsWith('/health'),
          },
        },
      }),
    }),
  ],
})
export class LoggingModule {}
