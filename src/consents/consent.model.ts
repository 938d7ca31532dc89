import { Page } from '../common/http/page-query.dto';

/** The consents domain, version-agnostic: v1 and v2 controllers map to and from these. */

export interface ConsentTerm {
  language: string;
  shortText: string;
  longText: string;
}

/** One version of a consent base: the terms a customer agrees to. Draft until activated. */
export interface ConsentBase {
  organisationId: number;
  consentCode: string;
  version: number;
  terms: ConsentTerm[];
  internalDescription: string | null;
  activatedAt: Date | null;
  createdAt: Date;
  changedAt: Date;
}

/** An organisation's use of one consent base version. */
export interface Consent {
  organisationId: number;
  id: number;
  consentCode: string;
  consentBaseVersion: number;
  isSmsSupported: boolean;
  isEmailSupported: boolean;
  validFrom: Date;
  validTo: Date | null;
  createdAt: Date;
  changedAt: Date;
}

/** A consent with the base version whose terms the customer agrees to. */
export interface ConsentWithBase extends Consent {
  base: ConsentBase;
}

/** A customer's current choice for one consent. */
export interface GivenConsent {
  organisationId: number;
  id: number;
  customerNumber: number;
  consentId: number;
  consentCode: string;
  consentChoice: boolean;
  distributionChannel: string;
  expirationDate: string | null;
  email: string | null;
  countryCode: string | null;
  telephoneNumber: string | null;
  revision: number;
  createdAt: Date;
  createdBy: string | null;
  changedAt: Date;
  changedBy: string | null;
  changedByChannel: string | null;
}

/** A given consent with the consent (and its terms) it answers. */
export interface GivenConsentWithConsent extends GivenConsent {
  consent: ConsentWithBase;
}

export type GivenConsentEvent = 'GIVEN' | 'DECLINED' | 'WITHDRAWN' | 'CHANGED';

/** One immutable entry of a given consent's history. */
export interface GivenConsentHistoryEntry {
  givenConsentId: number;
  revision: number;
  event: GivenConsentEvent;
  consentChoice: boolean;
  distributionChannel: string;
  expirationDate: string | null;
  changedBy: string | null;
  changedByChannel: string | null;
  clientId: string;
  recordedAt: Date;
}

/**
 * The person or system a request body names as making a change, recorded with the answer beside
 * the caller's client (who calls is the RequestCaller; this is only what the body says).
 */
export interface ChangedBy {
  changedBy?: string | null;
  changedByChannel?: string | null;
}

export type VersionsFilter =
  { kind: 'ALL' } | { kind: 'CURRENT' } | { kind: 'LIST'; versions: number[] };

export interface ConsentQuery {
  consentCodes?: string[];
  versions: VersionsFilter;
  includeInactive: boolean;
}

export interface NewGivenConsent {
  customerNumber: number;
  consentId: number;
  consentChoice: boolean;
  distributionChannel: string;
  expirationDate?: string | null;
  email?: string | null;
  countryCode?: string | null;
  telephoneNumber?: string | null;
}

export type GivenConsentChange = Partial<
  Pick<
    NewGivenConsent,
    | 'consentChoice'
    | 'distributionChannel'
    | 'expirationDate'
    | 'email'
    | 'countryCode'
    | 'telephoneNumber'
  >
>;

export interface CrmExportOptions {
  consentIds?: number[];
  includeEmail: boolean;
  includeTelephoneNumber: boolean;
  /** One page in given-consent id order instead of everything. */
  page?: Page;
}

export function isConsentActive(consent: Consent, at: Date): boolean {
  return consent.validFrom <= at && (consent.validTo === null || consent.validTo > at);
}

/** Only the body's `changedBy` and `changedByChannel`, absent ones as null. */
export function changedByOf(body: ChangedBy): ChangedBy {
  return { changedBy: body.changedBy ?? null, changedByChannel: body.changedByChannel ?? null };
}
