/** Editable profile fields (API name → column); the only fields PUT and PATCH may change. */
export const EDITABLE_COLUMNS = {
  customerRef: 'customer_ref',
  firstName: 'first_name',
  surname: 'surname',
  email: 'email',
  countryCode: 'country_code',
  telephoneNumberNoCountryCode: 'telephone_number_no_country_code',
  telephoneNumber: 'telephone_number',
  landlineNumber: 'landline_number',
  dateOfBirth: 'date_of_birth',
  languagePreference: 'language_preference',
  vippsId: 'vipps_id',
  invoiceOrganisationId: 'invoice_organisation_id',
  profileType: 'profile_type',
} as const;

export type ProfileEditableField = keyof typeof EDITABLE_COLUMNS;
export type ProfileEditableColumn = (typeof EDITABLE_COLUMNS)[ProfileEditableField];
export type ProfileColumnValues = Partial<Record<ProfileEditableColumn, string | null>>;

export const EDITABLE_FIELDS = Object.keys(EDITABLE_COLUMNS) as ProfileEditableField[];

/** Column values of the editable fields present (not undefined) in a body; null clears. */
export function toColumnValues(
  body: Partial<Record<ProfileEditableField, string | null | undefined>>,
  fields: readonly ProfileEditableField[] = EDITABLE_FIELDS,
): ProfileColumnValues {
  const values: ProfileColumnValues = {};
  for (const field of fields) {
    const value = body[field];
    if (value !== undefined) {
      values[EDITABLE_COLUMNS[field]] = value;
    }
  }
  return values;
}

/** API names of the editable fields whose value differs between two column snapshots. */
export function changedFields(
  before: Record<string, unknown>,
  after: Record<string, unknown>,
): ProfileEditableField[] {
  const text = (v: unknown) => (v === null || v === undefined ? null : JSON.stringify(v));
  return EDITABLE_FIELDS.filter((field) => {
    const column = EDITABLE_COLUMNS[field];
    return column in before && text(before[column]) !== text(after[column]);
  });
}
