import { Module } from '@nestjs/common';
import { TemporaryProfilesModule } from '../temporary-profiles/temporary-profiles.module';
import { ExpiryJob } from './expiry.job';

/** The expiry schedule; imported only when expiry is enabled (EXPIRY_ENABLED). */
@Module({
  imports: [TemporaryProfilesModule],
  providers: [ExpiryJob],
})
export class ExpiryModule {}
