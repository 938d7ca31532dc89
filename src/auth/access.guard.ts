import { CanActivate, ExecutionContext, ForbiddenException, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthContext } from './auth-context';
import { IS_PUBLIC } from './decorators/public.decorator';
import { OrganisationStatus } from './organisation-status';
import { PLATFORM_ROUTE, REQUIRED_PERMISSIONS } from './decorators/require-permissions.decorator';

/**
 * After authentication: the route's declared permission, and an active, registered organisation
 * for partner routes. A route that declares no permission is refused, so forgetting to declare one
 * closes the route instead of opening it.
 */
@Injectable()
export class AccessGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly organisations: OrganisationStatus,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) {
      return true;
    }
    const auth = context.switchToHttp().getRequest<{ user: AuthContext }>().user;
    const required = this.reflector.getAllAndOverride<string[]>(REQUIRED_PERMISSIONS, targets);
    if (!required?.length) {
      throw new ForbiddenException('This route declares no permission and is closed');
    }
    if (!required.some((permission) => auth.permissions.has(permission))) {
      throw new ForbiddenException(`This operation needs the permission ${required.join(' or ')}`);
    }
    if (!this.reflector.getAllAndOverride<boolean>(PLATFORM_ROUTE, targets)) {
      const active = await this.organisations.isActive(auth.organisationId);
      if (!active) {
        throw new ForbiddenException(
          `Organisation ${auth.organisationId} is not registered or not active`,
        );
      }
    }
    return true;
  }
}
