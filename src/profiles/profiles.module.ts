import { Module } from '@nestjs/common';
import { ProfileAccessService } from './profile-access.service';
import { ProfilesController } from './profiles.controller';
import { ProfilesRepositoryModule } from './profiles-repository.module';
import { ProfilesService } from './profiles.service';

@Module({
  imports: [ProfilesRepositoryModule],
  controllers: [ProfilesController],
  providers: [ProfileAccessService, ProfilesService],
  exports: [ProfileAccessService, ProfilesService, ProfilesRepositoryModule],
})
export class ProfilesModule {}
