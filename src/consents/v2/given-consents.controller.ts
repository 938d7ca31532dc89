import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  Patch,
  Post,
  Query,
  Req,
  Res,
} from '@nestjs/common';
import { FastifyReply, FastifyRequest } from 'fastify';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentCaller } from '../../auth/decorators/current-caller.decorator';
import { RequirePermissions } from '../../auth/decorators/require-permissions.decorator';
import { Permission } from '../../auth/permissions';
import { Idempotent } from '../../idempotency/idempotent.decorator';
import { ApiProblemResponses } from '../../common/http/api-problem-responses.decorator';
import { LOCATION_HEADER } from '../../common/http/location';
import { linkNextPage, NEXT_PAGE_LINK_HEADER } from '../../common/http/page-cursor';
import { PAGE_SIZE_LIMIT, pageOf } from '../../common/http/page-query.dto';
import { Clock } from '../../common/clock/clock';
import { DEACTIVATED_PROFILE_RULE } from '../../profiles/profile-lifecycle';
import { RequestCaller } from '../../common/http/request-caller';
import { changedByOf, GivenConsent } from '../consent.model';
import { GivenConsentsService } from '../given/given-consents.service';
import { ResourceIdPipe } from '../../common/http/parse-positive-id.pipe';
import { toGivenConsentResponse, toHistoryEntryResponse } from './consents-v2.mapper';
import {
  ChangeGivenConsentDto,
  CreateGivenConsentDto,
  GetGivenConsentQueryDto,
  GivenConsentHistoryEntryDto,
  GivenConsentResponseDto,
  ListGivenConsentsQueryDto,
  WithdrawGivenConsentQueryDto,
} from './dto/given-consent.dto';
import { ApiClientHeaders } from '../../common/http/api-client-headers.decorator';

@ApiTags('Consents client')
@ApiClientHeaders()
@Controller('customers/v2/consents/given-consents')
export class GivenConsentsController {
  constructor(
    private readonly givenConsents: GivenConsentsService,
    private readonly clock: Clock,
  ) {}

  @Post()
  @HttpCode(201)
  @RequirePermissions(Permission.ConsentsWrite)
  @Idempotent()
  @ApiOperation({
    summary: "Record a customer's answer to a consent",
    description:
      'One given consent per customer and consent: later answers change it (PATCH), and every ' +
      'answer is kept in its history. Works for permanent and temporary profiles. Answers 201 ' +
      'with Location; the response embeds the consent and its base version (the terms). ' +
      DEACTIVATED_PROFILE_RULE,
    operationId: 'createGivenConsent',
  })
  @ApiCreatedResponse({ type: GivenConsentResponseDto, headers: LOCATION_HEADER })
  @ApiProblemResponses(400, 404, 409)
  async create(
    @CurrentCaller() caller: RequestCaller,
    @Body() body: CreateGivenConsentDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<GivenConsentResponseDto> {
    const given = await this.givenConsents.give(caller, body, changedByOf(body));
    void reply.header('location', `/customers/v2/consents/given-consents/${given.id}`);
    return toGivenConsentResponse(given, this.clock.now(), caller);
  }

  @Get()
  @RequirePermissions(Permission.ConsentsRead)
  @ApiOperation({
    summary: "A customer's given consents",
    description:
      'In id order, pages of maxResultSet (default 1000); a full page links the next one.',
    operationId: 'listGivenConsents',
  })
  @ApiOkResponse({ type: [GivenConsentResponseDto], headers: NEXT_PAGE_LINK_HEADER })
  @ApiProblemResponses(400, 404)
  async list(
    @CurrentCaller() caller: RequestCaller,
    @Query() query: ListGivenConsentsQueryDto,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<GivenConsentResponseDto[]> {
    const page = pageOf(query, PAGE_SIZE_LIMIT);
    const given = await this.givenConsents.listOfCustomer(caller, query.customerNumber, page);
    linkNextPage(reply, request.url, given, page.limit, (g: GivenConsent) => g.id);
    const now = this.clock.now();
    return (await this.givenConsents.withConsents(caller.organisationId, given)).map((g) =>
      toGivenConsentResponse(g, now, caller),
    );
  }

  @Get(':id')
  @RequirePermissions(Permission.ConsentsRead)
  @ApiOperation({
    summary: 'Get a given consent, now or at a point in time',
    description:
      'With `at`, the answer in force at that moment, from the history (404 if not yet given then).',
    operationId: 'getGivenConsent',
  })
  @ApiOkResponse({ type: GivenConsentResponseDto })
  @ApiProblemResponses(400, 404)
  async get(
    @CurrentCaller() caller: RequestCaller,
    @Param('id', ResourceIdPipe) id: number,
    @Query() query: GetGivenConsentQueryDto,
  ): Promise<GivenConsentResponseDto> {
    return this.respond(await this.givenConsents.get(caller, id, query.at), caller);
  }

  @Patch(':id')
  @RequirePermissions(Permission.ConsentsWrite)
  @ApiOperation({
    summary: 'Change a given consent (consentChoice false withdraws it)',
    description: DEACTIVATED_PROFILE_RULE,
    operationId: 'changeGivenConsent',
  })
  @ApiOkResponse({ type: GivenConsentResponseDto })
  @ApiProblemResponses(400, 404, 409)
  async change(
    @CurrentCaller() caller: RequestCaller,
    @Param('id', ResourceIdPipe) id: number,
    @Body() body: ChangeGivenConsentDto,
  ): Promise<GivenConsentResponseDto> {
    const given = await this.givenConsents.change(
      caller,
      id,
      {
        consentChoice: body.consentChoice,
        distributionChannel: body.distributionChannel,
        expirationDate: body.expirationDate,
        email: body.email,
        countryCode: body.countryCode,
        telephoneNumber: body.telephoneNumber,
      },
      changedByOf(body),
    );
    return this.respond(given, caller);
  }

  @Delete(':id')
  @RequirePermissions(Permission.ConsentsWrite)
  @ApiOperation({
    summary: 'Withdraw a given consent',
    description:
      'Records a withdrawal (consentChoice becomes false, history event WITHDRAWN) and answers ' +
      'with the given consent: the record and its history stay as evidence until the customer ' +
      'is deleted. Withdrawing an already withdrawn consent changes nothing. Accepted on a ' +
      'deactivated profile too: a customer may always stop the processing of their data.',
    operationId: 'withdrawGivenConsent',
  })
  @ApiOkResponse({ type: GivenConsentResponseDto })
  @ApiProblemResponses(400, 404)
  async withdraw(
    @CurrentCaller() caller: RequestCaller,
    @Param('id', ResourceIdPipe) id: number,
    @Query() query: WithdrawGivenConsentQueryDto,
  ): Promise<GivenConsentResponseDto> {
    const given = await this.givenConsents.withdraw(caller, id, changedByOf(query));
    return this.respond(given, caller);
  }

  @Get(':id/history')
  @RequirePermissions(Permission.ConsentsRead)
  @ApiOperation({
    summary: 'Every answer of a given consent, oldest first, with who and when',
    operationId: 'getGivenConsentHistory',
  })
  @ApiOkResponse({ type: [GivenConsentHistoryEntryDto] })
  @ApiProblemResponses(400, 404)
  async history(
    @CurrentCaller() caller: RequestCaller,
    @Param('id', ResourceIdPipe) id: number,
  ): Promise<GivenConsentHistoryEntryDto[]> {
    return (await this.givenConsents.historyOf(caller, id)).map(toHistoryEntryResponse);
  }

  private async respond(
    given: GivenConsent,
    caller: RequestCaller,
  ): Promise<GivenConsentResponseDto> {
    const [withConsent] = await this.givenConsents.withConsents(caller.organisationId, [given]);
    return toGivenConsentResponse(withConsent, this.clock.now(), caller);
  }
}
