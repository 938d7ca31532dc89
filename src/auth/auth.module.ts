import { Module } from '@nestjs/common';
import { PassportModule } from '@nestjs/passport';
import { AccessGuard } from './access.guard';
import { ClientThrottlerGuard } from './client-throttler.guard';
import { JwksStatus, JwksStatusModule } from './jwks-status';
import { JwtAuthGuard } from './jwt-auth.guard';
import { JwtStrategy } from './jwt.strategy';
import { LimitedAuthenticationGuard } from './limited-authentication.guard';
import { VerifiedTokenCache } from './verified-token-cache';
import { AppConfig } from '../config/app-config';

@Module({
  imports: [PassportModule, JwksStatusModule],
  providers: [
    JwtStrategy,
    JwtAuthGuard,
    LimitedAuthenticationGuard,
    AccessGuard,
    ClientThrottlerGuard,
    {
      provide: VerifiedTokenCache,
      inject: [AppConfig, JwksStatus],
      useFactory: (config: AppConfig, jwks: JwksStatus) =>
        new VerifiedTokenCache({
          clockToleranceSeconds: config.auth.clockToleranceSeconds,
          jwksCacheMs: config.auth.jwksCacheMs,
          keySeenAt: (kid) => jwks.keySeenAt(kid),
        }),
    },
  ],
  exports: [
    JwtAuthGuard,
    LimitedAuthenticationGuard,
    AccessGuard,
    ClientThrottlerGuard,
    JwksStatusModule,
  ],
})
export class AuthModule {}
