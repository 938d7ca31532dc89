import { ExecutionContext, Injectable } from '@nestjs/common';
import { normalizeIp, ThrottlerGuard, ThrottlerLimitDetail } from '@nestjs/throttler';
import { AuthContext } from './auth-context';
import { tooManyRequests } from './too-many-requests';

/**
 * Rate limits per OAuth client across all routes: one budget per client, whatever it calls (per
 * address for public routes). Runs after authentication, so the client is the token's.
 */
@Injectable()
export class ClientThrottlerGuard extends ThrottlerGuard {
  protected override async getTracker(request: {
    user?: AuthContext;
    ip?: string;
  }): Promise<string> {
    return request.user
      ? `client:${request.user.clientId}`
      : `ip:${request.ip ? normalizeIp(request.ip) : 'unknown'}`;
  }

  /** One bucket per tracker: the default key also names the route, one budget per route. */
  protected override generateKey(_context: ExecutionContext, tracker: string, name: string) {
    return `${name}:${tracker}`;
  }

  protected override async throwThrottlingException(
    _context: ExecutionContext,
    detail: ThrottlerLimitDetail,
  ): Promise<void> {
    throw tooManyRequests(detail.timeToBlockExpire);
  }
}
