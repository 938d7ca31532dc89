import { Injectable } from '@nestjs/common';
import { ThrottlerGuard } from '@nestjs/throttler';
import { AuthContext } from './auth-context';

/** Rate limits per OAuth client (per address for unauthenticated routes). */
@Injectable()
export class ClientThrottlerGuard extends ThrottlerGuard {
  protected override async getTracker(request: {
    user?: AuthContext;
    ip?: string;
  }): Promise<string> {
    return request.user ? `client:${request.user.clientId}` : `ip:${request.ip ?? 'unknown'}`;
  }
}
