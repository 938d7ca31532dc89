import {
  createParamDecorator,
  ExecutionContext,
  InternalServerErrorException,
} from '@nestjs/common';
import { AuthContext } from '../auth-context';

/**
 * The verified caller. Throws (500) when no guard has set it, so a route that lost its guard fails
 * loudly instead of acting for an `undefined` organisation.
 */
export const CurrentAuth = createParamDecorator(
  (_: unknown, ctx: ExecutionContext): AuthContext => {
    const auth = ctx.switchToHttp().getRequest<{ user?: AuthContext }>().user;
    if (!auth) {
      throw new InternalServerErrorException('Authentication guard did not run for this route');
    }
    return auth;
  },
);
