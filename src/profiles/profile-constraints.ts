import { ErrorCode } from '../common/errors/error-codes';
import { UniqueConstraintMessages } from '../common/errors/unique-constraints';

/** The unique constraints of `profiles`. */
export const PROFILE_UNIQUE_CONSTRAINTS = {
  uq_profiles_email: {
    detail: 'A profile with this e-mail already exists in the organisation',
    errorCode: ErrorCode.EmailExists,
    field: 'email',
  },
  uq_profiles_customer_ref: {
    detail: 'A profile with this customerRef already exists in the organisation',
    errorCode: ErrorCode.Conflict,
    field: 'customerRef',
  },
} satisfies UniqueConstraintMessages;
