import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { ProfilesModule } from '../profiles/profiles.module';
import { HealthController } from './health.controller';

@Module({
  imports: [TerminusModule.forRoot({ logger: false }), ProfilesModule],
  controllers: [HealthController],
})
export class HealthModule {}
