import { Body, Controller, Get, HttpCode, Param, Post, Put } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuthContext } from '../../auth/auth-context';
import { CurrentAuth } from '../../auth/decorators/current-auth.decorator';
import { RequirePermissions } from '../../auth/decorators/require-permissions.decorator';
import { Permission } from '../../auth/permissions';
import { ApiProblemResponses } from '../../common/http/api-problem-responses.decorator';
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

@ApiTags('Consents admin')
@ApiClientHeaders()
@Controller('customers/v2/consents/consent-bases')
@RequirePermissions(Permission.CustomersAdmin)
export class ConsentBasesController {
  constructor(private readonly consents: ConsentsService) {}

  @Get()
  @ApiOperation({
    summary: 'List consent bases (latest version of each)',
    operationId: 'listConsentBases',
  })
  @ApiOkResponse({ type: [ConsentBaseResponseDto] })
  async list(): Promise<ConsentBaseResponseDto[]> {
    return (await this.consents.listBases()).map(toConsentBaseResponse);
  }

  @Post()
  @HttpCode(201)
  @ApiOperation({
    summary: 'Create a consent base (version 1, as a draft)',
    description: 'The consentCode is unique system-wide. The draft is editable until activated.',
    operationId: 'createConsentBase',
  })
  @ApiCreatedResponse({ type: ConsentBaseResponseDto })
  @ApiProblemResponses(400, 409)
  async create(
    @CurrentAuth() auth: AuthContext,
    @Body() body: CreateConsentBaseDto,
  ): Promise<ConsentBaseResponseDto> {
    assertOwnOrganisation(auth.organisationId, body.consentOwnerOrgId);
    const base = await this.consents.createBase(auth.organisationId, body.consentCode, body, {
      clientId: auth.clientId,
    });
    return toConsentBaseResponse(base);
  }

  @Get(':consentCode/versions')
  @ApiOperation({
    summary: 'All versions of a consent base',
    operationId: 'listConsentBaseVersions',
  })
  @ApiOkResponse({ type: [ConsentBaseResponseDto] })
  @ApiProblemResponses(400, 404)
  async versions(@Param('consentCode') consentCode: string): Promise<ConsentBaseResponseDto[]> {
    return (await this.consents.listBaseVersions(consentCode)).map(toConsentBaseResponse);
  }

  @Post(':consentCode/versions')
  @HttpCode(201)
  @ApiOperation({
    summary: 'Start a new version of an active consent base (as a draft)',
    description: 'Active versions are immutable: a change of terms is a new version.',
    operationId: 'createConsentBaseVersion',
  })
  @ApiCreatedResponse({ type: ConsentBaseResponseDto })
  @ApiProblemResponses(400, 404, 409)
  async createVersion(
    @CurrentAuth() auth: AuthContext,
    @Param('consentCode') consentCode: string,
    @Body() body: UpdateConsentBaseDto,
  ): Promise<ConsentBaseResponseDto> {
    const base = await this.consents.createBaseVersion(consentCode, body, {
      clientId: auth.clientId,
    });
    return toConsentBaseResponse(base);
  }

  @Get(':consentCode/versions/:version')
  @ApiOperation({ summary: 'One version of a consent base', operationId: 'getConsentBaseVersion' })
  @ApiOkResponse({ type: ConsentBaseResponseDto })
  @ApiProblemResponses(400, 404)
  async get(
    @Param('consentCode') consentCode: string,
    @Param('version', new ParsePositiveIdPipe('version')) version: number,
  ): Promise<ConsentBaseResponseDto> {
    return toConsentBaseResponse(await this.consents.getBase(consentCode, version));
  }

  @Put(':consentCode/versions/:version')
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
    return toConsentBaseResponse(base);
  }

  @Post(':consentCode/versions/:version/activate')
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
    return toConsentBaseResponse(base);
  }
}
