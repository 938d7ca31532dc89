import { Module } from '@nestjs/common';
import { PassportModule } from '@nestjs/passport';
import { OrganisationsModule } from '../organisations/organisations.module';
import { AccessGuard } from './access.guard';
import { ClientThrottlerGuard } from './client-throttler.guard';
import { JwksStatus } from './jwks-status';
import { JwtAuthGuard } from './jwt-auth.guard';
import { JwtStrategy } from './jwt.strategy';
import { LimitedAuthenticationGuard } from './limited-authentication.guard';

@Module({
  imports: [PassportModule, OrganisationsModule],
  providers: [
    JwtStrategy,
    JwtAuthGuard,
    LimitedAuthenticationGuard,
    AccessGuard,
    ClientThrottlerGuard,
    JwksStatus,
  ],
  exports: [
    JwtAuthGuard,
    LimitedAuthenticationGuard,
    AccessGuard,
    ClientThrottlerGuard,
    JwksStatus,
  ],
})
export class AuthModule {}
