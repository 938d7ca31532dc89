import { Module } from '@nestjs/common';
import { ConsentsModule } from '../consents/consents.module';
import { ProfilesModule } from '../profiles/profiles.module';
import { CustomerExportController } from './customer-export.controller';
import { CustomerExportRepository } from './customer-export.repository';
import { CustomerExportService } from './customer-export.service';
import { ProfilesExportController } from './profiles-export.controller';
import { ProfilesExportService } from './profiles-export.service';

/** Data out: the access export of one customer and the bulk export of an organisation. */
@Module({
  imports: [ProfilesModule, ConsentsModule],
  controllers: [CustomerExportController, ProfilesExportController],
  providers: [CustomerExportService, ProfilesExportService, CustomerExportRepository],
  exports: [ProfilesExportService],
})
export class CustomerExportModule {}
