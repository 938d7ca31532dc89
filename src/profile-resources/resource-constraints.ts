import { ErrorCode } from '../common/errors/error-codes';
import { UniqueConstraintMessages } from '../common/errors/unique-constraints';

/** The unique constraints of the sub-resource tables and the preference catalogue. */
export const RESOURCE_UNIQUE_CONSTRAINTS: UniqueConstraintMessages = {
  uq_customer_accounts_alias: {
    detail: 'A customer account with this alias already exists in the organisation',
    errorCode: ErrorCode.CustomerAccountAliasExists,
    field: 'alias',
  },
  uq_customer_accounts_account_id: {
    detail: 'A customer account with this accountId already exists in the organisation',
    errorCode: ErrorCode.Conflict,
    field: 'accountId',
  },
  uq_ecards_number: {
    detail: 'This ecard is already connected to a customer of the organisation',
    errorCode: ErrorCode.Conflict,
    field: 'ecardNumber16digits',
  },
  uq_preferences_code: {
    detail: 'The customer already has a preference with this preferenceCode',
    errorCode: ErrorCode.Conflict,
    field: 'preferenceCode',
  },
  uq_preference_definitions_code: {
    detail: 'The preference catalogue already holds a definition with this preferenceCode',
    errorCode: ErrorCode.Conflict,
    field: 'preferenceCode',
  },
  uq_loyalty_programs_program: {
    detail: 'The customer is already enrolled in this loyalty program',
    errorCode: ErrorCode.Conflict,
    field: 'programId',
  },
  uq_postal_addresses_primary: {
    detail: 'Another postal address of the customer became primary at the same time; retry',
    errorCode: ErrorCode.Conflict,
    field: 'isPrimary',
  },
};
