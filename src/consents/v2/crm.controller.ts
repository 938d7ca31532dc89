import { Controller, Get, Query, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { FastifyReply } from 'fastify';
import { AuthContext } from '../../auth/auth-context';
import { CurrentAuth } from '../../auth/decorators/current-auth.decorator';
import { RequirePermissions } from '../../auth/decorators/require-permissions.decorator';
import { Permission } from '../../auth/permissions';
import { ApiProblemResponses } from '../../common/http/api-problem-responses.decorator';
import { ConsentsService } from '../consents.service';
import { toCrmResponse } from './consents-v2.mapper';
import { ConsentCrmResponseDto, CrmQueryDto } from './dto/crm.dto';
import { ApiClientHeaders } from '../../common/http/api-client-headers.decorator';

@ApiTags('Consents DWH')
@ApiClientHeaders()
@Controller('customers/v2/consents/crm')
export class CrmController {
  constructor(private readonly consents: ConsentsService) {}

  @Get()
  @RequirePermissions(Permission.ConsentsRead)
  @ApiOperation({
    summary: "Export the organisation's given consents for its data warehouse",
    description:
      'One JSON array, streamed from a database cursor: it works for millions of rows. ' +
      'Contact data only when asked for (includeEmail, includeTelephoneNumber). Consents of a ' +
      'deactivated profile (status D, deleted for partners while it waits for its purge) and of ' +
      'an expired temporary profile are left out; a restored profile is exported again.',
    operationId: 'findAllGivenConsents',
  })
  @ApiOkResponse({ type: [ConsentCrmResponseDto] })
  @ApiProblemResponses(400)
  export(
    @CurrentAuth() auth: AuthContext,
    @Query() query: CrmQueryDto,
    @Res() reply: FastifyReply,
  ): void {
    const options = {
      consentIds: query.consentIds,
      includeEmail: query.includeEmail ?? false,
      includeTelephoneNumber: query.includeTelephoneNumber ?? false,
    };
    const body = this.consents.exportForCrm(auth.organisationId, options, (row) =>
      toCrmResponse(row, options),
    );
    void reply.status(200).header('content-type', 'application/json; charset=utf-8').send(body);
  }
}
