import { normaliseEmail } from '../common/email/normalise-email';
import { ValidationDomainException } from '../common/errors/domain.exception';
import { decodeCursor } from '../common/http/page-cursor';
import { MAX_RESULT_SET_DEFAULT, SearchProfilesQueryDto } from './dto/search-profiles-query.dto';
import { searchedPhoneNumber, toE164 } from './phone-number';
import { ProfileStatus, ProfileType } from './profile-row';

export type ProfileSearchCriteria = Omit<SearchProfilesQueryDto, never>;

/** A name or an address line, matched case-insensitively: whole, or as a prefix (a trailing *). */
export interface TextMatch {
  text: string;
  prefix: boolean;
}

/**
 * Which profiles of one organisation a search (or the bulk export) matches: its criteria checked
 * and in the form profiles store them. ProfilesRepository turns it into one statement.
 */
export interface ProfileSearchFilter {
  organisationId: number;
  firstName?: TextMatch;
  surname?: TextMatch;
  /** In normal form, as stored. */
  email?: string;
  customerRef?: string;
  /** E.164, whichever phone parameters named it. */
  telephoneNumber?: string;
  /** E.164. */
  landlineNumber?: string;
  vippsId?: string;
  invoiceOrganisationId?: string;
  dateOfBirth?: string;
  postCode?: string;
  postalAddress?: TextMatch;
  /** Only customer numbers after this one: the page cursor. */
  after?: bigint;
  /** Only this status; none given, every status but deactivated. */
  status?: ProfileStatus;
  profileType?: ProfileType;
  /** Temporary profiles too, while live at `now`; otherwise permanent profiles only. */
  includeTemporary: boolean;
  now: Date;
}

/** A search: its filter and the most rows it answers, ordered by customer number. */
export interface ProfileSearch extends ProfileSearchFilter {
  limit: number;
}

/**
 * The search a query asks for. Returns null when it cannot match anything (another organisation
 * was named, or a personnel-ticket right, which this service does not keep).
 * Throws 400 when no criterion remains once the reference's phone rules are applied:
 * countryCode and telephoneNumberNoCountryCode count only together, and then telephoneNumber is
 * ignored.
 */
export function resolveProfileSearch(
  organisationId: number,
  criteria: ProfileSearchCriteria,
  now: Date,
): ProfileSearch | null {
  const filter = resolveProfileFilter(organisationId, criteria, now, { requireCriterion: true });
  return filter && { ...filter, limit: criteria.maxResultSet ?? MAX_RESULT_SET_DEFAULT };
}

/**
 * The filter of a search, shared by the search and the bulk export. With `requireCriterion`, at
 * least one criterion must be given (a search never lists everything). Criteria are checked in
 * the order of the query's parameters, so the first malformed one is the one reported.
 */
export function resolveProfileFilter(
  organisationId: number,
  criteria: Omit<ProfileSearchCriteria, 'maxResultSet'>,
  now: Date,
  options: { requireCriterion: boolean },
): ProfileSearchFilter | null {
  if (criteria.organisationId !== undefined && criteria.organisationId !== organisationId) {
    return null;
  }
  const phone = (): string | undefined => searchedPhoneNumber(criteria) ?? undefined;
  const landline = (text: string) => toE164('landlineNumber', text, criteria.countryCode).number;
  const filter: ProfileSearchFilter = {
    organisationId,
    firstName: textMatch('firstName', criteria.firstName),
    surname: textMatch('surname', criteria.surname),
    // Stored e-mails are in normal form: the searched one must be too.
    email: criteria.email === undefined ? undefined : normaliseEmail(criteria.email),
    customerRef: criteria.customerRef,
    // Every stored number is E.164 in telephone_number, whichever way it was written.
    telephoneNumber: phone(),
    landlineNumber:
      criteria.landlineNumber === undefined ? undefined : landline(criteria.landlineNumber),
    vippsId: criteria.vippsId,
    invoiceOrganisationId: criteria.invoiceOrganisationId,
    dateOfBirth: criteria.dateOfBirth,
    postCode: criteria.postCode,
    postalAddress: textMatch('postalAddress', criteria.postalAddress),
    includeTemporary: criteria.includeTemporary === true,
    now,
  };
  // No profile holds personnel-ticket rights here, so a search for one finds nothing.
  if (criteria.ticketRightOwner !== undefined || criteria.ticketRightBearer !== undefined) {
    return null;
  }
  if (options.requireCriterion && !CRITERIA.some((name) => filter[name] !== undefined)) {
    const halfPair =
      criteria.countryCode !== undefined || criteria.telephoneNumberNoCountryCode !== undefined;
    throw new ValidationDomainException(
      halfPair
        ? 'countryCode and telephoneNumberNoCountryCode are used only together; give both or another criterion'
        : 'Give at least one search criterion: firstName, surname, email, customerRef, countryCode + telephoneNumberNoCountryCode, telephoneNumber, landlineNumber, vippsId, invoiceOrganisationId, dateOfBirth, postCode or postalAddress',
      [],
    );
  }
  if (criteria.cursor !== undefined) {
    filter.after = decodeCursor('cursor', criteria.cursor);
  }
  filter.status = criteria.status;
  filter.profileType = criteria.profileType;
  return filter;
}

/** The members that count as a criterion; status, profileType and the cursor only narrow one. */
const CRITERIA = [
  'firstName',
  'surname',
  'email',
  'customerRef',
  'telephoneNumber',
  'landlineNumber',
  'vippsId',
  'invoiceOrganisationId',
  'dateOfBirth',
  'postCode',
  'postalAddress',
] as const satisfies readonly (keyof ProfileSearchFilter)[];

/** Case-insensitive equality, or a prefix with a trailing * (which needs a character before it). */
function textMatch(field: string, value: string | undefined): TextMatch | undefined {
  if (value === undefined) {
    return undefined;
  }
  if (!value.endsWith('*')) {
    return { text: value, prefix: false };
  }
  const prefix = value.slice(0, -1);
  if (!prefix) {
    throw new ValidationDomainException(`${field} needs at least one character before *`, [
      { field, message: `${field} needs at least one character before *` },
    ]);
  }
  return { text: prefix, prefix: true };
}
