import {
  createParamDecorator,
  ExecutionContext,
  InternalServerErrorException,
} from '@nestjs/common';
import { RequestCaller } from '../../common/http/request-caller';
import { AuthContext } from '../auth-context';

/**
 * The verified caller and the request's correlation id. Throws (500) when no guard has set the
 * caller, so a route that lost its guard fails loudly instead of acting for an `undefined`
 * organisation.
 */
export const CurrentCaller = createParamDecorator(
  (_: unknown, ctx: ExecutionContext): RequestCaller => {
    const request = ctx.switchToHttp().getRequest<{ user?: AuthContext; id: unknown }>();
    const auth = request.user;
    if (!auth) {
      throw new InternalServerErrorException('Authentication guard did not run for this route');
    }
    return {
      organisationId: auth.organisationId,
      clientId: auth.clientId,
      clientName: auth.clientName,
      correlationId: String(request.id),
      permissions: auth.permissions,
    };
  },
);
