import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsBoolean,
  IsIn,
  IsOptional,
  IsString,
  IsUrl,
  MaxLength,
} from 'class-validator';
import { EVENT_TYPES } from '../../events/change-event';

const TYPES = Object.values(EVENT_TYPES);
export const WEBHOOK_URL_MAX_LENGTH = 2000;

const URL_RULE = IsUrl(
  {
    protocols: ['http', 'https'],
    require_protocol: true,
    require_tld: false,
    require_valid_protocol: true,
  },
  { message: 'url must be an http or https URL' },
);

const URL_DOC = {
  example: 'https://crm.example.com/hooks/customers',
  maxLength: WEBHOOK_URL_MAX_LENGTH,
  description:
    'Where events are posted. http or https; not an address on loopback, a private or ' +
    'link-local network (refused at registration and again at each connection). Redirects ' +
    'are not followed.',
};

const TYPES_DOC = {
  enum: TYPES,
  isArray: true,
  description: 'The event types to receive; empty or absent: all',
  example: [EVENT_TYPES.customer],
};

export class CreateWebhookEndpointDto {
  @ApiProperty(URL_DOC)
  @URL_RULE
  @MaxLength(WEBHOOK_URL_MAX_LENGTH)
  url: string;

  @ApiPropertyOptional(TYPES_DOC)
  @IsOptional()
  @IsIn(TYPES, { each: true })
  @ArrayUnique()
  @ArrayMaxSize(TYPES.length)
  eventTypes?: string[];

  @ApiPropertyOptional({ example: 'CRM sync', maxLength: 500 })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  description?: string;

  @ApiPropertyOptional({ default: true, description: 'A disabled endpoint gets no new deliveries' })
  @IsOptional()
  @IsBoolean()
  enabled?: boolean;
}

export class UpdateWebhookEndpointDto {
  @ApiPropertyOptional(URL_DOC)
  @IsOptional()
  @URL_RULE
  @MaxLength(WEBHOOK_URL_MAX_LENGTH)
  url?: string;

  @ApiPropertyOptional(TYPES_DOC)
  @IsOptional()
  @IsIn(TYPES, { each: true })
  @ArrayUnique()
  @ArrayMaxSize(TYPES.length)
  eventTypes?: string[];

  @ApiPropertyOptional({ type: String, example: 'CRM sync', maxLength: 500, nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  description?: string | null;

  @ApiPropertyOptional({
    description: 'false: no new deliveries, and pending ones wait until it is enabled again',
  })
  @IsOptional()
  @IsBoolean()
  enabled?: boolean;
}

export class WebhookEndpointResponseDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'https://crm.example.com/hooks/customers' }) url: string;
  @ApiProperty({ enum: TYPES, isArray: true, description: 'Empty: all types' })
  eventTypes: string[];
  @ApiProperty({ type: String, nullable: true, example: 'CRM sync' }) description: string | null;
  @ApiProperty() enabled: boolean;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ description: 'The client that registered it', example: 'crm-client' })
  createdBy: string;
  @ApiProperty({ format: 'date-time' }) changedAt: string;
  @ApiProperty({ example: 'crm-client' }) changedBy: string;
}

export class WebhookEndpointWithSecretDto extends WebhookEndpointResponseDto {
  @ApiProperty({
    example: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
    description:
      'The signing secret (Standard Webhooks). Shown only in this response: keep it now. ' +
      'Verify each delivery with it, e.g. `new Webhook(secret).verify(body, headers)`.',
  })
  secret: string;
}
