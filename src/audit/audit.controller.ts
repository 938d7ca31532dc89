import { Controller, Get, Param } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { RequirePermissions } from '../auth/decorators/require-permissions.decorator';
import { Permission } from '../auth/permissions';
import { NotFoundDomainException } from '../common/errors/domain.exception';
import { ApiProblemResponses } from '../common/http/api-problem-responses.decorator';
import { CustomerNumberPipe } from '../common/http/parse-positive-id.pipe';
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
      '(customers:admin), across organisations; entries outlive the purge of the customer.',
    operationId: 'getProfileAuditTrail',
  })
  @ApiOkResponse({ type: [AuditEventResponseDto] })
  @ApiProblemResponses(400, 404)
  async list(
    @Param('customerNumber', CustomerNumberPipe) customerNumber: number,
  ): Promise<AuditEventResponseDto[]> {
    const rows = await this.audit.listForCustomer(customerNumber);
    if (!rows.length) {
      throw new NotFoundDomainException(`Audit trail of customer ${customerNumber}`);
    }
    return rows.map(toAuditEventResponse);
  }
}
