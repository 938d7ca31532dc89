import { ExecutionContext, HttpException, Injectable, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import { IS_PUBLIC } from './decorators/public.decorator';

/**
 * Default-deny: every route needs a valid bearer token unless it is marked `@Public()`. Without
 * this global guard any new controller would be open to the internet.
 */
@Injectable()
export class JwtAuthGuard extends AuthGuard('jwt') {
  constructor(private readonly reflector: Reflector) {
    super();
  }

  override canActivate(context: ExecutionContext) {
    const isPublic = this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [
      context.getHandler(),
      context.getClass(),
    ]);
    return isPublic ? true : super.canActivate(context);
  }

  override handleRequest<T>(error: unknown, user: T | false): T {
    if (error instanceof HttpException) {
      throw error;
    }
    if (error || !user) {
      // One answer for every way a token can be wrong: nothing for a prober to tell apart.
      throw new UnauthorizedException('The access token is missing or invalid');
    }
    return user;
  }
}
