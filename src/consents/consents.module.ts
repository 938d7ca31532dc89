import { Module } from '@nestjs/common';
import { ProfilesModule } from '../profiles/profiles.module';
import { ConsentBasesRepository } from './bases/consent-bases.repository';
import { ConsentBasesService } from './bases/consent-bases.service';
import { ConsentsRepository } from './consents.repository';
import { ConsentsService } from './consents.service';
import { ConsentsCrmExportService } from './crm/consents-crm-export.service';
import { GivenConsentHistoryRepository } from './given/given-consent-history.repository';
import { GivenConsentsRepository } from './given/given-consents.repository';
import { GivenConsentsService } from './given/given-consents.service';
import { ConsentsV1Controller } from './v1/consents-v1.controller';
import { ConsentBasesController } from './v2/consent-bases.controller';
import { ConsentsV2Controller } from './v2/consents-v2.controller';
import { CrmController } from './v2/crm.controller';
import { GivenConsentsController } from './v2/given-consents.controller';

/**
 * Consent bases, an organisation's consents, its customers' given consents (with their history)
 * and the CRM export: a service and a repository per aggregate. Other features record and read
 * given consents through `GivenConsentsService`.
 */
@Module({
  imports: [ProfilesModule],
  controllers: [
    ConsentBasesController,
    ConsentsV2Controller,
    GivenConsentsController,
    CrmController,
    ConsentsV1Controller,
  ],
  providers: [
    ConsentBasesRepository,
    ConsentBasesService,
    ConsentsRepository,
    ConsentsService,
    GivenConsentsRepository,
    GivenConsentHistoryRepository,
    GivenConsentsService,
    ConsentsCrmExportService,
  ],
  exports: [GivenConsentsService],
})
export class ConsentsModule {}
