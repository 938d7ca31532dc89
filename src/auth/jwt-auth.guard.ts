import {
  ExecutionContext,
  HttpException,
  Injectable,
  Logger,
  UnauthorizedException,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import { IS_PUBLIC } from './decorators/public.decorator';
import { AuthContext } from './auth-context';
import { bearerToken, clientNameOf } from './jwt.strategy';
import { refusalReason, tokenFacts } from './token-refusal';
import { VerifiedTokenCache } from './verified-token-cache';

/**
 * Default-deny: every route needs a valid bearer token unless it is marked `@Public()`. Without
 * this global guard any new controller would be open to the internet.
 */
@Injectable()
export class JwtAuthGuard extends AuthGuard('jwt') {
  private readonly logger = new Logger('Auth');

  constructor(
    private readonly reflector: Reflector,
    private readonly verifiedTokens: VerifiedTokenCache,
  ) {
    super();
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
    this.logRefusal(error ?? info, context);
    if (error instanceof HttpException) {
      throw error;
    }
    // One answer for every way a token can be wrong: nothing for a prober to tell apart.
    throw new UnauthorizedException('The access token is missing or invalid');
  }

  /** The reason stays in the log, with what identifies the token (never the token itself). */
  private logRefusal(refusal: unknown, context: ExecutionContext): void {
    const authorization = context.switchToHttp().getRequest<{ headers: Record<string, unknown> }>()
      .headers.authorization;
    const raw =
      typeof authorization === 'string' ? /^Bearer\s+(\S+)/i.exec(authorization)?.[1] : undefined;
    const facts = tokenFacts(raw);
    const reason =
      refusal instanceof HttpException ? refusal.message : refusalReason(refusal, facts);
    this.logger.log({ reason, ...facts }, 'Access token refused');
  }
}
