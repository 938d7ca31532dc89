import { Module } from '@nestjs/common';
import { ProfilesModule } from '../profiles/profiles.module';
import { TemporaryProfilesController } from './temporary-profiles.controller';
import { TemporaryProfilesService } from './temporary-profiles.service';

/** Temporary profiles: created, read, replaced, deleted and converted to permanent ones. */
@Module({
  imports: [ProfilesModule],
  controllers: [TemporaryProfilesController],
  providers: [TemporaryProfilesService],
  exports: [TemporaryProfilesService],
})
export class TemporaryProfilesModule {}
