import {
  Body,
  Controller,
  Delete,
  Get,
  Headers,
  HttpCode,
  Param,
  Patch,
  Post,
  Put,
  Query,
  Req,
  Res,
} from '@nestjs/common';
import {
  ApiConsumes,
  ApiCreatedResponse,
  ApiHeader,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';
import { FastifyReply, FastifyRequest } from 'fastify';
import { CurrentCaller } from '../auth/decorators/current-caller.decorator';
import { RequestCaller } from '../common/http/request-caller';
import { RequirePermissions } from '../auth/decorators/require-permissions.decorator';
import { Permission } from '../auth/permissions';
import { ApiProblemResponses } from '../common/http/api-problem-responses.decorator';
import { ApiConditionalGet } from '../common/http/conditional-get';
import { LOCATION_HEADER } from '../common/http/location';
import { encodeCursor, NEXT_PAGE_LINK_HEADER, nextPageLink } from '../common/http/page-cursor';
import { Idempotent } from '../idempotency/idempotent.decorator';
import { CreateProfileDto } from './dto/create-profile.dto';
import { DeactivateProfileQueryDto } from './dto/deactivate-profile-query.dto';
import { PatchProfileDto } from './dto/patch-profile.dto';
import { ProfileResponseDto } from './dto/profile-response.dto';
import { MAX_RESULT_SET_DEFAULT, SearchProfilesQueryDto } from './dto/search-profiles-query.dto';
import { UpdateProfileDto } from './dto/update-profile.dto';
import { parseIfMatch } from './if-match';
import { CustomerNumberPipe } from '../common/http/parse-positive-id.pipe';
import { DEACTIVATED_PROFILE_RULE, PERSONNEL_TICKET_RULE } from './profile-lifecycle';
import { toProfileResponse, withEtag } from './profile.mapper';
import { ProfilesService } from './profiles.service';
import { ApiClientHeaders } from '../common/http/api-client-headers.decorator';

const IF_MATCH_HEADER = ApiHeader({
  name: 'If-Match',
  required: false,
  description:
    'The ETag of the version read (e.g. "3"); a stale one answers 412 with currentVersion',
});
const SEARCH_DESCRIPTION =
  'Profiles of your organisation matching ALL given parameters, ordered by customerNumber, at ' +
  'most maxResultSet (default 100, max 1000). At least one criterion (firstName, surname, email, ' +
  'customerRef, countryCode + telephoneNumberNoCountryCode, telephoneNumber, landlineNumber, ' +
  'vippsId, invoiceOrganisationId, dateOfBirth, postCode, postalAddress). E-mail, names and the ' +
  'address line match case-insensitively; a trailing * on a name or address matches a prefix. ' +
  'countryCode and telephoneNumberNoCountryCode are used only together, and then telephoneNumber ' +
  'is ignored. Phone numbers match in any written form (+4798765432, 98 76 54 32, 004798765432): ' +
  'both sides are compared in E.164, the country from countryCode, else Norway. Deactivated profiles only with status=D; temporary ones only with ' +
  'includeTemporary=true, and never once expired. profileType (S, P or T) keeps one type of ' +
  'profile. An organisationId other than your own matches nothing, and so does ticketRightOwner ' +
  'or ticketRightBearer (no personnel-ticket rights are kept here). A full page carries ' +
  '`Link: <…>; rel="next"`: following it walks every match exactly once, whatever is created ' +
  'meanwhile.';

@ApiTags('Profiles client')
@ApiClientHeaders()
@Controller('customers/v2')
export class ProfilesController {
  constructor(private readonly profiles: ProfilesService) {}

  @Post('profiles')
  @HttpCode(201)
  @RequirePermissions(Permission.CustomersWrite)
  @Idempotent()
  @ApiOperation({
    summary: 'Create a permanent profile',
    description:
      'Creates a standard profile (profileType S), or a personnel-ticket one (P), in the ' +
      'organisation of the token; answers 201 ' +
      'with Location and ETag. customerRef defaults to the customer number. customerRef and ' +
      '(case-insensitive) email are unique in the organisation: 409 (email: errorCode 602). ' +
      'A password is stored only as an argon2id hash.',
    operationId: 'createProfile',
  })
  @ApiCreatedResponse({ type: ProfileResponseDto, headers: LOCATION_HEADER })
  @ApiProblemResponses(400, 409, 413, 415)
  async create(
    @CurrentCaller() caller: RequestCaller,
    @Body() body: CreateProfileDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ProfileResponseDto> {
    const row = await this.profiles.create(caller, body);
    void reply.header('location', `/customers/v2/profiles/${row.customer_number}`);
    return withEtag(reply, row);
  }

  @Get('profiles-search')
  @RequirePermissions(Permission.CustomersRead)
  @ApiOperation({
    summary: 'Search profiles',
    description: SEARCH_DESCRIPTION,
    operationId: 'searchProfiles',
  })
  @ApiOkResponse({ type: [ProfileResponseDto], headers: NEXT_PAGE_LINK_HEADER })
  @ApiProblemResponses(400)
  async search(
    @CurrentCaller() caller: RequestCaller,
    @Query() query: SearchProfilesQueryDto,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ProfileResponseDto[]> {
    const rows = await this.profiles.search(caller.organisationId, query);
    if (rows.length && rows.length === (query.maxResultSet ?? MAX_RESULT_SET_DEFAULT)) {
      const cursor = encodeCursor(rows[rows.length - 1].customer_number);
      void reply.header('link', nextPageLink(request.url, cursor));
    }
    return rows.map(toProfileResponse);
  }

  @Get('profiles')
  @RequirePermissions(Permission.CustomersRead)
  @ApiOperation({
    summary: 'Search profiles (alias of /profiles-search)',
    description: `The older path of the same search. ${SEARCH_DESCRIPTION}`,
    operationId: 'searchProfilesAlias',
  })
  @ApiOkResponse({ type: [ProfileResponseDto], headers: NEXT_PAGE_LINK_HEADER })
  @ApiProblemResponses(400)
  async searchAlias(
    @CurrentCaller() caller: RequestCaller,
    @Query() query: SearchProfilesQueryDto,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ProfileResponseDto[]> {
    return this.search(caller, query, request, reply);
  }

  @Get('profiles/customer-ref/:customerRef')
  @RequirePermissions(Permission.CustomersRead)
  @ApiOperation({
    summary: "Get a profile by the organisation's customerRef",
    operationId: 'getProfileByCustomerRef',
  })
  @ApiConditionalGet()
  @ApiOkResponse({ type: ProfileResponseDto })
  @ApiProblemResponses(400, 404)
  async getByCustomerRef(
    @CurrentCaller() caller: RequestCaller,
    @Param('customerRef') customerRef: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ProfileResponseDto> {
    return withEtag(
      reply,
      await this.profiles.getByCustomerRef(caller.organisationId, customerRef),
    );
  }

  @Get('profiles/customer-accounts/:accountId')
  @RequirePermissions(Permission.CustomersRead)
  @ApiOperation({
    summary: 'Get a profile by customer account id',
    description:
      'The permanent profile of your organisation that holds this customer account ' +
      '(POST /profiles/{customerNumber}/customer-accounts), as GET /profiles/{customerNumber} ' +
      "answers it, with its ETag. An account id of another organisation's customer, of a " +
      'temporary profile or of nobody answers 404.',
    operationId: 'getProfileByCustomerAccount',
  })
  @ApiParam({
    name: 'accountId',
    schema: { type: 'string', minLength: 1, maxLength: 60 },
    example: 'ACC-0042',
    description: 'The account id, exactly as it was added (case-sensitive)',
  })
  @ApiConditionalGet()
  @ApiOkResponse({ type: ProfileResponseDto })
  @ApiProblemResponses(400, 404)
  async getByCustomerAccount(
    @CurrentCaller() caller: RequestCaller,
    @Param('accountId') accountId: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ProfileResponseDto> {
    return withEtag(
      reply,
      await this.profiles.getByCustomerAccount(caller.organisationId, accountId),
    );
  }

  @Get('profiles/:customerNumber')
  @RequirePermissions(Permission.CustomersRead)
  @ApiOperation({
    summary: 'Get a profile',
    description:
      'A permanent profile of your organisation, deactivated ones (status D) included until ' +
      "they are purged. Another organisation's profile answers 404 like a missing one. " +
      'Temporary profiles are read at /profiles/temporary/{customerNumber}.',
    operationId: 'getProfile',
  })
  @ApiConditionalGet()
  @ApiOkResponse({ type: ProfileResponseDto })
  @ApiProblemResponses(400, 404)
  async get(
    @CurrentCaller() caller: RequestCaller,
    @Param('customerNumber', CustomerNumberPipe) customerNumber: number,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ProfileResponseDto> {
    return withEtag(reply, await this.profiles.get(caller.organisationId, customerNumber));
  }

  @Put('profiles/:customerNumber')
  @RequirePermissions(Permission.CustomersWrite)
  @IF_MATCH_HEADER
  @ApiOperation({
    summary: 'Replace a profile',
    description:
      'Sets every editable field: one left out is cleared, except customerRef, which keeps its ' +
      'value. changedBy, changedByChannel, firstName and surname are required. Passwords change ' +
      'at /profiles/{customerNumber}/password. ' +
      DEACTIVATED_PROFILE_RULE,
    operationId: 'replaceProfile',
  })
  @ApiOkResponse({ type: ProfileResponseDto })
  @ApiProblemResponses(400, 404, 409, 412, 413, 415)
  async replace(
    @CurrentCaller() caller: RequestCaller,
    @Param('customerNumber', CustomerNumberPipe) customerNumber: number,
    @Body() body: UpdateProfileDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ProfileResponseDto> {
    const row = await this.profiles.replace(caller, customerNumber, body, parseIfMatch(ifMatch));
    return withEtag(reply, row);
  }

  @Patch('profiles/:customerNumber')
  @RequirePermissions(Permission.CustomersWrite)
  @IF_MATCH_HEADER
  @ApiConsumes('application/merge-patch+json', 'application/json')
  @ApiOperation({
    summary: 'Update some fields of a profile (JSON Merge Patch)',
    description:
      'RFC 7396: a member left out keeps its value, null clears it (customerRef then returns to ' +
      'the customer number; firstName and surname cannot be cleared). changedBy and ' +
      'changedByChannel are required. Without If-Match the last writer wins, atomically. ' +
      DEACTIVATED_PROFILE_RULE,
    operationId: 'patchProfile',
  })
  @ApiOkResponse({ type: ProfileResponseDto })
  @ApiProblemResponses(400, 404, 409, 412, 413, 415)
  async patch(
    @CurrentCaller() caller: RequestCaller,
    @Param('customerNumber', CustomerNumberPipe) customerNumber: number,
    @Body() body: PatchProfileDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ProfileResponseDto> {
    const row = await this.profiles.patch(caller, customerNumber, body, parseIfMatch(ifMatch));
    return withEtag(reply, row);
  }

  @Delete('profiles/:customerNumber')
  @RequirePermissions(Permission.CustomersWrite)
  @IF_MATCH_HEADER
  @ApiOperation({
    summary: 'Deactivate a profile',
    description:
      'Sets status D and moves the e-mail to emailOld, so it can be registered again at once. ' +
      'The profile and everything attached to it are deleted for good at expirationDate ' +
      '(default now + 72 h). Answers 200 with the deactivated profile; it stays readable here ' +
      'and in searches with status=D until then, takes no changes and no new opt-ins (409, ' +
      'errorCode 625), and can be brought back with POST /profiles/{customerNumber}/restore. ' +
      'Deactivating it again only moves the purge time. ' +
      PERSONNEL_TICKET_RULE,
    operationId: 'deactivateProfile',
  })
  @ApiOkResponse({ type: ProfileResponseDto })
  @ApiProblemResponses(400, 404, 409, 412)
  async deactivate(
    @CurrentCaller() caller: RequestCaller,
    @Param('customerNumber', CustomerNumberPipe) customerNumber: number,
    @Query() query: DeactivateProfileQueryDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ProfileResponseDto> {
    const row = await this.profiles.deactivate(
      caller,
      customerNumber,
      query,
      parseIfMatch(ifMatch),
    );
    return withEtag(reply, row);
  }

  @Post('profiles/:customerNumber/restore')
  @HttpCode(200)
  @RequirePermissions(Permission.CustomersWrite)
  @IF_MATCH_HEADER
  @ApiOperation({
    summary: 'Restore a deactivated profile before its purge',
    description:
      'Undoes a deactivation while the profile waits for its purge: status back to A, the ' +
      'e-mail back from emailOld, no purge scheduled; everything attached to it was kept. ' +
      '409 with errorCode 602 when another profile of the organisation has registered the ' +
      'e-mail meanwhile, 613 when the profile is not deactivated or its purge time has come, ' +
      '614 when it is already active. Once purged it is gone: 404.',
    operationId: 'restoreProfile',
  })
  @ApiOkResponse({ type: ProfileResponseDto })
  @ApiProblemResponses(400, 404, 409, 412)
  async restore(
    @CurrentCaller() caller: RequestCaller,
    @Param('customerNumber', CustomerNumberPipe) customerNumber: number,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ProfileResponseDto> {
    const row = await this.profiles.restore(caller, customerNumber, parseIfMatch(ifMatch));
    return withEtag(reply, row);
  }
}
