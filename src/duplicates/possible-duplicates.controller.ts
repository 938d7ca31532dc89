import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentCaller } from '../auth/decorators/current-caller.decorator';
import { RequestCaller } from '../common/http/request-caller';
import { RequirePermissions } from '../auth/decorators/require-permissions.decorator';
import { Permission } from '../auth/permissions';
import { ApiClientHeaders } from '../common/http/api-client-headers.decorator';
import { ApiProblemResponses } from '../common/http/api-problem-responses.decorator';
import { CustomerNumberPipe } from '../common/http/parse-positive-id.pipe';
import {
  MAX_DUPLICATES_DEFAULT,
  PossibleDuplicateDto,
  PossibleDuplicatesQueryDto,
} from './dto/possible-duplicate.dto';
import { PossibleDuplicatesService } from './possible-duplicates.service';

@ApiTags('Profiles client')
@ApiClientHeaders()
@Controller('customers/v2/profiles')
export class PossibleDuplicatesController {
  constructor(private readonly duplicates: PossibleDuplicatesService) {}

  @Get(':customerNumber/possible-duplicates')
  @RequirePermissions(Permission.CustomersRead)
  @ApiOperation({
    summary: 'Profiles of the organisation that are likely the same person',
    description:
      'Ranked best first, each with its score (0–1) and the signals that matched: the same ' +
      'e-mail address, the same telephone number (E.164), or the same date of birth with a ' +
      'similar full name (pg_trgm trigram similarity ≥ 0.4). Temporary profiles are candidates ' +
      'too; expired ones are not. Every signal is an index probe. Candidates for ' +
      'POST /profiles/{customerNumber}/merge (or connect, for a temporary one).',
    operationId: 'findPossibleDuplicates',
  })
  @ApiOkResponse({ type: [PossibleDuplicateDto] })
  @ApiProblemResponses(400, 404)
  find(
    @CurrentCaller() caller: RequestCaller,
    @Param('customerNumber', CustomerNumberPipe) customerNumber: number,
    @Query() query: PossibleDuplicatesQueryDto,
  ): Promise<PossibleDuplicateDto[]> {
    return this.duplicates.find(
      caller.organisationId,
      customerNumber,
      query.maxResultSet ?? MAX_DUPLICATES_DEFAULT,
    );
  }
}
