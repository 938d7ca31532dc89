import { DynamicModule, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ScheduleModule } from '@nestjs/schedule';
import { ThrottlerModule } from '@nestjs/throttler';
import { AccessGuard } from './auth/access.guard';
import { AuthModule } from './auth/auth.module';
import { ClientThrottlerGuard } from './auth/client-throttler.guard';
import { LimitedAuthenticationGuard } from './auth/limited-authentication.guard';
import { RateLimitStorage, RateLimitStorageModule } from './auth/rate-limit-storage';
import { AppConfig } from './config/app-config';
import { AppConfigModule } from './config/config.module';
import { DatabaseModule } from './database/database.module';
import { DevIssuerModule } from './dev-issuer/dev-issuer.module';
import { HealthModule } from './health/health.module';
import { ObservabilityModule } from './observability/observability.module';
import { OrganisationsModule } from './organisations/organisations.module';
import { PasswordsModule } from './passwords/passwords.module';
import { ProfilesModule } from './profiles/profiles.module';
import { AuditModule } from './audit/audit.module';
import { ClockModule } from './common/clock/clock';
import { ConsentsModule } from './consents/consents.module';
import { CustomerExportModule } from './customer-export/customer-export.module';
import { DuplicatesModule } from './duplicates/duplicates.module';
import { EventsModule } from './events/events.module';
import { EventPublisherModule } from './events/publisher/event-publisher.module';
import { CredentialsModule } from './credentials/credentials.module';
import { ExpiryModule } from './expiry/expiry.module';
import { ExpiryScheduleModule } from './expiry/expiry-schedule.module';
import { ImportsModule } from './imports/imports.module';
import { IdempotencyModule } from './idempotency/idempotency.module';
import { ProfilesV1Module } from './profiles/v1/profiles-v1.module';
import { ProfileMergeModule } from './profile-merge/profile-merge.module';
import { ProfileResourcesModule } from './profile-resources/profile-resources.module';
import { TemporaryProfilesModule } from './temporary-profiles/temporary-profiles.module';
import { WebhooksModule } from './webhooks/webhooks.module';

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
        // Named 'default' so the headers are the standard ones (Retry-After, X-RateLimit-Limit).
        ThrottlerModule.forRootAsync({
          imports: [RateLimitStorageModule],
          inject: [RateLimitStorage],
          useFactory: (storage: RateLimitStorage) => ({
            throttlers: [{ name: 'default', ttl: 60_000, limit: config.rateLimitPerMinute }],
            storage,
          }),
        }),
        ClockModule,
        PasswordsModule,
        AuthModule,
        OrganisationsModule,
        HealthModule,
        EventsModule,
        EventPublisherModule,
        AuditModule,
        IdempotencyModule,
        ProfilesModule,
        CredentialsModule,
        ProfileResourcesModule,
        TemporaryProfilesModule,
        ConsentsModule,
        CustomerExportModule,
        ImportsModule,
        DuplicatesModule,
        ProfileMergeModule,
        ProfilesV1Module,
        WebhooksModule,
        ExpiryModule,
        ...(config.expiry.enabled ? [ScheduleModule.forRoot(), ExpiryScheduleModule] : []),
        ...(config.auth.devIssuer.enabled ? [DevIssuerModule] : []),
      ],
      // Order matters: authenticate (failures counted per address), then authorise, then count the
      // request against its client.
      providers: [
        { provide: APP_GUARD, useExisting: LimitedAuthenticationGuard },
        { provide: APP_GUARD, useExisting: AccessGuard },
        { provide: APP_GUARD, useExisting: ClientThrottlerGuard },
      ],
    };
  }
}
