import { Module } from '@nestjs/common';
import { PasswordHasher } from '../credentials/password-hasher';
import { ExpiryService } from '../expiry/expiry.service';
import { ProfilesModule } from '../profiles/profiles.module';
import { TemporaryProfilesController } from './temporary-profiles.controller';
import { TemporaryProfilesService } from './temporary-profiles.service';

/**
 * Temporary profiles, and the service that deletes expired and purge-due profiles for good. That
 * service lives here, not in ExpiryModule, so it exists (and tests can call it) even where the
 * schedule is switched off; ExpiryModule only adds the timer.
 */
@Module({
  imports: [ProfilesModule],
  controllers: [TemporaryProfilesController],
  providers: [TemporaryProfilesService, ExpiryService, PasswordHasher],
  exports: [TemporaryProfilesService, ExpiryService],
})
export class TemporaryProfilesModule {}
