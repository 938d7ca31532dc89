import { ApiProperty } from '@nestjs/swagger';
import { AuditEventRow } from '../audit-events.repository';

/** One audited change: who, when, what operation and which fields; never the values. */
export class AuditEventResponseDto {
  @ApiProperty({ example: 1 }) id: number;
  @ApiProperty({ example: 1 }) organisationId: number;
  @ApiProperty({ type: 'integer', nullable: true, example: 10000001, format: 'int64' })
  customerNumber: number | null;
  @ApiProperty({ example: 'PROFILE_UPDATED' }) operation: string;
  @ApiProperty({ type: [String], example: ['email', 'surname'] }) fields: string[];
  @ApiProperty({ type: String, nullable: true, example: 'partner-backend' }) clientId:
    string | null;
  @ApiProperty({
    type: String,
    nullable: true,
    example: 'vy-webshop',
    description: 'ET-Client-Name',
  })
  clientName: string | null;
  @ApiProperty({
    type: String,
    nullable: true,
    example: 'crm-user-17',
    description: 'createdBy / changedBy',
  })
  actor: string | null;
  @ApiProperty({ type: String, nullable: true, example: 'crm' }) channel: string | null;
  @ApiProperty({ type: String, nullable: true }) correlationId: string | null;
  @ApiProperty({ format: 'date-time' }) occurredAt: string;
}

export function toAuditEventResponse(row: AuditEventRow): AuditEventResponseDto {
  return {
    id: Number(row.id),
    organisationId: row.organisation_id,
    customerNumber: row.customer_number === null ? null : Number(row.customer_number),
    operation: row.operation,
    fields: row.fields,
    clientId: row.client_id,
    clientName: row.client_name,
    actor: row.actor,
    channel: row.channel,
    correlationId: row.correlation_id,
    occurredAt: new Date(row.occurred_at).toISOString(),
  };
}
