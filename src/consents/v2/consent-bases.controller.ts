import { Body, Controller, Get, HttpCode, Param, Post, Put, Res } from '@nestjs/common';
import { FastifyReply } from 'fastify';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentCaller } from '../../auth/decorators/current-caller.decorator';
import { RequirePermissions } from '../../auth/decorators/require-permissions.decorator';
import { Permission } from '../../auth/permissions';
import { ApiProblemResponses } from '../../common/http/api-problem-responses.decorator';
import { LOCATION_HEADER } from '../../common/http/location';
import { RequestCaller } from '../../common/http/request-caller';
import { ConsentBasesService } from '../bases/consent-bases.service';
import { ParsePositiveIdPipe } from '../../common/http/parse-positive-id.pipe';
import { toConsentBaseResponse } from './consents-v2.mapper';
import {
  ConsentBaseResponseDto,
  CreateConsentBaseDto,
  UpdateConsentBaseDto,
} from './dto/consent-base.dto';
import { ApiClientHeaders } from '../../common/http/api-client-headers.decorator';
import { assertOwnOrganisation } from '../../common/errors/own-organisation';

const BASE = '/customers/v2/consents/consent-bases';

function versionUrl(consentCode: string, version: number): string {
  return `${BASE}/${encodeURIComponent(consentCode)}/versions/${version}`;
}

const READABLE_BY_PARTNERS =
  'Readable with consents:read (so partners can show customers the terms they agree to); ' +
  'internalDescription only for the owner organisation and customers:admin.';

@ApiTags('Consents admin')
@ApiClientHeaders()
@Controller('customers/v2/consents/consent-bases')
export class ConsentBasesController {
  constructor(private readonly bases: ConsentBasesService) {}

  @Get()
  @RequirePermissions(Permission.ConsentsRead, Permission.CustomersAdmin)
  @ApiOperation({
    summary: 'List consent bases (latest version of each)',
    description: READABLE_BY_PARTNERS,
    operationId: 'listConsentBases',
  })
  @ApiOkResponse({ type: [ConsentBaseResponseDto] })
  async list(@CurrentCaller() caller: RequestCaller): Promise<ConsentBaseResponseDto[]> {
    return (await this.bases.list()).map((base) => toConsentBaseResponse(base, caller));
  }

  @Post()
  @RequirePermissions(Permission.CustomersAdmin)
  @HttpCode(201)
  @ApiOperation({
    summary: 'Create a consent base (version 1, as a draft)',
    description: 'The consentCode is unique system-wide. The draft is editable until activated.',
    operationId: 'createConsentBase',
  })
  @ApiCreatedResponse({ type: ConsentBaseResponseDto, headers: LOCATION_HEADER })
  @ApiProblemResponses(400, 409)
  async create(
    @CurrentCaller() caller: RequestCaller,
    @Body() body: CreateConsentBaseDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ConsentBaseResponseDto> {
    assertOwnOrganisation(caller.organisationId, body.consentOwnerOrgId);
    const base = await this.bases.create(caller, body.consentCode, body);
    void reply.header('location', versionUrl(base.consentCode, base.version));
    return toConsentBaseResponse(base, caller);
  }

  @Get(':consentCode/versions')
  @RequirePermissions(Permission.ConsentsRead, Permission.CustomersAdmin)
  @ApiOperation({
    summary: 'All versions of a consent base',
    description: READABLE_BY_PARTNERS,
    operationId: 'listConsentBaseVersions',
  })
  @ApiOkResponse({ type: [ConsentBaseResponseDto] })
  @ApiProblemResponses(400, 404)
  async versions(
    @CurrentCaller() caller: RequestCaller,
    @Param('consentCode') consentCode: string,
  ): Promise<ConsentBaseResponseDto[]> {
    return (await this.bases.listVersions(consentCode)).map((base) =>
      toConsentBaseResponse(base, caller),
    );
  }

  @Post(':consentCode/versions')
  @RequirePermissions(Permission.CustomersAdmin)
  @HttpCode(201)
  @ApiOperation({
    summary: 'Start a new version of an active consent base (as a draft)',
    description: 'Active versions are immutable: a change of terms is a new version.',
    operationId: 'createConsentBaseVersion',
  })
  @ApiCreatedResponse({ type: ConsentBaseResponseDto, headers: LOCATION_HEADER })
  @ApiProblemResponses(400, 404, 409)
  async createVersion(
    @CurrentCaller() caller: RequestCaller,
    @Param('consentCode') consentCode: string,
    @Body() body: UpdateConsentBaseDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ConsentBaseResponseDto> {
    const base = await this.bases.createVersion(caller, consentCode, body);
    void reply.header('location', versionUrl(base.consentCode, base.version));
    return toConsentBaseResponse(base, caller);
  }

  @Get(':consentCode/versions/:version')
  @RequirePermissions(Permission.ConsentsRead, Permission.CustomersAdmin)
  @ApiOperation({
    summary: 'One version of a consent base',
    description: READABLE_BY_PARTNERS,
    operationId: 'getConsentBaseVersion',
  })
  @ApiOkResponse({ type: ConsentBaseResponseDto })
  @ApiProblemResponses(400, 404)
  async get(
    @CurrentCaller() caller: RequestCaller,
    @Param('consentCode') consentCode: string,
    @Param('version', new ParsePositiveIdPipe('version')) version: number,
  ): Promise<ConsentBaseResponseDto> {
    return toConsentBaseResponse(await this.bases.get(consentCode, version), caller);
  }

  @Put(':consentCode/versions/:version')
  @RequirePermissions(Permission.CustomersAdmin)
  @ApiOperation({
    summary: 'Edit a draft version',
    description: 'An active version cannot change (409): start a new version instead.',
    operationId: 'updateConsentBaseDraft',
  })
  @ApiOkResponse({ type: ConsentBaseResponseDto })
  @ApiProblemResponses(400, 404, 409)
  async update(
    @CurrentCaller() caller: RequestCaller,
    @Param('consentCode') consentCode: string,
    @Param('version', new ParsePositiveIdPipe('version')) version: number,
    @Body() body: UpdateConsentBaseDto,
  ): Promise<ConsentBaseResponseDto> {
    const base = await this.bases.updateDraft(caller, consentCode, version, body);
    return toConsentBaseResponse(base, caller);
  }

  @Post(':consentCode/versions/:version/activate')
  @RequirePermissions(Permission.CustomersAdmin)
  @HttpCode(200)
  @ApiOperation({
    summary: 'Activate a draft version (final: it can no longer change)',
    operationId: 'activateConsentBaseVersion',
  })
  @ApiOkResponse({ type: ConsentBaseResponseDto })
  @ApiProblemResponses(400, 404, 409)
  async activate(
    @CurrentCaller() caller: RequestCaller,
    @Param('consentCode') consentCode: string,
    @Param('version', new ParsePositiveIdPipe('version')) version: number,
  ): Promise<ConsentBaseResponseDto> {
    const base = await this.bases.activate(caller, consentCode, version);
    return toConsentBaseResponse(base, caller);
  }
}
