import { Body, Controller, Headers, HttpCode, Param, Post, Res } from '@nestjs/common';
import { ApiHeader, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { FastifyReply } from 'fastify';
import { CurrentCaller } from '../auth/decorators/current-caller.decorator';
import { RequestCaller } from '../common/http/request-caller';
import { RequirePermissions } from '../auth/decorators/require-permissions.decorator';
import { Permission } from '../auth/permissions';
import { ErrorCode } from '../common/errors/error-codes';
import { ApiClientHeaders } from '../common/http/api-client-headers.decorator';
import {
  ApiProblemResponses,
  problemExample,
} from '../common/http/api-problem-responses.decorator';
import { CustomerNumberPipe } from '../common/http/parse-positive-id.pipe';
import { ProfileResponseDto } from '../profiles/dto/profile-response.dto';
import { parseIfMatch } from '../profiles/if-match';
import { withEtag } from '../profiles/profile.mapper';
import { ConnectTemporaryProfileDto, MergeProfilesDto } from './dto/merge-profiles.dto';
import { ProfileMergeService } from './profile-merge.service';

const CONNECT_PATH = '/customers/v2/profiles/temporary/10000003/connect';
const MERGE_PATH = '/customers/v2/profiles/10000001/merge';

function ifMatchHeader(whose: string) {
  return ApiHeader({
    name: 'If-Match',
    required: false,
    description: `The ETag of the ${whose} as read (e.g. "3"); a stale one answers 412 with currentVersion and changes nothing`,
  });
}

@ApiClientHeaders()
@Controller('customers/v2/profiles')
export class ProfileMergeController {
  constructor(private readonly merges: ProfileMergeService) {}

  @Post('temporary/:customerNumber/connect')
  @HttpCode(200)
  @RequirePermissions(Permission.CustomersWrite)
  @ApiTags('Temporary profiles client')
  @ApiOperation({
    operationId: 'connectTemporaryProfile',
    summary: 'Connect a temporary profile into a permanent profile',
    description:
      'For a buyer who turns out to have a permanent profile already: the temporary profile of the ' +
      'path joins the permanent profile of the body (same organisation). Its given consents (each ' +
      'with its history), postal addresses, preferences and customer accounts move to the ' +
      'permanent profile, whose own fields are not changed. Where both have a preference with the ' +
      "same preferenceCode, the permanent profile's is kept; where both answered the same consent, " +
      "the more recent choice wins and, when it is the temporary profile's, is recorded as a new " +
      "revision in the permanent profile's history (history entries are never rewritten); where " +
      "both have a primary postal address, the permanent profile's stays primary. The temporary " +
      'profile is then deleted for good, as expiry deletes it. Answers 200 with the permanent ' +
      'profile, as GET /customers/v2/profiles/{customerNumber} returns it, with its new ETag. ' +
      'One transaction: a refused request changes nothing. 404 (errorCode 617) for an unknown, ' +
      "expired or another organisation's profile on either side; 409 errorCode 601 when the " +
      'target is temporary or deactivated.',
  })
  @ApiParam({
    name: 'customerNumber',
    schema: { type: 'integer', format: 'int64', minimum: 1 },
    description: 'The temporary profile to connect (and then delete)',
  })
  @ifMatchHeader('temporary profile')
  @ApiOkResponse({ type: ProfileResponseDto, description: 'The permanent profile, with ETag' })
  @ApiProblemResponses(400, 404, 412, 413, 415, {
    status: 409,
    description: 'The profiles cannot be connected (errorCode 601); the detail says why',
    examples: {
      targetDeactivated: problemExample(
        409,
        CONNECT_PATH,
        'Profile 10000001 is deactivated and waits for its purge: restore it before connecting a profile into it',
        ErrorCode.MergeFailed,
      ),
      targetTemporary: problemExample(
        409,
        CONNECT_PATH,
        'Profile 10000004 is a temporary profile: a temporary profile is connected into a permanent one (convert it first)',
        ErrorCode.MergeFailed,
      ),
    },
  })
  async connect(
    @CurrentCaller() caller: RequestCaller,
    @Param('customerNumber', CustomerNumberPipe) customerNumber: number,
    @Body() body: ConnectTemporaryProfileDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ProfileResponseDto> {
    const row = await this.merges.connect(caller, customerNumber, body, parseIfMatch(ifMatch));
    const profile = withEtag(reply, row);
    void reply.header('content-location', `/customers/v2/profiles/${row.customer_number}`);
    return profile;
  }

  @Post(':customerNumber/merge')
  @HttpCode(200)
  @RequirePermissions(Permission.CustomersWrite)
  @ApiTags('Profiles client')
  @ApiOperation({
    operationId: 'mergeProfiles',
    summary: 'Merge another permanent profile into this one',
    description:
      'For one customer registered twice: the profile of the body (the source) is merged into the ' +
      "profile of the path, which survives. The source's given consents (each with its history), " +
      'postal addresses, preferences, ecards, loyalty programs, customer accounts and notes move ' +
      'to the ' +
      "survivor. Where both have the same preferenceCode or loyalty programId, the survivor's is " +
      "kept; where both have a primary postal address, the survivor's stays primary; where both " +
      "answered the same consent, the more recent choice wins and, when it is the source's, is " +
      "recorded as a new revision in the survivor's history. The survivor's fields win; a field it " +
      "has empty takes the source's value (the e-mail and customerRef are released by the source " +
      "first; a customerRef that is still the survivor's customer number counts as empty), and a " +
      "survivor without a password takes the source's. The source is then deactivated as DELETE " +
      'does, with its purge in 72 hours; POST /customers/v2/profiles/{customerNumber}/restore can ' +
      'bring it back, empty, until then. Answers 200 with the survivor and its new ETag. One ' +
      'transaction: a refused request changes nothing. 404 (errorCode 617) for an unknown or ' +
      "another organisation's profile on either side (a temporary one in the path); 409 errorCode " +
      '601 for a merge of a profile with itself, a deactivated side or a temporary source (connect ' +
      'it instead), errorCode 621 for a personnel-ticket source (profileType P).',
  })
  @ApiParam({
    name: 'customerNumber',
    schema: { type: 'integer', format: 'int64', minimum: 1 },
    description: 'The permanent profile that survives the merge',
  })
  @ifMatchHeader('surviving profile')
  @ApiOkResponse({ type: ProfileResponseDto, description: 'The surviving profile, with ETag' })
  @ApiProblemResponses(400, 404, 412, 413, 415, {
    status: 409,
    description:
      'The profiles cannot be merged: errorCode 601 (the detail says why) or 621 (personnel-ticket source)',
    examples: {
      itself: problemExample(
        409,
        MERGE_PATH,
        'Profile 10000001 cannot be merged with itself',
        ErrorCode.MergeFailed,
      ),
      deactivated: problemExample(
        409,
        MERGE_PATH,
        'Profile 10000002 is deactivated and waits for its purge: restore it before merging',
        ErrorCode.MergeFailed,
      ),
      personnelTicket: problemExample(
        409,
        MERGE_PATH,
        'Profile 10000002 is a personnel-ticket customer (profileType P) and cannot be merged away; merge the other profile into it instead',
        ErrorCode.PersonnelTicketCustomer,
      ),
    },
  })
  async merge(
    @CurrentCaller() caller: RequestCaller,
    @Param('customerNumber', CustomerNumberPipe) customerNumber: number,
    @Body() body: MergeProfilesDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ProfileResponseDto> {
    const row = await this.merges.merge(caller, customerNumber, body, parseIfMatch(ifMatch));
    return withEtag(reply, row);
  }
}
