import { Logger } from '@nestjs/common';
import { FastifyReply, FastifyRequest } from 'fastify';
import { sendProblem } from './all-exceptions.filter';
import { applySecurityHeaders } from './security-headers';

const logger = new Logger('Errors');

/**
 * Fastify's router rejects a malformed URL (bad percent-encoding: 400) or an over-long path
 * parameter (414) before any hook or Nest filter runs; these answers get the same problem+json
 * body and security headers as every other.
 */
export function answerFrameworkError(
  error: Error,
  request: FastifyRequest,
  reply: FastifyReply,
): void {
  applySecurityHeaders(request.raw, reply.raw);
  void reply.header('x-correlation-id', request.id);
  sendProblem(request, reply, error, logger);
}
