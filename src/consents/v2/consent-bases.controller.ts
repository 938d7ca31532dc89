import { Body, Controller, Get, HttpCode, Param, Post, Put, Res } from '@nestjs/common';
import { FastifyReply } from 'fastify';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuthContext } from '../../auth/auth-context';
import { CurrentAuth } from '../../auth/decorators/current-auth.decorator';
import { RequirePermissions } from '../../auth/decorators/require-permissions.decorator';
import { Permission } from '../../auth/permissions';
import { ApiProblemResponses } from '../../common/http/api-problem-responses.decorator';
import { LOCATION_HEADER } from '../../common/http/location';
import { ConsentsService } from '../consents.service';
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
  constructor(private readonly consents: ConsentsService) {}

  @Get()
  @RequirePermissions(Permission.ConsentsRead, Permission.CustomersAdmin)
  @ApiOperation({
    summary: 'List consent bases (latest version of each)',
    description: READABLE_BY_PARTNERS,
    operationId: 'listConsentBases',
  })
  @ApiOkResponse({ type: [ConsentBaseResponseDto] })
  async list(@CurrentAuth() auth: AuthContext): Promise<ConsentBaseResponseDto[]> {
    return (await this.consents.listBases()).map((base) => toConsentBaseResponse(base, auth));
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
    @CurrentAuth() auth: AuthContext,
    @Body() body: CreateConsentBaseDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ConsentBaseResponseDto> {
    assertOwnOrganisation(auth.organisationId, body.consentOwnerOrgId);
    const base = await this.consents.createBase(auth.organisationId, body.consentCode, body, {
      clientId: auth.clientId,
    });
    void reply.header('location', versionUrl(base.consentCode, base.version));
    return toConsentBaseResponse(base, auth);
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
    @CurrentAuth() auth: AuthContext,
    @Param('consentCode') consentCode: string,
  ): Promise<ConsentBaseResponseDto[]> {
    return (await this.consents.listBaseVersions(consentCode)).map((base) =>
      toConsentBaseResponse(base, auth),
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
    @CurrentAuth() auth: AuthContext,
    @Param('consentCode') consentCode: string,
    @Body() body: UpdateConsentBaseDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ConsentBaseResponseDto> {
    const base = await this.consents.createBaseVersion(consentCode, body, {
      clientId: auth.clientId,
    });
    void reply.header('location', versionUrl(base.consentCode, base.version));
    return toConsentBaseResponse(base, auth);
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
    @CurrentAuth() auth: AuthContext,
    @Param('consentCode') consentCode: string,
    @Param('version', new ParsePositiveIdPipe('version')) version: number,
  ): Promise<ConsentBaseResponseDto> {
    return toConsentBaseResponse(await this.consents.getBase(consentCode, version), auth);
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
    @CurrentAuth() auth: AuthContext,
    @Param('consentCode') consentCode: string,
    @Param('version', new ParsePositiveIdPipe('version')) version: number,
    @Body() body: UpdateConsentBaseDto,
  ): Promise<ConsentBaseResponseDto> {
    const base = await this.consents.updateDraftBase(consentCode, version, body, {
      clientId: auth.clientId,
    });
    return toConsentBaseResponse(base, auth);
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
    @CurrentAuth() auth: AuthContext,
    @Param('consentCode') consentCode: string,
    @Param('version', new ParsePositiveIdPipe('version')) version: number,
  ): Promise<ConsentBaseResponseDto> {
    const base = await this.consents.activateBase(consentCode, version, {
      clientId: auth.clientId,
    });
    return toConsentBaseResponse(base, auth);
  }
}
