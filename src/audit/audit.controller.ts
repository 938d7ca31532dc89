import { Controller, Get, Param, Query, Req, Res } from '@nestjs/common';
import { FastifyReply, FastifyRequest } from 'fastify';
import { linkNextPage, NEXT_PAGE_LINK_HEADER } from '../common/http/page-cursor';
import { PageQueryDto, pageOf } from '../common/http/page-query.dto';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { RequirePermissions } from '../auth/decorators/require-permissions.decorator';
import { Permission } from '../auth/permissions';
import { NotFoundDomainException } from '../common/errors/domain.exception';
import { ApiProblemResponses } from '../common/http/api-problem-responses.decorator';
import { CustomerNumberPipe } from '../common/http/parse-positive-id.pipe';
import { AuditEventRow } from './audit-events.repository';
import { AuditService } from './audit.service';
import { AuditEventResponseDto, toAuditEventResponse } from './dto/audit-event-response.dto';
import { ApiClientHeaders } from '../common/http/api-client-headers.decorator';

@ApiTags('Audit admin')
@ApiClientHeaders()
@Controller('customers/v2/profiles')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get(':customerNumber/audit')
  @RequirePermissions(Permission.CustomersAdmin)
  @ApiOperation({
    summary: "A customer's audit trail",
    description:
      'Every change to the customer, oldest first: operation, changed field names, client, ' +
      'ET-Client-Name, changedBy, channel and time. Never the values. For the platform operator ' +
      '(customers:admin), across organisations; entries outlive the purge of the customer. ' +
      'Pages of maxResultSet (default 1000); a full page links the next one.',
    operationId: 'getProfileAuditTrail',
  })
  @ApiOkResponse({ type: [AuditEventResponseDto], headers: NEXT_PAGE_LINK_HEADER })
  @ApiProblemResponses(400, 404)
  async list(
    @Param('customerNumber', CustomerNumberPipe) customerNumber: number,
    @Query() query: PageQueryDto,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<AuditEventResponseDto[]> {
    const page = pageOf(query, 1000);
    const rows = await this.audit.listForCustomer(customerNumber, page);
    // A later page may be empty; no entry at all means no such customer was ever audited.
    if (!rows.length && query.cursor === undefined) {
      throw new NotFoundDomainException(`Audit trail of customer ${customerNumber}`);
    }
    linkNextPage(reply, request.url, rows, page.limit, (row: AuditEventRow) => row.id);
    return rows.map(toAuditEventResponse);
  }
}
