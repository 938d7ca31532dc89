import { normaliseEmail } from '../common/email/normalise-email';
import { ValidationDomainException } from '../common/errors/domain.exception';
import { decodeCursor } from '../common/http/page-cursor';
import { MAX_RESULT_SET_DEFAULT, SearchProfilesQueryDto } from './dto/search-profiles-query.dto';
import { searchedPhoneNumber, toE164 } from './phone-number';
import { profileColumns } from './profile-row';

export type ProfileSearchCriteria = Omit<SearchProfilesQueryDto, never>;

export interface ProfileSearchQuery {
  sql: string;
  params: unknown[];
}

/** Escapes LIKE's wildcards so a name is matched literally (the escape character is `\`). */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/**
 * Builds the one parametrised statement of a profile search, written so each criterion can use
 * its index: lower(email) (partial per profile type), lower(surname) and lower(first_name) with
 * text_pattern_ops (prefix LIKE), customer_ref, telephone_number (E.164, whichever phone
 * parameters were given), landline_number, vipps_id, invoice_organisation_id, date_of_birth and
 * postal_addresses (post_code; lower(address_line1) text_pattern_ops).
 *
 * Returns null when the search cannot match anything (another organisation was named, or a
 * personnel-ticket right, which this service does not keep).
 * Throws 400 when no criterion remains once the reference's phone rules are applied:
 * countryCode and telephoneNumberNoCountryCode count only together, and then telephoneNumber is
 * ignored.
 */
export function buildProfileSearch(
  organisationId: number,
  criteria: ProfileSearchCriteria,
  now: Date,
): ProfileSearchQuery | null {
  const filter = buildProfileFilter(organisationId, criteria, now, { requireCriterion: true });
  if (!filter) {
    return null;
  }
  const { where, params } = filter;
  params.push(criteria.maxResultSet ?? MAX_RESULT_SET_DEFAULT);
  return {
    sql: `SELECT ${profileColumns('p')} FROM profiles p WHERE ${where} ORDER BY p.customer_number LIMIT $${params.length}`,
    params,
  };
}

/** The WHERE clause of a search (alias `p`) and its parameters; null when nothing can match. */
export interface ProfileFilter {
  where: string;
  params: unknown[];
}

/**
 * The organisation-scoped conditions of a search, shared by the search and the bulk export. With
 * `requireCriterion`, at least one criterion must be given (a search never lists everything).
 */
export function buildProfileFilter(
  organisationId: number,
  criteria: Omit<ProfileSearchCriteria, 'maxResultSet'>,
  now: Date,
  options: { requireCriterion: boolean },
): ProfileFilter | null {
  if (criteria.organisationId !== undefined && criteria.organisationId !== organisationId) {
    return null;
  }
  const params: unknown[] = [organisationId];
  const param = (value: unknown): string => {
    params.push(value);
    return `$${params.length}`;
  };
  const where: string[] = ['p.organisation_id = $1'];
  let criteriaCount = 0;
  const add = (condition: string) => {
    where.push(condition);
    criteriaCount++;
  };

  /** Case-insensitive equality, or a prefix with a trailing *: lower(column) text_pattern_ops. */
  const textMatch = (field: string, column: string, value: string): string => {
    if (!value.endsWith('*')) {
      return `lower(${column}) = lower(${param(value)})`;
    }
    const prefix = value.slice(0, -1);
    if (!prefix) {
      throw new ValidationDomainException(`${field} needs at least one character before *`, [
        { field, message: `${field} needs at least one character before *` },
      ]);
    }
    return `lower(${column}) LIKE lower(${param(`${escapeLike(prefix)}%`)})`;
  };

  for (const [field, column] of [
    ['firstName', 'first_name'],
    ['surname', 'surname'],
  ] as const) {
    const value = criteria[field];
    if (value !== undefined) {
      add(textMatch(field, `p.${column}`, value));
    }
  }

  const includeTemporary = criteria.includeTemporary === true;
  if (criteria.email !== undefined) {
    // Stored e-mails are in normal form: the searched one must be too.
    const email = param(normaliseEmail(criteria.email));
    // Two partial indexes hold e-mails (permanent and temporary profiles); spell out both halves.
    add(
      includeTemporary
        ? `((p.profile_type <> 'T' AND p.email IS NOT NULL AND lower(p.email) = lower(${email}))` +
            ` OR (p.profile_type = 'T' AND lower(p.email) = lower(${email})))`
        : `p.email IS NOT NULL AND lower(p.email) = lower(${email})`,
    );
  }
  if (criteria.customerRef !== undefined) {
    add(`p.customer_ref = ${param(criteria.customerRef)}`);
  }
  // Every stored number is E.164 in telephone_number, whichever way it was written.
  const phone = searchedPhoneNumber(criteria);
  if (phone !== null) {
    add(`p.telephone_number = ${param(phone)}`);
  }
  if (criteria.landlineNumber !== undefined) {
    const landline = toE164('landlineNumber', criteria.landlineNumber, criteria.countryCode);
    add(`p.landline_number = ${param(landline.number)}`);
  }
  if (criteria.vippsId !== undefined) {
    add(`p.vipps_id = ${param(criteria.vippsId)}`);
  }
  if (criteria.invoiceOrganisationId !== undefined) {
    add(`p.invoice_organisation_id = ${param(criteria.invoiceOrganisationId)}`);
  }
  if (criteria.dateOfBirth !== undefined) {
    add(`p.date_of_birth = ${param(criteria.dateOfBirth)}::date`);
  }
  if (criteria.postCode !== undefined) {
    add(
      `EXISTS (SELECT 1 FROM postal_addresses a WHERE a.organisation_id = p.organisation_id` +
        ` AND a.customer_number = p.customer_number AND a.post_code = ${param(criteria.postCode)})`,
    );
  }
  if (criteria.postalAddress !== undefined) {
    add(
      `EXISTS (SELECT 1 FROM postal_addresses a WHERE a.organisation_id = p.organisation_id` +
        ` AND a.customer_number = p.customer_number` +
        ` AND ${textMatch('postalAddress', 'a.address_line1', criteria.postalAddress)})`,
    );
  }
  // No profile holds personnel-ticket rights here, so a search for one finds nothing.
  if (criteria.ticketRightOwner !== undefined || criteria.ticketRightBearer !== undefined) {
    return null;
  }
  if (options.requireCriterion && criteriaCount === 0) {
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
    where.push(`p.customer_number > ${param(decodeCursor('cursor', criteria.cursor).toString())}`);
  }
  where.push(criteria.status ? `p.status = ${param(criteria.status)}` : `p.status <> 'D'`);
  if (criteria.profileType !== undefined) {
    where.push(`p.profile_type = ${param(criteria.profileType)}`);
  }
  where.push(
    includeTemporary
      ? `(p.profile_type <> 'T' OR p.expires_at > ${param(now)})`
      : `p.profile_type <> 'T'`,
  );
  return { where: where.join(' AND '), params };
}
