import { Module } from '@nestjs/common';
import { ProfilesModule } from '../profiles/profiles.module';
import { ConsentsRepository } from './consents.repository';
import { ConsentsService } from './consents.service';
import { ConsentsV1Controller } from './v1/consents-v1.controller';
import { ConsentBasesController } from './v2/consent-bases.controller';
import { ConsentsV2Controller } from './v2/consents-v2.controller';
import { CrmController } from './v2/crm.controller';
import { GivenConsentsController } from './v2/given-consents.controller';

@Module({
  imports: [ProfilesModule],
  controllers: [
    ConsentBasesController,
    ConsentsV2Controller,
    GivenConsentsController,
    CrmController,
    ConsentsV1Controller,
  ],
  providers: [ConsentsRepository, ConsentsService],
  exports: [ConsentsService, ConsentsRepository],
})
export class ConsentsModule {}
