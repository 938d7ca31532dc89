import { Controller, Get, Query, Req, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { FastifyReply, FastifyRequest } from 'fastify';
import { CurrentCaller } from '../../auth/decorators/current-caller.decorator';
import { RequirePermissions } from '../../auth/decorators/require-permissions.decorator';
import { Permission } from '../../auth/permissions';
import { ApiProblemResponses } from '../../common/http/api-problem-responses.decorator';
import { CrmExportOptions } from '../consent.model';
import { RequestCaller } from '../../common/http/request-caller';
import { ConsentsCrmExportService } from '../crm/consents-crm-export.service';
import { CrmExportRow } from '../given/given-consents.repository';
import { linkNextPage, NEXT_PAGE_LINK_HEADER } from '../../common/http/page-cursor';
import { Page, PAGE_SIZE_LIMIT, pageOf } from '../../common/http/page-query.dto';
import { toCrmResponse } from './consents-v2.mapper';
import { ConsentCrmResponseDto, CrmQueryDto } from './dto/crm.dto';
import { ApiClientHeaders } from '../../common/http/api-client-headers.decorator';

@ApiTags('Consents DWH')
@ApiClientHeaders()
@Controller('customers/v2/consents/crm')
export class CrmController {
  constructor(private readonly crmExport: ConsentsCrmExportService) {}

  @Get()
  @RequirePermissions(Permission.ConsentsRead)
  @ApiOperation({
    summary: "Export the organisation's given consents for its data warehouse",
    description:
      'One JSON array, streamed from a database cursor: it works for millions of rows. ' +
      'Contact data only when asked for (includeEmail, includeTelephoneNumber). Consents of a ' +
      'deactivated profile (status D, deleted for partners while it waits for its purge) and of ' +
      'an expired temporary profile are left out; a restored profile is exported again. With ' +
      'maxResultSet (or a cursor) one page in given-consent id order instead of everything; a ' +
      'full page links the next one.',
    operationId: 'findAllGivenConsents',
  })
  @ApiOkResponse({ type: [ConsentCrmResponseDto], headers: NEXT_PAGE_LINK_HEADER })
  @ApiProblemResponses(400)
  export(
    @CurrentCaller() caller: RequestCaller,
    @Query() query: CrmQueryDto,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> | void {
    const options = {
      consentIds: query.consentIds,
      includeEmail: query.includeEmail ?? false,
      includeTelephoneNumber: query.includeTelephoneNumber ?? false,
    };
    if (query.maxResultSet !== undefined || query.cursor !== undefined) {
      return this.page(
        caller,
        { ...options, page: pageOf(query, PAGE_SIZE_LIMIT) },
        request,
        reply,
      );
    }
    const body = this.crmExport.stream(caller, options, (row) => toCrmResponse(row, options));
    void reply.status(200).header('content-type', 'application/json; charset=utf-8').send(body);
  }

  private async page(
    caller: RequestCaller,
    options: CrmExportOptions & { page: Page },
    request: FastifyRequest,
    reply: FastifyReply,
  ): Promise<void> {
    const rows = await this.crmExport.page(caller, options);
    linkNextPage(reply, request.url, rows, options.page.limit, (row: CrmExportRow) =>
      String(row.given_consent_id),
    );
    void reply.status(200).send(rows.map((row) => toCrmResponse(row, options)));
  }
}
