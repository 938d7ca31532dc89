import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { Clock } from '../common/clock/clock';
import { RequestCaller } from '../common/http/request-caller';
import {
  ConflictDomainException,
  NotFoundDomainException,
} from '../common/errors/domain.exception';
import { Page } from '../common/http/page-query.dto';
import { AppConfig } from '../config/app-config';
import {
  WebhookDeliveryResponseDto,
  WebhookDeliveryWithAttemptsDto,
} from './dto/webhook-delivery.dto';
import {
  CreateWebhookEndpointDto,
  UpdateWebhookEndpointDto,
  WebhookEndpointResponseDto,
  WebhookEndpointWithSecretDto,
} from './dto/webhook-endpoint.dto';
import { assertDeliverableUrl } from './endpoint-url';
import { newWebhookSecret } from './webhook-secret';
import {
  AttemptRow,
  DeliveryRow,
  DeliveryStatus,
  EndpointRow,
  WebhooksRepository,
} from './webhooks.repository';

/** Endpoints an organisation may register: enough for every system it runs, not a fan-out. */
export const MAX_ENDPOINTS_PER_ORGANISATION = 20;

const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);

/** An organisation's webhook endpoints and their deliveries; another organisation's are 404. */
@Injectable()
export class WebhooksService {
  constructor(
    private readonly repository: WebhooksRepository,
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  async create(
    caller: RequestCaller,
    body: CreateWebhookEndpointDto,
  ): Promise<WebhookEndpointWithSecretDto> {
    await assertDeliverableUrl(body.url, this.config.events.webhookAllowPrivate);
    const row = await this.repository.insertEndpointWithinLimit(
      {
        id: randomUUID(),
        organisation_id: caller.organisationId,
        url: body.url,
        event_types: body.eventTypes ?? [],
        secret: newWebhookSecret(),
        description: body.description ?? null,
        enabled: body.enabled ?? true,
        created_at: this.clock.now(),
        created_by: caller.clientId.slice(0, 200),
      },
      MAX_ENDPOINTS_PER_ORGANISATION,
    );
    if (!row) {
      throw new ConflictDomainException(
        `An organisation can register at most ${MAX_ENDPOINTS_PER_ORGANISATION} webhook endpoints`,
      );
    }
    return { ...toEndpointResponse(row), secret: row.secret };
  }

  async list(organisationId: number): Promise<WebhookEndpointResponseDto[]> {
    return (await this.repository.listEndpoints(organisationId)).map(toEndpointResponse);
  }

  async get(organisationId: number, id: string): Promise<WebhookEndpointResponseDto> {
    return toEndpointResponse(await this.endpoint(organisationId, id));
  }

  async update(
    caller: RequestCaller,
    id: string,
    body: UpdateWebhookEndpointDto,
  ): Promise<WebhookEndpointResponseDto> {
    await this.endpoint(caller.organisationId, id);
    if (body.url !== undefined) {
      await assertDeliverableUrl(body.url, this.config.events.webhookAllowPrivate);
    }
    const row = await this.repository.updateEndpoint(
      caller.organisationId,
      id,
      body,
      this.by(caller),
    );
    return toEndpointResponse(row ?? notFound());
  }

  async remove(organisationId: number, id: string): Promise<void> {
    if (!(await this.repository.deleteEndpoint(organisationId, id))) {
      notFound();
    }
  }

  /** A new secret at once: deliveries from now on are signed with it only. */
  async rotateSecret(caller: RequestCaller, id: string): Promise<WebhookEndpointWithSecretDto> {
    const secret = newWebhookSecret();
    const row = await this.repository.replaceSecret(
      caller.organisationId,
      id,
      secret,
      this.by(caller),
    );
    return { ...toEndpointResponse(row ?? notFound()), secret };
  }

  async deliveries(
    organisationId: number,
    endpointId: string,
    page: Page,
    status?: DeliveryStatus,
  ): Promise<DeliveryRow[]> {
    await this.endpoint(organisationId, endpointId);
    return this.repository.listDeliveries(organisationId, endpointId, page, status);
  }

  async delivery(
    organisationId: number,
    endpointId: string,
    id: string,
  ): Promise<WebhookDeliveryWithAttemptsDto> {
    const row = await this.repository.findDelivery(organisationId, endpointId, id);
    if (!row) {
      throw new NotFoundDomainException('The webhook delivery');
    }
    return toDeliveryWithAttempts(row, await this.repository.attemptsOf(id));
  }

  /** A finished delivery (dead-lettered or delivered) is tried again, due now; 409 while pending. */
  async replay(
    organisationId: number,
    endpointId: string,
    id: string,
  ): Promise<WebhookDeliveryWithAttemptsDto> {
    const current = await this.delivery(organisationId, endpointId, id);
    if (!(await this.repository.replay(organisationId, endpointId, id))) {
      throw new ConflictDomainException(
        `The delivery is ${current.status === 'PENDING' ? 'still being tried' : 'changing'}: ` +
          'only a finished delivery can be replayed',
      );
    }
    return this.delivery(organisationId, endpointId, id);
  }

  private async endpoint(organisationId: number, id: string): Promise<EndpointRow> {
    return (await this.repository.findEndpoint(organisationId, id)) ?? notFound();
  }

  private by(caller: RequestCaller) {
    return { at: this.clock.now(), clientId: caller.clientId.slice(0, 200) };
  }
}

function notFound(): never {
  throw new NotFoundDomainException('The webhook endpoint');
}

export function toEndpointResponse(row: EndpointRow): WebhookEndpointResponseDto {
  return {
    id: row.id,
    url: row.url,
    eventTypes: row.event_types,
    description: row.description,
    enabled: row.enabled,
    createdAt: iso(row.created_at)!,
    createdBy: row.created_by,
    changedAt: iso(row.changed_at)!,
    changedBy: row.changed_by,
  };
}

export function toDeliveryResponse(row: DeliveryRow): WebhookDeliveryResponseDto {
  return {
    id: row.id,
    endpointId: row.endpoint_id,
    eventId: row.event_id,
    eventType: row.event_type,
    status: row.status,
    attemptCount: row.attempts,
    nextAttemptAt: row.status === 'PENDING' ? iso(row.next_attempt_at) : null,
    lastStatusCode: row.last_status_code,
    lastError: row.last_error,
    createdAt: iso(row.created_at)!,
    finishedAt: iso(row.finished_at),
  };
}

function toDeliveryWithAttempts(
  row: DeliveryRow,
  attempts: AttemptRow[],
): WebhookDeliveryWithAttemptsDto {
  return {
    ...toDeliveryResponse(row),
    attempts: attempts.map((a) => ({
      attempt: a.attempt,
      at: iso(a.at)!,
      statusCode: a.status_code,
      error: a.error,
      durationMs: a.duration_ms,
    })),
  };
}
