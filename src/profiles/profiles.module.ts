import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ProfileAccessService } from './profile-access.service';
import { Profile } from './profile.entity';
import { ProfilesController } from './profiles.controller';
import { ProfilesRepositoryModule } from './profiles-repository.module';
import { ProfilesService } from './profiles.service';

@Module({
  imports: [TypeOrmModule.forFeature([Profile]), ProfilesRepositoryModule],
  controllers: [ProfilesController],
  providers: [ProfileAccessService, ProfilesService],
  exports: [ProfileAccessService, ProfilesService, ProfilesRepositoryModule],
})
export class ProfilesModule {}
