import { ProfileColumnValues, ProfileEditableColumn } from '../profiles/profile-columns';

/** A profile side of a merge: its number and its editable columns. */
export interface MergeSide {
  customerNumber: number;
  columns: Record<ProfileEditableColumn, string | null>;
}

/**
 * Columns that take a value together: a phone number is one value in three columns, so the
 * survivor never ends up with its own country code and the source's local number.
 */
const GROUPS: ProfileEditableColumn[][] = [
  ['first_name'],
  ['surname'],
  ['email'],
  ['country_code', 'telephone_number_no_country_code', 'telephone_number'],
  ['landline_number'],
  ['date_of_birth'],
  ['language_preference'],
  ['vipps_id'],
  ['invoice_organisation_id'],
];

const isEmpty = (value: string | null | undefined) =>
  value === null || value === undefined || value.trim() === '';

/**
 * What the survivor of a merge takes from the source: its own values win, and each field it has
 * empty takes the source's. customerRef counts as empty while it is the default (the customer's
 * own number), so the source's own reference keeps finding the customer.
 */
export function columnsFromSource(survivor: MergeSide, source: MergeSide): ProfileColumnValues {
  const taken: ProfileColumnValues = {};
  for (const group of GROUPS) {
    const survivorHas = group.some((c) => !isEmpty(survivor.columns[c]));
    const sourceHas = group.some((c) => !isEmpty(source.columns[c]));
    if (!survivorHas && sourceHas) {
      for (const column of group) {
        taken[column] = source.columns[column];
      }
    }
  }
  const defaultRef = (side: MergeSide) =>
    isEmpty(side.columns.customer_ref) || side.columns.customer_ref === String(side.customerNumber);
  if (defaultRef(survivor) && !defaultRef(source)) {
    taken.customer_ref = source.columns.customer_ref;
  }
  return taken;
}
