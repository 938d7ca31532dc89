import { Controller, Get, Query, Req, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { FastifyReply, FastifyRequest } from 'fastify';
import { CurrentCaller } from '../auth/decorators/current-caller.decorator';
import { RequestCaller } from '../common/http/request-caller';
import { RequirePermissions } from '../auth/decorators/require-permissions.decorator';
import { Permission } from '../auth/permissions';
import { ApiClientHeaders } from '../common/http/api-client-headers.decorator';
import { ApiProblemResponses } from '../common/http/api-problem-responses.decorator';
import {
  decodeCursor,
  encodeCursor,
  NEXT_PAGE_LINK_HEADER,
  nextPageLink,
} from '../common/http/page-cursor';
import { toCloudEvent } from './change-event';
import { EventFeedPageDto } from './dto/cloud-event.dto';
import { EventFeedQueryDto } from './dto/event-feed-query.dto';
import { EventsRepository } from './events.repository';

@ApiTags('Events')
@ApiClientHeaders()
@Controller('customers/v2/events')
export class EventsController {
  constructor(private readonly events: EventsRepository) {}

  @Get()
  @RequirePermissions(Permission.CustomersRead)
  @ApiOperation({
    summary: "The organisation's change events, in order",
    description:
      'For partners that cannot receive webhooks: every change to the organisation’s customers, ' +
      'given consents and consents as a CloudEvents 1.0 event, oldest first, field names only. ' +
      'Keep `next` and read on from it; an empty page means nothing new yet. An event appears ' +
      'once every change committed before it is visible, so a cursor never skips one. Events are ' +
      'kept for EVENTS_RETENTION_DAYS (default 30).',
    operationId: 'listEvents',
  })
  @ApiOkResponse({ type: EventFeedPageDto, headers: NEXT_PAGE_LINK_HEADER })
  @ApiProblemResponses(400)
  async list(
    @CurrentCaller() caller: RequestCaller,
    @Query() query: EventFeedQueryDto,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<EventFeedPageDto> {
    const after = query.after === undefined ? 0n : decodeCursor('after', query.after);
    const limit = query.limit ?? 100;
    const rows = await this.events.feedPage(caller.organisationId, after, limit);
    const next = encodeCursor(rows.length ? rows[rows.length - 1].position : after);
    if (rows.length === limit) {
      void reply.header('link', nextPageLink(request.url, next, 'after'));
    }
    return { events: rows.map(toCloudEvent), next };
  }
}
