import { ProfilePostalAddressDto, ProfileResponseDto } from './dto/profile-response.dto';
import { PostalAddressJson, ProfileRow } from './profile-row';

const iso = (value: Date | string): string => new Date(value).toISOString();
const isoOrNull = (value: Date | string | null): string | null =>
  value === null ? null : iso(value);

function toPostalAddress(address: PostalAddressJson): ProfilePostalAddressDto {
  return {
    id: Number(address.id),
    addressLine1: address.addressLine1,
    addressLine2: address.addressLine2,
    postCode: address.postCode,
    city: address.city,
    countryCode: address.countryCode,
    isPrimary: address.isPrimary,
    createdAt: iso(address.createdAt),
    changedAt: iso(address.changedAt),
  };
}

/** Maps a raw profile row to the response; the one place deciding what a partner sees. */
export function toProfileResponse(row: ProfileRow): ProfileResponseDto {
  return {
    customerNumber: Number(row.customer_number),
    customerRef: row.customer_ref,
    organisationId: row.organisation_id,
    uuid: row.uuid,
    status: row.status,
    profileType: row.profile_type,
    firstName: row.first_name,
    surname: row.surname,
    email: row.email,
    emailOld: row.email_old,
    countryCode: row.country_code,
    telephoneNumberNoCountryCode: row.telephone_number_no_country_code,
    telephoneNumber: row.telephone_number,
    landlineNumber: row.landline_number,
    dateOfBirth: row.date_of_birth,
    languagePreference: row.language_preference,
    vippsId: row.vipps_id,
    invoiceOrganisationId: row.invoice_organisation_id,
    expirationDate: row.expiration_date,
    purgeAt: isoOrNull(row.purge_at),
    lastSignInFrom: row.last_sign_in_from,
    lastSignInAt: isoOrNull(row.last_sign_in_at),
    version: row.version,
    createdAt: iso(row.created_at),
    createdBy: row.created_by,
    createdByChannel: row.created_by_channel,
    changedAt: iso(row.changed_at),
    changedBy: row.changed_by,
    changedByChannel: row.changed_by_channel,
    postalAddresses: (row.postal_addresses ?? []).map(toPostalAddress),
  };
}

/** The entity tag of a profile version (strong: the version changes with every write). */
export function profileEtag(version: number): string {
  return `"${version}"`;
}

type Reply = { header(name: string, value: string): unknown };

/**
 * Sends the profile's version as its ETag and answers its response: the profile's, or the
 * projection `toResponse` makes of it (a temporary profile's).
 */
export function withEtag(reply: Reply, row: ProfileRow): ProfileResponseDto;
export function withEtag<T>(reply: Reply, row: ProfileRow, toResponse: (row: ProfileRow) => T): T;
export function withEtag(
  reply: Reply,
  row: ProfileRow,
  toResponse: (row: ProfileRow) => unknown = toProfileResponse,
): unknown {
  void reply.header('etag', profileEtag(row.version));
  return toResponse(row);
}
