import { Module } from '@nestjs/common';
import { ProfilesRepository } from './profiles.repository';

/**
 * The profiles table's data access alone, for modules that need its statements without the
 * profile services (the expiry job, which the admin CLI runs without the HTTP features).
 */
@Module({
  providers: [ProfilesRepository],
  exports: [ProfilesRepository],
})
export class ProfilesRepositoryModule {}
