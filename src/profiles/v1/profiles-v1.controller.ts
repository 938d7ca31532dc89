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
  Query,
  Res,
} from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiHeader,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { FastifyReply } from 'fastify';
import { CurrentCaller } from '../../auth/decorators/current-caller.decorator';
import { RequestCaller } from '../../common/http/request-caller';
import { RequirePermissions } from '../../auth/decorators/require-permissions.decorator';
import { Permission } from '../../auth/permissions';
import { Idempotent } from '../../idempotency/idempotent.decorator';
import { ApiProblemResponses } from '../../common/http/api-problem-responses.decorator';
import { ApiConditionalGet } from '../../common/http/conditional-get';
import { LOCATION_HEADER } from '../../common/http/location';
import { DeactivateProfileQueryDto } from '../dto/deactivate-profile-query.dto';
import { DEACTIVATED_PROFILE_RULE, PERSONNEL_TICKET_RULE } from '../profile-lifecycle';
import { DEPRECATION_RESPONSE_HEADERS, DeprecatedRoute } from '../../common/http/deprecation';
import { parseIfMatch } from '../if-match';
import { CustomerNumberPipe } from '../../common/http/parse-positive-id.pipe';
import { toProfileResponse, withEtag } from '../profile.mapper';
import { ProfilesService } from '../profiles.service';
import {
  CreateCustomerV1Dto,
  CustomerV1ResponseDto,
  SearchCustomersV1QueryDto,
  UpdateCustomerV1Dto,
} from './dto/profile-v1.dto';
import { ApiClientHeaders } from '../../common/http/api-client-headers.decorator';

const V2_PROFILE = '/customers/v2/profiles/:customerNumber';

/**
 * The profile endpoints v1 clients used, as thin adapters over ProfilesService: every rule
 * (validation, uniqueness, organisation scoping, audit) is the v2 one. Deprecated: each response
 * names its v2 successor.
 */
@ApiTags('Profiles v1 (deprecated)')
@ApiClientHeaders()
@Controller('customers/v1/profiles')
export class ProfilesV1Controller {
  constructor(private readonly profiles: ProfilesService) {}

  @Get()
  @RequirePermissions(Permission.CustomersRead)
  @DeprecatedRoute('/customers/v2/profiles-search')
  @ApiOperation({
    summary: 'Search customers (deprecated)',
    description: 'Use GET /customers/v2/profiles-search: same parameters, same results.',
    operationId: 'searchCustomersV1',
    deprecated: true,
  })
  @ApiOkResponse({ type: [CustomerV1ResponseDto], headers: DEPRECATION_RESPONSE_HEADERS })
  @ApiProblemResponses(400)
  async search(
    @CurrentCaller() caller: RequestCaller,
    @Query() query: SearchCustomersV1QueryDto,
  ): Promise<CustomerV1ResponseDto[]> {
    return (await this.profiles.search(caller.organisationId, query)).map(toProfileResponse);
  }

  @Post()
  @HttpCode(201)
  @RequirePermissions(Permission.CustomersWrite)
  @Idempotent()
  @DeprecatedRoute('/customers/v2/profiles')
  @ApiOperation({
    summary: 'Create a customer (deprecated)',
    description: 'Use POST /customers/v2/profiles.',
    operationId: 'createCustomerV1',
    deprecated: true,
  })
  @ApiCreatedResponse({
    type: CustomerV1ResponseDto,
    headers: { ...DEPRECATION_RESPONSE_HEADERS, ...LOCATION_HEADER },
  })
  @ApiProblemResponses(400, 409, 413, 415)
  async create(
    @CurrentCaller() caller: RequestCaller,
    @Body() body: CreateCustomerV1Dto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<CustomerV1ResponseDto> {
    const row = await this.profiles.create(caller, body);
    void reply.header('location', `/customers/v1/profiles/${row.customer_number}`);
    return withEtag(reply, row);
  }

  @Get(':customerNumber')
  @RequirePermissions(Permission.CustomersRead)
  @DeprecatedRoute(V2_PROFILE)
  @ApiOperation({
    summary: 'Get a customer (deprecated)',
    description: 'Use GET /customers/v2/profiles/{customerNumber}.',
    operationId: 'getCustomerV1',
    deprecated: true,
  })
  @ApiConditionalGet()
  @ApiOkResponse({ type: CustomerV1ResponseDto, headers: DEPRECATION_RESPONSE_HEADERS })
  @ApiProblemResponses(400, 404)
  async get(
    @CurrentCaller() caller: RequestCaller,
    @Param('customerNumber', CustomerNumberPipe) customerNumber: number,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<CustomerV1ResponseDto> {
    return withEtag(reply, await this.profiles.get(caller.organisationId, customerNumber));
  }

  @Put(':customerNumber')
  @RequirePermissions(Permission.CustomersWrite)
  @DeprecatedRoute(V2_PROFILE)
  @ApiHeader({ name: 'If-Match', required: false, description: 'ETag of the version read' })
  @ApiOperation({
    summary: 'Replace a customer (deprecated)',
    description: `Use PUT /customers/v2/profiles/{customerNumber}. ${DEACTIVATED_PROFILE_RULE}`,
    operationId: 'replaceCustomerV1',
    deprecated: true,
  })
  @ApiOkResponse({ type: CustomerV1ResponseDto, headers: DEPRECATION_RESPONSE_HEADERS })
  @ApiProblemResponses(400, 404, 409, 412, 413, 415)
  async replace(
    @CurrentCaller() caller: RequestCaller,
    @Param('customerNumber', CustomerNumberPipe) customerNumber: number,
    @Body() body: UpdateCustomerV1Dto,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<CustomerV1ResponseDto> {
    const row = await this.profiles.replace(caller, customerNumber, body, parseIfMatch(ifMatch));
    return withEtag(reply, row);
  }

  @Delete(':customerNumber')
  @RequirePermissions(Permission.CustomersWrite)
  @DeprecatedRoute(V2_PROFILE)
  @ApiHeader({ name: 'If-Match', required: false, description: 'ETag of the version read' })
  @ApiOperation({
    summary: 'Deactivate a customer (deprecated)',
    description: `Use DELETE /customers/v2/profiles/{customerNumber}: same parameters, same answers. ${PERSONNEL_TICKET_RULE}`,
    operationId: 'deactivateCustomerV1',
    deprecated: true,
  })
  @ApiOkResponse({ type: CustomerV1ResponseDto, headers: DEPRECATION_RESPONSE_HEADERS })
  @ApiProblemResponses(400, 404, 409, 412)
  async deactivate(
    @CurrentCaller() caller: RequestCaller,
    @Param('customerNumber', CustomerNumberPipe) customerNumber: number,
    @Query() query: DeactivateProfileQueryDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<CustomerV1ResponseDto> {
    const row = await this.profiles.deactivate(
      caller,
      customerNumber,
      query,
      parseIfMatch(ifMatch),
    );
    return withEtag(reply, row);
  }
}
