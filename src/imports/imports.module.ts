import { Module } from '@nestjs/common';
import { ConsentsModule } from '../consents/consents.module';
import { ProfileResourcesModule } from '../profile-resources/profile-resources.module';
import { ProfilesModule } from '../profiles/profiles.module';
import { ImportWorker } from './import-worker';
import { ImportsController } from './imports.controller';
import { ImportsRepository } from './imports.repository';
import { ImportsService } from './imports.service';

/** Data in: bulk import jobs of profiles from NDJSON, worked in batches by ImportWorker. */
@Module({
  imports: [ProfilesModule, ProfileResourcesModule, ConsentsModule],
  controllers: [ImportsController],
  providers: [ImportsService, ImportWorker, ImportsRepository],
  exports: [ImportWorker],
})
export class ImportsModule {}
