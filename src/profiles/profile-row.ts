/** Standard (`S`), personnel-ticket (`P`) or temporary (`T`). */
export type ProfileType = 'S' | 'P' | 'T';
/** Active, (legacy) pending or deactivated. */
export type ProfileStatus = 'A' | 'P' | 'D';

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

/**
 * The one shape of a profile read from the database, permanent or temporary: a row of the
 * repository's column list, as `pg` returns it. No password hash: it is never selected into it.
 */
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
