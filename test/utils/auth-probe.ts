import { Controller, Get, Module } from '@nestjs/common';
import { CurrentCaller } from '../../src/auth/decorators/current-caller.decorator';
import { RequirePermissions } from '../../src/auth/decorators/require-permissions.decorator';
import { Permission } from '../../src/auth/permissions';
import { RequestCaller } from '../../src/common/http/request-caller';

export const AUTH_PROBE_PATH = '/customers/v2/auth-probe';

/**
 * A partner route that exists only in tests (`createTestApp(env, { extraModules: [AuthProbeModule] })`),
 * so the guards are proven on their own, whatever the feature routes of the day are. It sits
 * behind the same global guards as every real route and answers with the caller's context.
 */
@Controller(AUTH_PROBE_PATH.slice(1))
class AuthProbeController {
  @Get()
  @RequirePermissions(Permission.CustomersRead)
  probe(@CurrentCaller() caller: RequestCaller) {
    return {
      organisationId: caller.organisationId,
      clientId: caller.clientId,
      clientName: caller.clientName ?? null,
      permissions: [...caller.permissions].sort(),
    };
  }
}

@Module({ controllers: [AuthProbeController] })
export class AuthProbeModule {}
