import { Module } from '@nestjs/common';
import { ConsentsModule } from '../consents/consents.module';
import { ProfileResourcesModule } from '../profile-resources/profile-resources.module';
import { ProfilesModule } from '../profiles/profiles.module';
import { ProfileMergeController } from './profile-merge.controller';
import { ProfileMergeService } from './profile-merge.service';

/**
 * Joining two customers of an organisation: connecting a temporary profile into a permanent one,
 * and merging two permanent ones. It sits above profiles, their sub-resources and consents, and
 * moves each one's rows through that module's own repository or service.
 */
@Module({
  imports: [ProfilesModule, ProfileResourcesModule, ConsentsModule],
  controllers: [ProfileMergeController],
  providers: [ProfileMergeService],
})
export class ProfileMergeModule {}
