import { Module } from '@nestjs/common';
import { ProfilesRepositoryModule } from '../profiles/profiles-repository.module';
import { ExpiryService } from './expiry.service';

/** Deleting expired temporary and purge-due profiles for good; its timer is ExpiryScheduleModule. */
@Module({
  imports: [ProfilesRepositoryModule],
  providers: [ExpiryService],
  exports: [ExpiryService],
})
export class ExpiryModule {}
