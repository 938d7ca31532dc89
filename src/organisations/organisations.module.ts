import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { OrganisationStatus } from '../auth/organisation-status';
import { Organisation } from './organisation.entity';
import { OrganisationsController } from './organisations.controller';
import { OrganisationsService } from './organisations.service';

/** The organisation registry; global so the access guard finds its OrganisationStatus. */
@Global()
@Module({
  imports: [TypeOrmModule.forFeature([Organisation])],
  controllers: [OrganisationsController],
  providers: [
    OrganisationsService,
    { provide: OrganisationStatus, useExisting: OrganisationsService },
  ],
  exports: [OrganisationsService, OrganisationStatus],
})
export class OrganisationsModule {}
