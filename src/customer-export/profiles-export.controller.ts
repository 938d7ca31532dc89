import { Controller, Get, Query, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { FastifyReply } from 'fastify';
import { CurrentCaller } from '../auth/decorators/current-caller.decorator';
import { RequestCaller } from '../common/http/request-caller';
import { RequirePermissions } from '../auth/decorators/require-permissions.decorator';
import { Permission } from '../auth/permissions';
import { ApiClientHeaders } from '../common/http/api-client-headers.decorator';
import { ApiProblemResponses } from '../common/http/api-problem-responses.decorator';
import { ProfileResponseDto } from '../profiles/dto/profile-response.dto';
import { ExportProfilesQueryDto } from './dto/export-profiles-query.dto';
import { ProfilesExportService } from './profiles-export.service';

export const NDJSON = 'application/x-ndjson';

@ApiTags('Data export')
@ApiClientHeaders()
@Controller('customers/v2/exports')
export class ProfilesExportController {
  constructor(private readonly exports: ProfilesExportService) {}

  @Get('profiles')
  @RequirePermissions(Permission.CustomersExport)
  @ApiOperation({
    summary: "Export the organisation's profiles as NDJSON",
    description:
      'One profile per line (as GET /profiles/{customerNumber} returns it), ordered by ' +
      'customerNumber, streamed from a database cursor in one snapshot: it works for millions ' +
      'of profiles with constant memory. Every search filter is optional here (none: every ' +
      'active permanent profile); changedSince gives an incremental feed. The same export on ' +
      'the command line: `npm run export -- --organisation N > profiles.ndjson`.',
    operationId: 'exportProfiles',
  })
  @ApiProduces(NDJSON)
  @ApiOkResponse({
    description: 'One JSON profile per line',
    content: { [NDJSON]: { schema: { $ref: '#/components/schemas/ProfileResponseDto' } } },
    type: ProfileResponseDto,
  })
  @ApiProblemResponses(400)
  export(
    @CurrentCaller() caller: RequestCaller,
    @Query() query: ExportProfilesQueryDto,
    @Res() reply: FastifyReply,
  ): void {
    const body = this.exports.export(caller.organisationId, query);
    void reply
      .status(200)
      .header('content-type', `${NDJSON}; charset=utf-8`)
      .header('cache-control', 'no-store')
      .send(body);
  }
}
