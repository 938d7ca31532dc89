import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Patch,
  Post,
  Query,
  Req,
  Res,
} from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { FastifyReply, FastifyRequest } from 'fastify';
import { CurrentCaller } from '../auth/decorators/current-caller.decorator';
import { RequestCaller } from '../common/http/request-caller';
import { RequirePermissions } from '../auth/decorators/require-permissions.decorator';
import { Permission } from '../auth/permissions';
import { ValidationDomainException } from '../common/errors/domain.exception';
import { ApiClientHeaders } from '../common/http/api-client-headers.decorator';
import { ApiProblemResponses } from '../common/http/api-problem-responses.decorator';
import { LOCATION_HEADER } from '../common/http/location';
import { linkNextPage, NEXT_PAGE_LINK_HEADER } from '../common/http/page-cursor';
import { pageOf } from '../common/http/page-query.dto';
import {
  ListWebhookDeliveriesQueryDto,
  WebhookDeliveryResponseDto,
  WebhookDeliveryWithAttemptsDto,
} from './dto/webhook-delivery.dto';
import {
  CreateWebhookEndpointDto,
  UpdateWebhookEndpointDto,
  WebhookEndpointResponseDto,
  WebhookEndpointWithSecretDto,
} from './dto/webhook-endpoint.dto';
import { DeliveryRow } from './webhooks.repository';
import {
  MAX_ENDPOINTS_PER_ORGANISATION,
  toDeliveryResponse,
  WebhooksService,
} from './webhooks.service';

/** An endpoint or delivery id is a UUID; anything else is 400 naming the parameter. */
class UuidParam extends ParseUUIDPipe {
  constructor(name: string) {
    super({
      exceptionFactory: () =>
        new ValidationDomainException(`${name} must be a UUID`, [
          { field: name, message: `${name} must be a UUID` },
        ]),
    });
  }
}
const ENDPOINT_ID = new UuidParam('id');
const DELIVERY_ID = new UuidParam('deliveryId');

const BASE = '/customers/v2/webhooks';

@ApiTags('Webhooks')
@ApiClientHeaders()
@Controller('customers/v2/webhooks')
export class WebhooksController {
  constructor(private readonly webhooks: WebhooksService) {}

  @Post()
  @RequirePermissions(Permission.WebhooksManage, Permission.CustomersAdmin)
  @ApiOperation({
    operationId: 'createWebhookEndpoint',
    summary: 'Register a webhook endpoint',
    description:
      'Change events of the organisation (CloudEvents 1.0, structured JSON) are posted to the ' +
      'URL, signed per Standard Webhooks (`webhook-id`, `webhook-timestamp`, ' +
      '`webhook-signature: v1,<base64 HMAC-SHA256>`) with the secret in this response, which is ' +
      'shown only here. A 2xx answer delivers; anything else, a redirect included, is retried ' +
      'with exponential backoff and jitter for 24 hours, then dead-lettered. URLs on loopback, ' +
      'private, link-local or reserved addresses are refused (400). ' +
      `A URL is registered once per organisation, and at most ${MAX_ENDPOINTS_PER_ORGANISATION} ` +
      'endpoints per organisation (409).',
  })
  @ApiCreatedResponse({ type: WebhookEndpointWithSecretDto, headers: LOCATION_HEADER })
  @ApiProblemResponses(400, 409)
  async create(
    @CurrentCaller() caller: RequestCaller,
    @Body() body: CreateWebhookEndpointDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<WebhookEndpointWithSecretDto> {
    const created = await this.webhooks.create(caller, body);
    void reply.header('location', `${BASE}/${created.id}`);
    return created;
  }

  @Get()
  @RequirePermissions(Permission.WebhooksManage, Permission.CustomersAdmin)
  @ApiOperation({
    operationId: 'listWebhookEndpoints',
    summary: "The organisation's webhook endpoints",
    description: 'Oldest first, without their secrets.',
  })
  @ApiOkResponse({ type: [WebhookEndpointResponseDto] })
  @ApiProblemResponses(400)
  list(@CurrentCaller() caller: RequestCaller): Promise<WebhookEndpointResponseDto[]> {
    return this.webhooks.list(caller.organisationId);
  }

  @Get(':id')
  @RequirePermissions(Permission.WebhooksManage, Permission.CustomersAdmin)
  @ApiOperation({ operationId: 'getWebhookEndpoint', summary: 'A webhook endpoint' })
  @ApiOkResponse({ type: WebhookEndpointResponseDto })
  @ApiProblemResponses(400, 404)
  get(
    @CurrentCaller() caller: RequestCaller,
    @Param('id', ENDPOINT_ID) id: string,
  ): Promise<WebhookEndpointResponseDto> {
    return this.webhooks.get(caller.organisationId, id);
  }

  @Patch(':id')
  @RequirePermissions(Permission.WebhooksManage, Permission.CustomersAdmin)
  @ApiOperation({
    operationId: 'updateWebhookEndpoint',
    summary: 'Change the URL, event types, description or enabled flag of an endpoint',
    description:
      'Only the fields sent change. Pending deliveries go to the new URL; a disabled endpoint ' +
      'gets no new deliveries and its pending ones wait until it is enabled again. A URL another ' +
      'endpoint of the organisation has answers 409.',
  })
  @ApiOkResponse({ type: WebhookEndpointResponseDto })
  @ApiProblemResponses(400, 404, 409)
  update(
    @CurrentCaller() caller: RequestCaller,
    @Param('id', ENDPOINT_ID) id: string,
    @Body() body: UpdateWebhookEndpointDto,
  ): Promise<WebhookEndpointResponseDto> {
    return this.webhooks.update(caller, id, body);
  }

  @Delete(':id')
  @HttpCode(204)
  @RequirePermissions(Permission.WebhooksManage, Permission.CustomersAdmin)
  @ApiOperation({
    operationId: 'deleteWebhookEndpoint',
    summary: 'Delete a webhook endpoint',
    description: 'Its deliveries, pending ones included, are deleted with it.',
  })
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiProblemResponses(400, 404)
  async remove(@CurrentCaller() caller: RequestCaller, @Param('id', ENDPOINT_ID) id: string) {
    await this.webhooks.remove(caller.organisationId, id);
  }

  @Post(':id/rotate-secret')
  @HttpCode(200)
  @RequirePermissions(Permission.WebhooksManage, Permission.CustomersAdmin)
  @ApiOperation({
    operationId: 'rotateWebhookSecret',
    summary: "Replace an endpoint's signing secret",
    description:
      'The new secret is shown only in this response and signs every attempt from now on, ' +
      'retries of earlier deliveries included.',
  })
  @ApiOkResponse({ type: WebhookEndpointWithSecretDto })
  @ApiProblemResponses(400, 404)
  rotateSecret(
    @CurrentCaller() caller: RequestCaller,
    @Param('id', ENDPOINT_ID) id: string,
  ): Promise<WebhookEndpointWithSecretDto> {
    return this.webhooks.rotateSecret(caller, id);
  }

  @Get(':id/deliveries')
  @RequirePermissions(Permission.WebhooksManage, Permission.CustomersAdmin)
  @ApiOperation({
    operationId: 'listWebhookDeliveries',
    summary: "An endpoint's deliveries",
    description:
      'In event order, pages of maxResultSet (default 100); a full page links the next one. ' +
      'status=DEAD_LETTERED lists those waiting for a replay. Deliveries are kept as long as ' +
      'their events (EVENTS_RETENTION_DAYS).',
  })
  @ApiOkResponse({ type: [WebhookDeliveryResponseDto], headers: NEXT_PAGE_LINK_HEADER })
  @ApiProblemResponses(400, 404)
  async deliveries(
    @CurrentCaller() caller: RequestCaller,
    @Param('id', ENDPOINT_ID) id: string,
    @Query() query: ListWebhookDeliveriesQueryDto,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<WebhookDeliveryResponseDto[]> {
    const page = pageOf(query, 100);
    const rows = await this.webhooks.deliveries(caller.organisationId, id, page, query.status);
    linkNextPage(reply, request.url, rows, page.limit, (row: DeliveryRow) => row.event_position);
    return rows.map(toDeliveryResponse);
  }

  @Get(':id/deliveries/:deliveryId')
  @RequirePermissions(Permission.WebhooksManage, Permission.CustomersAdmin)
  @ApiOperation({
    operationId: 'getWebhookDelivery',
    summary: 'A delivery and its attempts',
  })
  @ApiOkResponse({ type: WebhookDeliveryWithAttemptsDto })
  @ApiProblemResponses(400, 404)
  delivery(
    @CurrentCaller() caller: RequestCaller,
    @Param('id', ENDPOINT_ID) id: string,
    @Param('deliveryId', DELIVERY_ID) deliveryId: string,
  ): Promise<WebhookDeliveryWithAttemptsDto> {
    return this.webhooks.delivery(caller.organisationId, id, deliveryId);
  }

  @Post(':id/deliveries/:deliveryId/replay')
  @HttpCode(202)
  @RequirePermissions(Permission.WebhooksManage, Permission.CustomersAdmin)
  @ApiOperation({
    operationId: 'replayWebhookDelivery',
    summary: 'Deliver a finished delivery again',
    description:
      'A dead-lettered (or delivered) delivery becomes PENDING and is tried at once, with the ' +
      'same webhook-id, then retried for another 24 hours if it fails. Its attempts go on ' +
      'counting. 409 while it is still pending.',
  })
  @ApiAcceptedResponse({ type: WebhookDeliveryWithAttemptsDto })
  @ApiProblemResponses(400, 404, 409)
  replay(
    @CurrentCaller() caller: RequestCaller,
    @Param('id', ENDPOINT_ID) id: string,
    @Param('deliveryId', DELIVERY_ID) deliveryId: string,
  ): Promise<WebhookDeliveryWithAttemptsDto> {
    return this.webhooks.replay(caller.organisationId, id, deliveryId);
  }
}
