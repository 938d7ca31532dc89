import { Controller, Get, Param, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { FastifyReply } from 'fastify';
import { CurrentCaller } from '../auth/decorators/current-caller.decorator';
import { RequestCaller } from '../common/http/request-caller';
import { RequirePermissions } from '../auth/decorators/require-permissions.decorator';
import { Permission } from '../auth/permissions';
import { ApiClientHeaders } from '../common/http/api-client-headers.decorator';
import { ApiProblemResponses } from '../common/http/api-problem-responses.decorator';
import { CustomerNumberPipe } from '../common/http/parse-positive-id.pipe';
import { CustomerExportService } from './customer-export.service';
import { CustomerExportResponseDto } from './dto/customer-export.dto';

@ApiTags('Data export')
@ApiClientHeaders()
@Controller('customers/v2/profiles')
export class CustomerExportController {
  constructor(private readonly exports: CustomerExportService) {}

  @Get(':customerNumber/export')
  @RequirePermissions(Permission.CustomersExport)
  @ApiOperation({
    summary: 'Everything held about one customer (GDPR access and portability)',
    description:
      'One JSON document for a GDPR access request (article 15) or a move to another service ' +
      '(article 20): the profile, every sub-resource, each given consent with the consent and ' +
      'terms version answered and its full history, and the audit trail of the customer in the ' +
      "caller's organisation (field names, never values). Read in one snapshot and streamed. " +
      'Needs customers:export; each export is itself audited (PROFILE_EXPORTED). Permanent and ' +
      'temporary profiles alike; a temporary profile that has expired answers 404.',
    operationId: 'exportCustomer',
  })
  @ApiOkResponse({ type: CustomerExportResponseDto })
  @ApiProblemResponses(400, 404)
  async export(
    @CurrentCaller() caller: RequestCaller,
    @Param('customerNumber', CustomerNumberPipe) customerNumber: number,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const body = await this.exports.export(caller, customerNumber);
    void reply
      .status(200)
      .header('content-type', 'application/json; charset=utf-8')
      .header('cache-control', 'no-store')
      .send(body);
  }
}
