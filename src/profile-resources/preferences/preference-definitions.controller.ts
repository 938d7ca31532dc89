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
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';
import { FastifyReply } from 'fastify';
import { CurrentCaller } from '../../auth/decorators/current-caller.decorator';
import { RequirePermissions } from '../../auth/decorators/require-permissions.decorator';
import { Permission } from '../../auth/permissions';
import { ApiClientHeaders } from '../../common/http/api-client-headers.decorator';
import { ApiProblemResponses } from '../../common/http/api-problem-responses.decorator';
import { RequestCaller } from '../../common/http/request-caller';
import { ApiConditionalGet } from '../../common/http/conditional-get';
import { LOCATION_HEADER } from '../../common/http/location';
import { ResourceIdPipe } from '../../common/http/parse-positive-id.pipe';
import { parseIfMatch } from '../../profiles/if-match';
import { DEFINITION, PreferenceCatalogueService } from './preference-catalogue.service';
import {
  ListPreferenceDefinitionsQueryDto,
  PreferenceDefinitionRequestDto,
  PreferenceDefinitionResponseDto,
} from './preference-definition.dto';
import { PreferenceDefinition } from './preference-definitions.repository';

const BASE = '/customers/v2/preferences';
const ID = ApiParam({ name: 'id', schema: { type: 'integer', format: 'int64', minimum: 1 } });
const IF_MATCH_HEADER = ApiHeader({
  name: 'If-Match',
  required: false,
  description:
    'The ETag of the version read (e.g. "3"); a stale one answers 412 with currentVersion',
});
const CATALOGUE_RULE =
  "A customer's preference (/profiles/{customerNumber}/preferences) may use any code: a code " +
  'the catalogue holds as inactive is refused there (409), a code it does not hold is an ' +
  "organisation's own preference and stays accepted.";

function toResponse(definition: PreferenceDefinition): PreferenceDefinitionResponseDto {
  return {
    id: definition.id,
    isActive: definition.isActive,
    preferenceCode: definition.preferenceCode,
    preferenceType: definition.preferenceType,
    preferenceDescription: definition.preferenceDescription,
    version: definition.version,
    createdAt: definition.createdAt.toISOString(),
    changedAt: definition.changedAt.toISOString(),
  };
}

function withEtag(
  reply: FastifyReply,
  definition: PreferenceDefinition,
): PreferenceDefinitionResponseDto {
  void reply.header('etag', `"${definition.version}"`);
  return toResponse(definition);
}

function fieldsOf(body: PreferenceDefinitionRequestDto) {
  return {
    preferenceCode: body.preferenceCode,
    preferenceType: body.preferenceType,
    preferenceDescription: body.preferenceDescription ?? null,
    isActive: body.isActive ?? true,
  };
}

/** Entur's "Preferences admin": the catalogue of preferences, shared by every organisation. */
@ApiTags('Preferences admin')
@ApiClientHeaders()
@Controller('customers/v2/preferences')
export class PreferenceDefinitionsController {
  constructor(private readonly catalogue: PreferenceCatalogueService) {}

  @Get()
  @RequirePermissions(Permission.CustomersRead, Permission.CustomersAdmin)
  @ApiOperation({
    summary: 'List the preference catalogue, inactive definitions included',
    description: `Every definition, ordered by id; isActive filters. ${CATALOGUE_RULE}`,
    operationId: 'listPreferenceDefinitions',
  })
  @ApiOkResponse({ type: [PreferenceDefinitionResponseDto] })
  @ApiProblemResponses(400)
  async list(
    @Query() query: ListPreferenceDefinitionsQueryDto,
  ): Promise<PreferenceDefinitionResponseDto[]> {
    return (await this.catalogue.list(query.isActive)).map(toResponse);
  }

  @Get(':id')
  @RequirePermissions(Permission.CustomersRead, Permission.CustomersAdmin)
  @ApiOperation({ summary: 'Get a preference definition', operationId: 'getPreferenceDefinition' })
  @ID
  @ApiConditionalGet()
  @ApiOkResponse({ type: PreferenceDefinitionResponseDto })
  @ApiProblemResponses(400, 404)
  async get(
    @Param('id', ResourceIdPipe) id: number,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<PreferenceDefinitionResponseDto> {
    return withEtag(reply, await this.catalogue.get(id));
  }

  @Post()
  @HttpCode(201)
  @RequirePermissions(Permission.CustomersAdmin)
  @ApiOperation({
    summary: 'Add a preference definition',
    description: `preferenceCode is unique in the catalogue: 409 when taken. Answers 201 with Location and ETag. ${CATALOGUE_RULE}`,
    operationId: 'createPreferenceDefinition',
  })
  @ApiCreatedResponse({ type: PreferenceDefinitionResponseDto, headers: LOCATION_HEADER })
  @ApiProblemResponses(400, 409, 413, 415)
  async create(
    @CurrentCaller() caller: RequestCaller,
    @Body() body: PreferenceDefinitionRequestDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<PreferenceDefinitionResponseDto> {
    const created = await this.catalogue.create(caller, fieldsOf(body));
    void reply.header('location', `${BASE}/${created.id}`);
    return withEtag(reply, created);
  }

  @Put(':id')
  @RequirePermissions(Permission.CustomersAdmin)
  @ApiOperation({
    summary: 'Replace a preference definition',
    description:
      'Sets every field (a description left out is cleared). isActive false retires the code: ' +
      "customers' preferences can no longer be written with it (409). The preferenceCode of a " +
      "definition that customers' preferences use cannot change (409). With If-Match, only the " +
      'version read is replaced (412 with currentVersion otherwise).',
    operationId: 'replacePreferenceDefinition',
  })
  @ID
  @IF_MATCH_HEADER
  @ApiOkResponse({ type: PreferenceDefinitionResponseDto })
  @ApiProblemResponses(400, 404, 409, 412, 413, 415)
  async replace(
    @CurrentCaller() caller: RequestCaller,
    @Param('id', ResourceIdPipe) id: number,
    @Body() body: PreferenceDefinitionRequestDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<PreferenceDefinitionResponseDto> {
    const replaced = await this.catalogue.replace(
      caller,
      id,
      fieldsOf(body),
      parseIfMatch(ifMatch, DEFINITION),
    );
    return withEtag(reply, replaced);
  }

  @Delete(':id')
  @HttpCode(204)
  @RequirePermissions(Permission.CustomersAdmin)
  @ApiOperation({
    summary: 'Delete a preference definition that no customer uses',
    description:
      "A definition whose code any customer's preference carries is not deleted: 409, set its " +
      'isActive to false instead (its code then stays known and is refused on new writes). ' +
      'With If-Match, only the version read is deleted (412 with currentVersion otherwise).',
    operationId: 'deletePreferenceDefinition',
  })
  @ID
  @IF_MATCH_HEADER
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiProblemResponses(400, 404, 409, 412)
  async remove(
    @CurrentCaller() caller: RequestCaller,
    @Param('id', ResourceIdPipe) id: number,
    @Headers('if-match') ifMatch: string | undefined,
  ): Promise<void> {
    await this.catalogue.remove(caller, id, parseIfMatch(ifMatch, DEFINITION));
  }
}
