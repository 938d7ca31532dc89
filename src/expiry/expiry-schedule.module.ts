import { Module } from '@nestjs/common';
import { ExpiryJob } from './expiry.job';
import { ExpiryModule } from './expiry.module';

/** The expiry schedule; imported only when expiry is enabled (EXPIRY_ENABLED). */
@Module({
  imports: [ExpiryModule],
  providers: [ExpiryJob],
})
export class ExpiryScheduleModule {}
