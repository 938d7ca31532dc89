import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query, Res } from '@nestjs/common';
import { FastifyReply } from 'fastify';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentCaller } from '../../auth/decorators/current-caller.decorator';
import { RequirePermissions } from '../../auth/decorators/require-permissions.decorator';
import { Permission } from '../../auth/permissions';
import { Clock } from '../../common/clock/clock';
import { assertOwnOrganisation } from '../../common/errors/own-organisation';
import { Idempotent } from '../../idempotency/idempotent.decorator';
import { ApiProblemResponses } from '../../common/http/api-problem-responses.decorator';
import { LOCATION_HEADER } from '../../common/http/location';
import { Consent, VersionsFilter } from '../consent.model';
import { RequestCaller } from '../../common/http/request-caller';
import { ConsentsService } from '../consents.service';
import { ResourceIdPipe } from '../../common/http/parse-positive-id.pipe';
import { toConsentResponse } from './consents-v2.mapper';
import {
  ConsentResponseDto,
  CreateConsentDto,
  ListConsentsQueryDto,
  UpdateConsentDto,
} from './dto/consent.dto';
import { ApiClientHeaders } from '../../common/http/api-client-headers.decorator';

@ApiTags('Consents client')
@ApiClientHeaders()
@Controller('customers/v2/consents/consents')
export class ConsentsV2Controller {
  constructor(
    private readonly consents: ConsentsService,
    private readonly clock: Clock,
  ) {}

  @Get()
  @RequirePermissions(Permission.ConsentsRead)
  @ApiOperation({
    summary: "Find the organisation's consents",
    operationId: 'findConsents',
  })
  @ApiOkResponse({ type: [ConsentResponseDto] })
  @ApiProblemResponses(400)
  async list(
    @CurrentCaller() caller: RequestCaller,
    @Query() query: ListConsentsQueryDto,
  ): Promise<ConsentResponseDto[]> {
    if (query.organisationIds && !query.organisationIds.includes(caller.organisationId)) {
      return [];
    }
    const consents = await this.consents.list(caller, {
      consentCodes: query.consentCodes,
      versions: parseVersions(query.versions),
      includeInactive: query.includeInactive ?? false,
    });
    const now = this.clock.now();
    return (await this.consents.withBases(consents)).map((c) => toConsentResponse(c, now, caller));
  }

  @Post()
  @HttpCode(201)
  @RequirePermissions(Permission.ConsentsWrite)
  @Idempotent()
  @ApiOperation({
    summary: 'Add a consent: use an active consent base version',
    description:
      'Without consentBaseVersion, the latest active version of the base is used. Answers 201 ' +
      'with Location; the response embeds the base version (consentBase) with its terms.',
    operationId: 'createConsent',
  })
  @ApiCreatedResponse({ type: ConsentResponseDto, headers: LOCATION_HEADER })
  @ApiProblemResponses(400, 409)
  async create(
    @CurrentCaller() caller: RequestCaller,
    @Body() body: CreateConsentDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ConsentResponseDto> {
    assertOwnOrganisation(caller.organisationId, body.organisationId);
    const consent = await this.consents.create(caller, body);
    void reply.header('location', `/customers/v2/consents/consents/${consent.id}`);
    return toConsentResponse(consent, this.clock.now(), caller);
  }

  @Get(':id')
  @RequirePermissions(Permission.ConsentsRead)
  @ApiOperation({ summary: 'Get a consent', operationId: 'getConsent' })
  @ApiOkResponse({ type: ConsentResponseDto })
  @ApiProblemResponses(400, 404)
  async get(
    @CurrentCaller() caller: RequestCaller,
    @Param('id', ResourceIdPipe) id: number,
  ): Promise<ConsentResponseDto> {
    return this.respond(await this.consents.get(caller, id), caller);
  }

  @Patch(':id')
  @RequirePermissions(Permission.ConsentsWrite)
  @ApiOperation({
    summary: 'Change channels or validity of a consent (set validTo to retire it)',
    operationId: 'updateConsent',
  })
  @ApiOkResponse({ type: ConsentResponseDto })
  @ApiProblemResponses(400, 404)
  async update(
    @CurrentCaller() caller: RequestCaller,
    @Param('id', ResourceIdPipe) id: number,
    @Body() body: UpdateConsentDto,
  ): Promise<ConsentResponseDto> {
    assertOwnOrganisation(caller.organisationId, body.organisationId);
    const consent = await this.consents.update(caller, id, body);
    return this.respond(consent, caller);
  }

  private async respond(consent: Consent, caller: RequestCaller): Promise<ConsentResponseDto> {
    const [withBase] = await this.consents.withBases([consent]);
    return toConsentResponse(withBase, this.clock.now(), caller);
  }
}

function parseVersions(versions: string | undefined): VersionsFilter {
  if (versions === undefined || versions === 'CURRENT') {
    return { kind: 'CURRENT' };
  }
  if (versions === 'ALL') {
    return { kind: 'ALL' };
  }
  return { kind: 'LIST', versions: versions.split(',').map(Number) };
}
