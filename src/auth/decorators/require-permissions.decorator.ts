import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiBearerAuth, ApiExtension } from '@nestjs/swagger';
import { ApiProblemResponses } from '../../common/http/api-problem-responses.decorator';
import { Permission } from '../permissions';

export const REQUIRED_PERMISSIONS = 'auth:requiredPermissions';
/** Routes for the platform operator: not bound to the caller's organisation being registered. */
export const PLATFORM_ROUTE = 'auth:platformRoute';

/**
 * The permission a route needs (any one of those given), its bearer-auth documentation and its
 * 401/403 responses, in one decorator so the rule and the contract cannot disagree.
 */
export function RequirePermissions(...permissions: [Permission, ...Permission[]]) {
  return applyDecorators(
    SetMetadata(REQUIRED_PERMISSIONS, permissions),
    ...(permissions.includes('customers:admin') && permissions.length === 1
      ? [SetMetadata(PLATFORM_ROUTE, true)]
      : []),
    ApiBearerAuth(),
    ApiExtension('x-permissions', permissions),
    ApiProblemResponses(401, 403, 429),
  );
}
