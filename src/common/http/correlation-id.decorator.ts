import { createParamDecorator, ExecutionContext } from '@nestjs/common';

/** The request's correlation id (X-Correlation-Id or generated), for audit rows. */
export const CorrelationId = createParamDecorator((_: unknown, ctx: ExecutionContext): string =>
  String(ctx.switchToHttp().getRequest<{ id: unknown }>().id),
);
