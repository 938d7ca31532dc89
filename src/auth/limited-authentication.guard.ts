import { CanActivate, ExecutionContext, HttpException, Injectable } from '@nestjs/common';
import { InjectThrottlerStorage, normalizeIp, ThrottlerStorage } from '@nestjs/throttler';
import { FastifyRequest } from 'fastify';
import { isObservable, lastValueFrom } from 'rxjs';
import { AppConfig } from '../config/app-config';
import { JwtAuthGuard } from './jwt-auth.guard';
import { tooManyRequests } from './too-many-requests';

const WINDOW_MS = 60_000;

/**
 * Authenticates (JwtAuthGuard) and limits requests that fail authentication per remote address
 * (the socket's peer, or X-Forwarded-For only from proxies in TRUST_PROXY): past the allowance a
 * failing request gets 429 instead of 401 until the window ends. Without it, requests with no or
 * a forged token were never limited: the per-client limit needs a client. Requests that do
 * authenticate are not held back by their address, so a client behind the same NAT as a prober
 * keeps working.
 */
@Injectable()
export class LimitedAuthenticationGuard implements CanActivate {
  constructor(
    private readonly authentication: JwtAuthGuard,
    @InjectThrottlerStorage() private readonly storage: ThrottlerStorage,
    private readonly config: AppConfig,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    try {
      const result = this.authentication.canActivate(context);
      return isObservable(result) ? await lastValueFrom(result) : await result;
    } catch (error) {
      if (error instanceof HttpException && error.getStatus() === 401) {
        await this.countFailure(context.switchToHttp().getRequest<FastifyRequest>());
      }
      throw error;
    }
  }

  private async countFailure(request: FastifyRequest): Promise<void> {
    const { isBlocked, timeToBlockExpire } = await this.storage.increment(
      `unauthenticated:${normalizeIp(request.ip)}`,
      WINDOW_MS,
      this.config.failedAuthPerMinute,
      WINDOW_MS,
      'unauthenticated',
    );
    if (isBlocked) {
      throw tooManyRequests(timeToBlockExpire);
    }
  }
}
