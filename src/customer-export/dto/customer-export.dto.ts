import { ApiProperty } from '@nestjs/swagger';
import { AuditEventResponseDto } from '../../audit/dto/audit-event-response.dto';
import {
  GivenConsentHistoryEntryDto,
  GivenConsentResponseDto,
} from '../../consents/v2/dto/given-consent.dto';
import { CloudEventDto } from '../../events/dto/cloud-event.dto';
import { CustomerAccountResponseDto } from '../../profile-resources/customer-accounts/customer-account.dto';
import { EcardResponseDto } from '../../profile-resources/ecards/ecard.dto';
import { NoteResponseDto } from '../../profile-resources/notes/note.dto';
import { LoyaltyProgramResponseDto } from '../../profile-resources/loyalty-programs/loyalty-program.dto';
import { PostalAddressResponseDto } from '../../profile-resources/postal-addresses/postal-address.dto';
import { PreferenceResponseDto } from '../../profile-resources/preferences/preference.dto';
import { ProfileResponseDto } from '../../profiles/dto/profile-response.dto';

/** A given consent with every answer the customer gave, oldest first. */
export class ExportedGivenConsentDto extends GivenConsentResponseDto {
  @ApiProperty({ type: [GivenConsentHistoryEntryDto] }) history: GivenConsentHistoryEntryDto[];
}

/** Everything the service holds about one customer (GDPR articles 15 and 20). */
export class CustomerExportResponseDto {
  @ApiProperty({
    format: 'date-time',
    description: 'The moment the export was read (one snapshot)',
  })
  exportedAt: string;
  @ApiProperty({ example: 1 }) organisationId: number;
  @ApiProperty({ type: 'integer', format: 'int64', example: 10000001 }) customerNumber: number;
  @ApiProperty({ type: ProfileResponseDto }) profile: ProfileResponseDto;
  @ApiProperty({ description: 'Whether a sign-in password is set; the password is never exported' })
  hasPassword: boolean;
  @ApiProperty({ type: [PostalAddressResponseDto] }) postalAddresses: PostalAddressResponseDto[];
  @ApiProperty({ type: [PreferenceResponseDto] }) preferences: PreferenceResponseDto[];
  @ApiProperty({ type: [EcardResponseDto] }) ecards: EcardResponseDto[];
  @ApiProperty({ type: [LoyaltyProgramResponseDto] }) loyaltyPrograms: LoyaltyProgramResponseDto[];
  @ApiProperty({ type: [CustomerAccountResponseDto] })
  customerAccounts: CustomerAccountResponseDto[];
  @ApiProperty({
    type: [NoteResponseDto],
    description: "The organisation's notes on the customer, oldest first",
  })
  notes: NoteResponseDto[];
  @ApiProperty({
    type: [ExportedGivenConsentDto],
    description: 'Each with the consent and terms version answered and its full history',
  })
  givenConsents: ExportedGivenConsentDto[];
  @ApiProperty({
    type: [AuditEventResponseDto],
    description:
      "The organisation's audit trail of the customer, oldest first: who changed which fields " +
      'when (its life as a temporary profile and its conversion included); never the values',
  })
  auditTrail: AuditEventResponseDto[];
  @ApiProperty({
    type: [CloudEventDto],
    description:
      'The change events about the customer that are still kept (EVENTS_RETENTION_DAYS), oldest ' +
      'first, as the feed serves them: field names, never values',
  })
  events: CloudEventDto[];
}
