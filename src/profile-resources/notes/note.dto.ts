import { applyDecorators } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length, Matches } from 'class-validator';
import { AUDIT_FIELD_MAX_LENGTH, IsShortText } from '../../profiles/dto/profile-field-rules';
import { ResourceDefinition, Row, toIso } from '../resource-definition';

export const NOTE_TEXT_MAX_LENGTH = 4000;

/** The text of a note: 1–4000 characters, not only white space; line breaks are kept. */
function IsNoteText() {
  return applyDecorators(
    IsString(),
    Length(1, NOTE_TEXT_MAX_LENGTH),
    Matches(/\S/, { message: 'text must not be only white space' }),
  );
}

const TEXT_PROPERTY = ApiProperty({
  example: 'Called about a refund for order 4711; sent the form by e-mail.',
  minLength: 1,
  maxLength: NOTE_TEXT_MAX_LENGTH,
  description: 'Free text, line breaks allowed; not only white space',
});

export class CreateNoteRequestDto {
  @TEXT_PROPERTY
  @IsNoteText()
  text: string;

  @ApiProperty({
    example: 'crm-user-17',
    maxLength: AUDIT_FIELD_MAX_LENGTH,
    description: 'Who writes the note (user, employee or system)',
  })
  @IsShortText(AUDIT_FIELD_MAX_LENGTH)
  createdBy: string;
}

export class UpdateNoteRequestDto {
  @TEXT_PROPERTY
  @IsNoteText()
  text: string;

  @ApiProperty({
    example: 'crm-user-17',
    maxLength: AUDIT_FIELD_MAX_LENGTH,
    description: 'Who changes the note',
  })
  @IsShortText(AUDIT_FIELD_MAX_LENGTH)
  changedBy: string;
}

/** Entur's NoteResponse, with the customer's number under its current name. */
export class NoteResponseDto {
  @ApiProperty({ example: 1, format: 'int64' }) id: number;
  @ApiProperty({ example: 10000001, format: 'int64' }) customerNumber: number;
  @ApiProperty({
    example: 10000001,
    format: 'int64',
    deprecated: true,
    description: "Entur's name of customerNumber; the same value",
  })
  customerId: number;
  @ApiProperty({ example: 'Called about a refund for order 4711; sent the form by e-mail.' })
  text: string;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ example: 'crm-user-17' }) createdBy: string;
  @ApiProperty({ format: 'date-time' }) changedAt: string;
  @ApiProperty({ example: 'crm-user-17' }) changedBy: string;
}

export const NOTES: ResourceDefinition<NoteResponseDto> = {
  table: 'notes',
  noun: 'Note',
  auditName: 'NOTE',
  columns: { text: 'text', createdBy: 'created_by', changedBy: 'changed_by' },
  updateColumns: { text: 'text', changedBy: 'changed_by' },
  onAdd: (body) => ({ ...body, changedBy: (body as CreateNoteRequestDto).createdBy }),
  // As ecards: a temporary profile holds consents, postal addresses and preferences only.
  notForTemporaryProfiles: true,
  toResponse: (row: Row) => ({
    id: Number(row.id),
    customerNumber: Number(row.customer_number),
    customerId: Number(row.customer_number),
    text: row.text,
    createdAt: toIso(row.created_at)!,
    createdBy: row.created_by,
    changedAt: toIso(row.changed_at)!,
    changedBy: row.changed_by,
  }),
};
