import { ProfileStatus, ProfileType } from './profile.entity';

/** A postal address as the profile query aggregates it (json_agg; timestamps as text). */
export interface PostalAddressJson {
  id: number | string;
  addressLine1: string;
  addressLine2: string | null;
  postCode: string;
  city: string;
  countryCode: string;
  isPrimary: boolean;
  createdAt: string;
  changedAt: string;
}

/** One row of `profileColumns()`, as `pg` returns it. No password hash: it is never selected. */
export interface ProfileRow {
  organisation_id: number;
  customer_number: string;
  uuid: string;
  customer_ref: string;
  profile_type: ProfileType;
  status: ProfileStatus;
  first_name: string | null;
  surname: string | null;
  email: string | null;
  email_old: string | null;
  country_code: string | null;
  telephone_number_no_country_code: string | null;
  telephone_number: string | null;
  landline_number: string | null;
  date_of_birth: string | null;
  language_preference: string | null;
  vipps_id: string | null;
  invoice_organisation_id: string | null;
  expiration_date: string | null;
  purge_at: Date | null;
  last_sign_in_from: string | null;
  last_sign_in_at: Date | null;
  version: number;
  created_at: Date;
  created_by: string;
  created_by_channel: string;
  changed_at: Date;
  changed_by: string;
  changed_by_channel: string;
  postal_addresses: PostalAddressJson[];
}

/**
 * The select list of a profile response, addresses included, so one round trip answers a lookup.
 * Dates go out as text (pg would turn them into local-time Date objects); `alias` is the profiles
 * table's alias in the surrounding statement.
 */
export function profileColumns(alias = 'p'): string {
  const p = alias;
  return `${p}.organisation_id, ${p}.customer_number::text AS customer_number, ${p}.uuid,
    ${p}.customer_ref, ${p}.profile_type, ${p}.status, ${p}.first_name, ${p}.surname, ${p}.email,
    ${p}.email_old, ${p}.country_code, ${p}.telephone_number_no_country_code, ${p}.telephone_number,
    ${p}.landline_number, ${p}.date_of_birth::text AS date_of_birth, ${p}.language_preference,
    ${p}.vipps_id, ${p}.invoice_organisation_id, ${p}.expiration_date::text AS expiration_date,
    ${p}.purge_at, ${p}.last_sign_in_from, ${p}.last_sign_in_at, ${p}.version, ${p}.created_at,
    ${p}.created_by, ${p}.created_by_channel, ${p}.changed_at, ${p}.changed_by,
    ${p}.changed_by_channel,
    COALESCE((SELECT json_agg(json_build_object(
        'id', a.id, 'addressLine1', a.address_line1, 'addressLine2', a.address_line2,
        'postCode', a.post_code, 'city', a.city, 'countryCode', a.country_code,
        'isPrimary', a.is_primary, 'createdAt', a.created_at, 'changedAt', a.changed_at)
        ORDER BY a.is_primary DESC, a.id)
      FROM postal_addresses a
      WHERE a.organisation_id = ${p}.organisation_id AND a.customer_number = ${p}.customer_number),
      '[]'::json) AS postal_addresses`;
}
