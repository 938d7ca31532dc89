import {
  Body,
  Controller,
  Delete,
  Get,
  Headers,
  HttpCode,
  Param,
  Post,
  Put,
  Res,
} from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiHeader,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';
import { FastifyReply } from 'fastify';
import { CurrentCaller } from '../auth/decorators/current-caller.decorator';
import { RequestCaller } from '../common/http/request-caller';
import { RequirePermissions } from '../auth/decorators/require-permissions.decorator';
import { Permission } from '../auth/permissions';
import { ApiProblemResponses } from '../common/http/api-problem-responses.decorator';
import { ApiConditionalGet } from '../common/http/conditional-get';
import { LOCATION_HEADER } from '../common/http/location';
import { parseIfMatch } from '../profiles/if-match';
import { Idempotent } from '../idempotency/idempotent.decorator';
import { ProfileResponseDto } from '../profiles/dto/profile-response.dto';
import { CustomerNumberPipe } from '../common/http/parse-positive-id.pipe';
import { withEtag } from '../profiles/profile.mapper';
import { ConvertTemporaryProfileDto } from './dto/convert-temporary-profile.dto';
import { CreateTemporaryProfileDto } from './dto/create-temporary-profile.dto';
import { TemporaryProfileResponseDto } from './dto/temporary-profile-response.dto';
import { UpdateTemporaryProfileDto } from './dto/update-temporary-profile.dto';
import { toTemporaryProfileResponse } from './temporary-profile.mapper';
import { TemporaryProfilesService } from './temporary-profiles.service';
import { ApiClientHeaders } from '../common/http/api-client-headers.decorator';

const BASE = 'customers/v2/profiles/temporary';
const CUSTOMER_NUMBER = ApiParam({ name: 'customerNumber', type: 'integer', format: 'int64' });
const IF_MATCH_HEADER = ApiHeader({
  name: 'If-Match',
  required: false,
  description:
    'The ETag of the version read (e.g. "3"); a stale one answers 412 with currentVersion',
});

@ApiTags('Temporary profiles client')
@ApiClientHeaders()
@Controller(BASE)
export class TemporaryProfilesController {
  constructor(private readonly temporaryProfiles: TemporaryProfilesService) {}

  @Post()
  @HttpCode(201)
  @RequirePermissions(Permission.CustomersWrite)
  @Idempotent()
  @ApiOperation({
    operationId: 'createTemporaryProfile',
    summary: 'Create a temporary profile',
    description:
      'A profile (profileType T) with a last day, `expirationDate`, in the service time zone (TIME_ZONE); today or later. It answers until that day ends and 404 from the first instant after it; the expiry job then deletes it with everything attached, for good. Answers 201 with Location.',
  })
  @ApiCreatedResponse({ type: TemporaryProfileResponseDto, headers: LOCATION_HEADER })
  @ApiProblemResponses(400, 413, 415)
  async create(
    @CurrentCaller() caller: RequestCaller,
    @Body() body: CreateTemporaryProfileDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<TemporaryProfileResponseDto> {
    const row = await this.temporaryProfiles.create(caller, body);
    void reply.header('location', `/${BASE}/${row.customer_number}`);
    return withEtag(reply, row, toTemporaryProfileResponse);
  }

  @Get(':customerNumber')
  @RequirePermissions(Permission.CustomersRead)
  @ApiOperation({
    operationId: 'getTemporaryProfile',
    summary: 'Get a temporary profile',
    description: '404 once its expirationDate has ended, even before the expiry job has run.',
  })
  @CUSTOMER_NUMBER
  @ApiConditionalGet()
  @ApiOkResponse({ type: TemporaryProfileResponseDto })
  @ApiProblemResponses(400, 404)
  async get(
    @CurrentCaller() caller: RequestCaller,
    @Param('customerNumber', CustomerNumberPipe) customerNumber: number,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<TemporaryProfileResponseDto> {
    const row = await this.temporaryProfiles.get(caller.organisationId, customerNumber);
    return withEtag(reply, row, toTemporaryProfileResponse);
  }

  @Put(':customerNumber')
  @RequirePermissions(Permission.CustomersWrite)
  @ApiOperation({
    operationId: 'updateTemporaryProfileByCustomerNumber',
    summary: 'Replace a temporary profile',
    description:
      'Every field is overwritten, `expirationDate` included (today or later); an optional field left out is cleared. With If-Match, only the version read is replaced (412 with currentVersion otherwise).',
  })
  @CUSTOMER_NUMBER
  @IF_MATCH_HEADER
  @ApiOkResponse({ type: TemporaryProfileResponseDto })
  @ApiProblemResponses(400, 404, 412, 413, 415)
  async replace(
    @CurrentCaller() caller: RequestCaller,
    @Param('customerNumber', CustomerNumberPipe) customerNumber: number,
    @Body() body: UpdateTemporaryProfileDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<TemporaryProfileResponseDto> {
    const expectedVersion = parseIfMatch(ifMatch);
    const row = await this.temporaryProfiles.replace(caller, customerNumber, body, expectedVersion);
    return withEtag(reply, row, toTemporaryProfileResponse);
  }

  @Delete(':customerNumber')
  @HttpCode(204)
  @RequirePermissions(Permission.CustomersWrite)
  @ApiOperation({
    operationId: 'deleteTemporaryProfile',
    summary: 'Delete a temporary profile at once, for good',
    description:
      'The profile and everything attached to it (addresses, preferences, consents, idempotency records) are deleted immediately; its audit entries keep only ids and event names. With If-Match, only the version read is deleted (412 with currentVersion otherwise); without it the delete is unconditional.',
  })
  @CUSTOMER_NUMBER
  @IF_MATCH_HEADER
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiProblemResponses(400, 404, 412)
  async remove(
    @CurrentCaller() caller: RequestCaller,
    @Param('customerNumber', CustomerNumberPipe) customerNumber: number,
    @Headers('if-match') ifMatch: string | undefined,
  ): Promise<void> {
    await this.temporaryProfiles.remove(caller, customerNumber, parseIfMatch(ifMatch));
  }

  @Post(':customerNumber/convert')
  @HttpCode(200)
  @RequirePermissions(Permission.CustomersWrite)
  @ApiOperation({
    operationId: 'convertTemporaryProfile',
    summary: 'Make a temporary profile permanent',
    description:
      'The profile becomes a permanent one (profileType S) with the same customer number, keeping its postal addresses, preferences and consents. The body is that of a permanent create (same rules, e-mail unique in the organisation: 409 errorCode 602) and sets every field. Only before the profile expires: 404 afterwards. Answers the permanent profile, served from then on at /customers/v2/profiles/{customerNumber}.',
  })
  @CUSTOMER_NUMBER
  @IF_MATCH_HEADER
  @ApiOkResponse({ type: ProfileResponseDto })
  @ApiProblemResponses(400, 404, 409, 412, 413, 415)
  async convert(
    @CurrentCaller() caller: RequestCaller,
    @Param('customerNumber', CustomerNumberPipe) customerNumber: number,
    @Body() body: ConvertTemporaryProfileDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ProfileResponseDto> {
    const expectedVersion = parseIfMatch(ifMatch);
    const row = await this.temporaryProfiles.convert(caller, customerNumber, body, expectedVersion);
    const profile = withEtag(reply, row);
    void reply.header('content-location', `/customers/v2/profiles/${customerNumber}`);
    return profile;
  }
}
