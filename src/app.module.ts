import { DynamicModule, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ScheduleModule } from '@nestjs/schedule';
import { ThrottlerModule } from '@nestjs/throttler';
import { AccessGuard } from './auth/access.guard';
import { AuthModule } from './auth/auth.module';
import { ClientThrottlerGuard } from './auth/client-throttler.guard';
import { JwtAuthGuard } from './auth/jwt-auth.guard';
import { AppConfig } from './config/app-config';
import { AppConfigModule } from './config/config.module';
import { DatabaseModule } from './database/database.module';
import { DevIssuerModule } from './dev-issuer/dev-issuer.module';
import { HealthModule } from './health/health.module';
import { ObservabilityModule } from './observability/observability.module';
import { OrganisationsModule } from './organisations/organisations.module';
import { ProfilesModule } from './profiles/profiles.module';

@Module({})
export class AppModule {
  /** The whole service for one validated configuration (tests build it with their own). */
  static forConfig(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        AppConfigModule.forRoot(config),
        ObservabilityModule,
        DatabaseModule,
        ThrottlerModule.forRoot({
          throttlers: [{ name: 'client', ttl: 60_000, limit: config.rateLimitPerMinute }],
        }),
        ...(config.expiry.enabled ? [ScheduleModule.forRoot()] : []),
        AuthModule,
        OrganisationsModule,
        HealthModule,
        ProfilesModule,
        ...(config.auth.devIssuer.enabled ? [DevIssuerModule] : []),
      ],
      // Order matters: authenticate, then authorise, then count the request against its client.
      providers: [
        { provide: APP_GUARD, useExisting: JwtAuthGuard },
        { provide: APP_GUARD, useExisting: AccessGuard },
        { provide: APP_GUARD, useExisting: ClientThrottlerGuard },
      ],
    };
  }
}
