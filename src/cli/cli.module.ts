import { DynamicModule, Module } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { AppConfigModule } from '../config/config.module';
import { ClockModule } from '../common/clock/clock';
import { CustomerExportRepository } from '../customer-export/customer-export.repository';
import { ProfilesExportService } from '../customer-export/profiles-export.service';
import { DatabaseModule } from '../database/database.module';
import { ObservabilityModule } from '../observability/observability.module';
import { OrganisationsModule } from '../organisations/organisations.module';
import { AuditModule } from '../audit/audit.module';
import { EventsOutboxModule } from '../events/events-outbox.module';
import { ExpiryModule } from '../expiry/expiry.module';
import { CliOutput } from './cli-output';
import { DevClientsCommand, ListDevClientsCommand } from './dev-clients.command';
import { ExpiryCommand, ExpiryRunNowCommand } from './expiry.command';
import { ProfilesCommand, ProfilesExportCommand } from './profiles.command';
import {
  AddOrganisationCommand,
  DeactivateOrganisationCommand,
  ListOrganisationsCommand,
  OrganisationsCommand,
} from './organisations.command';

/** The admin CLI: the services it drives on the configured database, without the HTTP surface. */
@Module({})
export class CliModule {
  static forConfig(config: AppConfig): DynamicModule {
    return {
      module: CliModule,
      imports: [
        AppConfigModule.forRoot(config),
        ObservabilityModule,
        DatabaseModule,
        ClockModule,
        OrganisationsModule,
        EventsOutboxModule,
        AuditModule,
        ExpiryModule,
      ],
      providers: [
        CliOutput,
        OrganisationsCommand,
        ListOrganisationsCommand,
        AddOrganisationCommand,
        DeactivateOrganisationCommand,
        DevClientsCommand,
        ListDevClientsCommand,
        ExpiryCommand,
        ExpiryRunNowCommand,
        ProfilesExportService,
        CustomerExportRepository,
        ProfilesCommand,
        ProfilesExportCommand,
      ],
    };
  }
}
