import { Module } from '@nestjs/common';
import { ConsentsModule } from '../consents/consents.module';
import { ProfilesModule } from '../profiles/profiles.module';
import { CustomerExportController } from './customer-export.controller';
import { CustomerExportService } from './customer-export.service';

/** Data out: the access export of one customer. */
@Module({
  imports: [ProfilesModule, ConsentsModule],
  controllers: [CustomerExportController],
  providers: [CustomerExportService],
})
export class CustomerExportModule {}
