import { Module } from '@nestjs/common';
import { ExpiryService } from './expiry.service';

/** Deleting expired temporary and purge-due profiles for good; its timer is ExpiryScheduleModule. */
@Module({
  providers: [ExpiryService],
  exports: [ExpiryService],
})
export class ExpiryModule {}
