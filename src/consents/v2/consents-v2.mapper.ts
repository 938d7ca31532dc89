import { AuthContext } from '../../auth/auth-context';
import { isAdmin } from '../../common/http/request-caller';
import {
  ConsentBase,
  ConsentWithBase,
  GivenConsentHistoryEntry,
  GivenConsentWithConsent,
} from '../consent.model';
import { CrmRow } from '../consents.service';
import { ConsentBaseResponseDto } from './dto/consent-base.dto';
import { ConsentResponseDto } from './dto/consent.dto';
import { ConsentCrmResponseDto } from './dto/crm.dto';
import { GivenConsentHistoryEntryDto, GivenConsentResponseDto } from './dto/given-consent.dto';

/** The internal description of a base is for its owner and the platform operator only. */
function seesInternalDescription(viewer: AuthContext, base: ConsentBase): boolean {
  return isAdmin(viewer) || base.organisationId === viewer.organisationId;
}

export function toConsentBaseResponse(
  base: ConsentBase,
  viewer: AuthContext,
): ConsentBaseResponseDto {
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
  viewer: AuthContext,
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
  viewer: AuthContext,
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
  row: CrmRow,
  options: { includeEmail: boolean; includeTelephoneNumber: boolean },
): ConsentCrmResponseDto {
  return {
    givenConsentId: Number(row.given_consent_id),
    consentId: Number(row.consent_id),
    consentCode: row.consent_code as string,
    consentBaseVersion: row.consent_base_version as number,
    consentOrganisationId: row.organisation_id as number,
    createdByOrgId: row.organisation_id as number,
    customerNumber: Number(row.customer_number),
    customerRef: row.customer_ref as string,
    consentChoice: row.consent_choice as boolean,
    distributionChannel: row.distribution_channel as string,
    changedAt: (row.changed_at as Date).toISOString(),
    ...(options.includeEmail ? { email: row.email as string | null } : {}),
    ...(options.includeTelephoneNumber
      ? {
          countryCode: row.country_code as string | null,
          telephoneNumber: row.telephone_number as string | null,
        }
      : {}),
  };
}
