import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { PageQueryDto } from '../../common/http/page-query.dto';
import { EVENT_TYPES } from '../../events/change-event';

export const DELIVERY_STATUSES = ['PENDING', 'SUCCEEDED', 'DEAD_LETTERED'] as const;

export class ListWebhookDeliveriesQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: DELIVERY_STATUSES, description: 'Only deliveries in this status' })
  @IsOptional()
  @IsIn(DELIVERY_STATUSES)
  status?: (typeof DELIVERY_STATUSES)[number];
}

export class WebhookDeliveryResponseDto {
  @ApiProperty({ format: 'uuid', description: 'Sent as `webhook-id`, the same on every attempt' })
  id: string;
  @ApiProperty({ format: 'uuid' }) endpointId: string;
  @ApiProperty({ format: 'uuid', description: 'The CloudEvent id' }) eventId: string;
  @ApiProperty({ enum: Object.values(EVENT_TYPES) }) eventType: string;
  @ApiProperty({
    enum: DELIVERY_STATUSES,
    description:
      'PENDING: being tried; SUCCEEDED: the receiver answered 2xx; DEAD_LETTERED: still failing ' +
      'at the end of the retry window (24 hours), until replayed',
  })
  status: string;
  @ApiProperty({ description: 'Attempts so far, replays included', example: 1 })
  attemptCount: number;
  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  nextAttemptAt: string | null;
  @ApiProperty({ type: Number, nullable: true, example: 200 }) lastStatusCode: number | null;
  @ApiProperty({ type: String, nullable: true, description: 'Why the last attempt had no answer' })
  lastError: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  finishedAt: string | null;
}

export class WebhookAttemptDto {
  @ApiProperty({ example: 1 }) attempt: number;
  @ApiProperty({ format: 'date-time' }) at: string;
  @ApiProperty({ type: Number, nullable: true, example: 500 }) statusCode: number | null;
  @ApiProperty({ type: String, nullable: true, example: 'ECONNREFUSED: connect ECONNREFUSED' })
  error: string | null;
  @ApiProperty({ example: 42 }) durationMs: number;
}

export class WebhookDeliveryWithAttemptsDto extends WebhookDeliveryResponseDto {
  @ApiProperty({ type: [WebhookAttemptDto], description: 'Oldest first' })
  attempts: WebhookAttemptDto[];
}
