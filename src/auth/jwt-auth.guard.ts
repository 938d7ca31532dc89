import {
  ExecutionContext,
  HttpException,
  Injectable,
  Logger,
  UnauthorizedException,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import { UnavailableDomainException } from '../common/errors/domain.exception';
import { AppConfig } from '../config/app-config';
import { IS_PUBLIC } from './decorators/public.decorator';
import { AuthContext } from './auth-context';
import { JwksStatus } from './jwks-status';
import { bearerToken, clientNameOf } from './jwt.strategy';
import { ClaimRules, claimsRefusal, refusalReason, TokenFacts, tokenFacts } from './token-refusal';
import { VerifiedTokenCache } from './verified-token-cache';

/**
 * Default-deny: every route needs a valid bearer token unless it is marked `@Public()`. Without
 * this global guard any new controller would be open to the internet.
 */
@Injectable()
export class JwtAuthGuard extends AuthGuard('jwt') {
  private readonly logger = new Logger('Auth');
  private readonly claimRules: ClaimRules;

  constructor(
    private readonly reflector: Reflector,
    private readonly verifiedTokens: VerifiedTokenCache,
    private readonly jwks: JwksStatus,
    config: AppConfig,
  ) {
    super();
    const { issuer, audience, clockToleranceSeconds } = config.auth;
    this.claimRules = { issuer, audience, clockToleranceSeconds };
  }

  override canActivate(context: ExecutionContext) {
    const isPublic = this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (isPublic) {
      return true;
    }
    // A token verified before (and still within its exp and its key's JWKS freshness) skips
    // passport, the key lookup and the signature check.
    const request = context.switchToHttp().getRequest<{
      headers: Record<string, string | string[] | undefined>;
      user?: AuthContext;
    }>();
    const token = bearerToken(request);
    const verified = token ? this.verifiedTokens.get(token) : undefined;
    if (verified) {
      request.user = { ...verified.context, clientName: clientNameOf(request) };
      return true;
    }
    return super.canActivate(context);
  }

  override handleRequest<T>(
    error: unknown,
    user: T | false,
    info: unknown,
    context: ExecutionContext,
  ): T {
    if (!error && user) {
      return user;
    }
    const refusal = error ?? info;
    const raw = rawToken(context);
    const facts = tokenFacts(raw);
    let reason = refusal instanceof HttpException ? refusal.message : refusalReason(refusal, facts);
    if (this.jwks.keysUnavailable(refusal, facts.kid)) {
      // Not the token's fault unless its claims refuse it anyway: a 401 would tell the client to
      // drop good credentials while this instance cannot read the issuer's keys.
      const claimsReason = claimsRefusal(raw, this.claimRules);
      if (claimsReason === undefined) {
        throw this.unverifiable(refusal, facts);
      }
      reason = claimsReason;
    }
    // The reason stays in the log, with what identifies the token (never the token itself).
    this.logger.log({ reason, ...facts }, 'Access token refused');
    if (error instanceof HttpException) {
      throw error;
    }
    // One answer for every way a token can be wrong: nothing for a prober to tell apart.
    throw new UnauthorizedException('The access token is missing or invalid');
  }

  /** 503 with Retry-After: the client keeps its token and retries; counted for /metrics. */
  private unverifiable(refusal: unknown, facts: TokenFacts): UnavailableDomainException {
    this.jwks.countUnverifiable();
    const rateLimited = (refusal as { name?: unknown } | undefined)?.name === 'JwksRateLimitError';
    this.logger.warn(
      {
        reason: rateLimited
          ? 'signing keys unavailable (JWKS fetches rate limited)'
          : 'signing keys unavailable (JWKS unreachable)',
        jwksError: this.jwks.current().lastError,
        ...facts,
      },
      'Access token not verified',
    );
    return new UnavailableDomainException(
      "The access token cannot be verified now: the token issuer's signing keys are " +
        'unavailable; retry after the time in Retry-After',
    );
  }
}

/** The bearer token of the Authorization header, as the refusal log reads it. */
function rawToken(context: ExecutionContext): string | undefined {
  const authorization = context.switchToHttp().getRequest<{ headers: Record<string, unknown> }>()
    .headers.authorization;
  return typeof authorization === 'string'
    ? /^Bearer\s+(\S+)/i.exec(authorization)?.[1]
    : undefined;
}
