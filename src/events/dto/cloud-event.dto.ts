import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { EVENT_SOURCE, EVENT_TYPES } from '../change-event';

export class ChangeEventDataDto {
  @ApiProperty({ enum: ['CREATE', 'UPDATE', 'DELETE'] }) operation: string;
  @ApiProperty({
    description: 'What the audit trail calls the change',
    example: 'PROFILE_UPDATED',
  })
  change: string;
  @ApiProperty({ example: 1 }) organisationId: number;
  @ApiProperty({ type: Number, nullable: true, example: 10012345 }) customerNumber: number | null;
  @ApiProperty({
    type: [String],
    description: 'Names of the fields the change set; never their values',
    example: ['email', 'firstName'],
  })
  changedFields: string[];
  @ApiProperty({
    type: Number,
    nullable: true,
    description:
      "The record's version after the change (a profile's version, a given consent's revision)",
  })
  version: number | null;
  @ApiProperty({
    description: "Position of the event among its subject's events, from 1, without gaps",
    example: 3,
  })
  sequence: number;
  @ApiPropertyOptional({ description: 'Given-consent events: the given consent' })
  givenConsentId?: number;
  @ApiPropertyOptional({ description: 'Consent and given-consent events: the consent' })
  consentId?: number;
}

/** A change event as CloudEvents 1.0 structured JSON. */
export class CloudEventDto {
  @ApiProperty({ enum: ['1.0'] }) specversion: '1.0';
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: EVENT_SOURCE }) source: string;
  @ApiProperty({ enum: Object.values(EVENT_TYPES) }) type: string;
  @ApiProperty({
    description: 'The customer number, or `consents/<id>` for a consent of the organisation',
    example: '10012345',
  })
  subject: string;
  @ApiProperty({ format: 'date-time' }) time: string;
  @ApiProperty({ enum: ['application/json'] }) datacontenttype: 'application/json';
  @ApiProperty({ type: ChangeEventDataDto }) data: ChangeEventDataDto;
}

export class EventFeedPageDto {
  @ApiProperty({ type: [CloudEventDto], description: 'In the order they happened' })
  events: CloudEventDto[];
  @ApiProperty({
    description:
      'Pass as `after` to read on from here; also when the page is empty, to poll for new events',
  })
  next: string;
}
