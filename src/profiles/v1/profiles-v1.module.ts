import { Module } from '@nestjs/common';
import { ProfilesModule } from '../profiles.module';
import { ProfilesV1Controller } from './profiles-v1.controller';

/** The deprecated /customers/v1 profile surface (legacy consents live in ConsentsModule's v1/). */
@Module({
  imports: [ProfilesModule],
  controllers: [ProfilesV1Controller],
})
export class ProfilesV1Module {}
