import { Module } from '@nestjs/common';
import { ProfilesModule } from '../profiles/profiles.module';
import { CredentialsController } from './credentials.controller';
import { CredentialsService } from './credentials.service';
import { SignInAttemptsRepository } from './sign-in-attempts.repository';
import { SignInLimiter } from './sign-in-limiter';

/** Customer sign-in (verify credentials) and password changes. */
@Module({
  imports: [ProfilesModule],
  controllers: [CredentialsController],
  providers: [CredentialsService, SignInLimiter, SignInAttemptsRepository],
})
export class CredentialsModule {}
