import {
  Body,
  Controller,
  Get,
  HttpCode,
  Param,
  ParseIntPipe,
  Patch,
  Post,
  Res,
} from '@nestjs/common';
import { FastifyReply } from 'fastify';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { RequirePermissions } from '../auth/decorators/require-permissions.decorator';
import { Permission } from '../auth/permissions';
import { ApiProblemResponses } from '../common/http/api-problem-responses.decorator';
import { LOCATION_HEADER } from '../common/http/location';
import {
  CreateOrganisationDto,
  OrganisationResponseDto,
  toOrganisationResponse,
  UpdateOrganisationDto,
} from './dto/organisation.dto';
import { OrganisationsService } from './organisations.service';
import { ApiClientHeaders } from '../common/http/api-client-headers.decorator';

@ApiTags('Organisations admin')
@ApiClientHeaders()
@Controller('customers/v2/organisations')
@RequirePermissions(Permission.CustomersAdmin)
export class OrganisationsController {
  constructor(private readonly organisations: OrganisationsService) {}

  @Get()
  @ApiOperation({ summary: 'List registered organisations', operationId: 'listOrganisations' })
  @ApiOkResponse({ type: [OrganisationResponseDto] })
  async list(): Promise<OrganisationResponseDto[]> {
    return (await this.organisations.list()).map(toOrganisationResponse);
  }

  @Get(':id')
  @ApiOperation({ summary: 'Get one organisation', operationId: 'getOrganisation' })
  @ApiOkResponse({ type: OrganisationResponseDto })
  @ApiProblemResponses(400, 404)
  async get(@Param('id', ParseIntPipe) id: number): Promise<OrganisationResponseDto> {
    return toOrganisationResponse(await this.organisations.get(id));
  }

  @Post()
  @HttpCode(201)
  @ApiOperation({ summary: 'Register an organisation', operationId: 'createOrganisation' })
  @ApiCreatedResponse({ type: OrganisationResponseDto, headers: LOCATION_HEADER })
  @ApiProblemResponses(400, 409)
  async create(
    @Body() body: CreateOrganisationDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<OrganisationResponseDto> {
    const organisation = await this.organisations.create(body.id, body.name);
    void reply.header('location', `/customers/v2/organisations/${organisation.id}`);
    return toOrganisationResponse(organisation);
  }

  @Patch(':id')
  @ApiOperation({
    summary: 'Rename, deactivate or reactivate an organisation',
    description: "A deactivated organisation's partner tokens are refused with 403 within seconds.",
    operationId: 'updateOrganisation',
  })
  @ApiOkResponse({ type: OrganisationResponseDto })
  @ApiProblemResponses(400, 404)
  async update(
    @Param('id', ParseIntPipe) id: number,
    @Body() body: UpdateOrganisationDto,
  ): Promise<OrganisationResponseDto> {
    return toOrganisationResponse(await this.organisations.update(id, body));
  }
}
