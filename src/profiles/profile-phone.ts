import { normalisePhone, normaliseSingleNumber, PhoneColumns, PhoneInput } from './phone-number';
import { ProfileColumnValues } from './profile-columns';

export interface PhoneFields extends PhoneInput {
  landlineNumber?: string | null;
}

const PHONE_FIELDS = ['countryCode', 'telephoneNumberNoCountryCode', 'telephoneNumber'] as const;

/** The phone columns of a body that sets every field (create, replace): all normalised. */
export function phoneColumnsOf(body: PhoneFields): ProfileColumnValues {
  return {
    ...normalisePhone(body),
    landline_number: normaliseSingleNumber('landlineNumber', body.landlineNumber, body.countryCode),
  };
}

/** Whether a merge patch touches a phone field (and so needs the stored ones to merge with). */
export function patchTouchesPhone(patch: PhoneFields): boolean {
  return [...PHONE_FIELDS, 'landlineNumber' as const].some((f) => patch[f] !== undefined);
}

/**
 * The phone columns after a merge patch: members left out keep their stored value. A new
 * `telephoneNumber` alone replaces the number (the stored country code still gives the default
 * region); a new half of the pair is combined with the stored other half.
 */
export function mergePhonePatch(patch: PhoneFields, stored: PhoneColumns): ProfileColumnValues {
  const changes: ProfileColumnValues = {};
  const countryCode = patch.countryCode !== undefined ? patch.countryCode : stored.country_code;
  if (PHONE_FIELDS.some((f) => patch[f] !== undefined)) {
    const pairTouched =
      patch.countryCode !== undefined || patch.telephoneNumberNoCountryCode !== undefined;
    const onlyCombined = patch.telephoneNumber !== undefined && !pairTouched;
    Object.assign(
      changes,
      normalisePhone({
        countryCode,
        telephoneNumberNoCountryCode: onlyCombined
          ? null
          : patch.telephoneNumberNoCountryCode !== undefined
            ? patch.telephoneNumberNoCountryCode
            : stored.telephone_number_no_country_code,
        telephoneNumber: patch.telephoneNumber ?? null,
      }),
    );
  }
  if (patch.landlineNumber !== undefined) {
    changes.landline_number = normaliseSingleNumber(
      'landlineNumber',
      patch.landlineNumber,
      countryCode,
    );
  }
  return changes;
}
