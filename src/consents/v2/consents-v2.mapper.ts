import { isAdmin, RequestCaller } from '../../common/http/request-caller';
import {
  ConsentBase,
  ConsentWithBase,
  GivenConsentHistoryEntry,
  GivenConsentWithConsent,
} from '../consent.model';
import { CrmExportRow } from '../given/given-consents.repository';
import { ConsentBaseResponseDto } from './dto/consent-base.dto';
import { ConsentResponseDto } from './dto/consent.dto';
import { ConsentCrmResponseDto } from './dto/crm.dto';
import { GivenConsentHistoryEntryDto, GivenConsentResponseDto } from './dto/given-consent.dto';

/** Who reads a response: what it may see depends on the organisation and the permissions. */
export type Viewer = Pick<RequestCaller, 'organisationId' | 'permissions'>;

/** The internal description of a base is for its owner and the platform operator only. */
function seesInternalDescription(viewer: Viewer, base: ConsentBase): boolean {
  return isAdmin(viewer) || base.organisationId === viewer.organisationId;
}

export function toConsentBaseResponse(base: ConsentBase, viewer: Viewer): ConsentBaseResponseDto {
  return {
    consentCode: base.consentCode,
    version: base.version,
    status: base.activatedAt ? 'ACTIVE' : 'DRAFT',
    consentOwnerOrgId: base.organisationId,
    terms: base.terms.map((t) => ({
      language: t.language,
      shortText: t.shortText,
      longText: t.longText,
    })),
    internalDescription: seesInternalDescription(viewer, base) ? base.internalDescription : null,
    activatedAt: base.activatedAt?.toISOString() ?? null,
    createdAt: base.createdAt.toISOString(),
    changedAt: base.changedAt.toISOString(),
  };
}

export function toConsentResponse(
  consent: ConsentWithBase,
  now: Date,
  viewer: Viewer,
): ConsentResponseDto {
  return {
    id: consent.id,
    organisationId: consent.organisationId,
    consentCode: consent.consentCode,
    consentBaseVersion: consent.consentBaseVersion,
    isSmsSupported: consent.isSmsSupported,
    isEmailSupported: consent.isEmailSupported,
    validFrom: consent.validFrom.toISOString(),
    validTo: consent.validTo?.toISOString() ?? null,
    active: consent.validFrom <= now && (consent.validTo === null || consent.validTo > now),
    createdAt: consent.createdAt.toISOString(),
    changedAt: consent.changedAt.toISOString(),
    consentBase: toConsentBaseResponse(consent.base, viewer),
  };
}

export function toGivenConsentResponse(
  given: GivenConsentWithConsent,
  now: Date,
  viewer: Viewer,
): GivenConsentResponseDto {
  return {
    id: given.id,
    customerNumber: given.customerNumber,
    consentId: given.consentId,
    consentCode: given.consentCode,
    consentChoice: given.consentChoice,
    distributionChannel: given.distributionChannel,
    expirationDate: given.expirationDate,
    email: given.email,
    countryCode: given.countryCode,
    telephoneNumber: given.telephoneNumber,
    createdByOrgId: given.organisationId,
    revision: given.revision,
    createdAt: given.createdAt.toISOString(),
    createdBy: given.createdBy,
    changedAt: given.changedAt.toISOString(),
    changedBy: given.changedBy,
    changedByChannel: given.changedByChannel,
    consent: toConsentResponse(given.consent, now, viewer),
  };
}

export function toHistoryEntryResponse(
  entry: GivenConsentHistoryEntry,
): GivenConsentHistoryEntryDto {
  return {
    revision: entry.revision,
    event: entry.event,
    consentChoice: entry.consentChoice,
    distributionChannel: entry.distributionChannel,
    expirationDate: entry.expirationDate,
    changedBy: entry.changedBy,
    changedByChannel: entry.changedByChannel,
    clientId: entry.clientId,
    recordedAt: entry.recordedAt.toISOString(),
  };
}

/** A raw export row (snake_case, bigint as string) to its JSON shape; contact only when asked. */
export function toCrmResponse(
  row: CrmExportRow,
  options: { includeEmail: boolean; includeTelephoneNumber: boolean },
): ConsentCrmResponseDto {
  return {
    givenConsentId: Number(row.given_consent_id),
    consentId: Number(row.consent_id),
    consentCode: row.consent_code,
    consentBaseVersion: row.consent_base_version,
    consentOrganisationId: row.organisation_id,
    createdByOrgId: row.organisation_id,
    customerNumber: Number(row.customer_number),
    customerRef: row.customer_ref,
    consentChoice: row.consent_choice,
    distributionChannel: row.distribution_channel,
    changedAt: row.changed_at.toISOString(),
    ...(options.includeEmail ? { email: row.email } : {}),
    ...(options.includeTelephoneNumber
      ? {
          countryCode: row.country_code,
          telephoneNumber: row.telephone_number,
        }
      : {}),
  };
}
