import { ErrorCode } from '../common/errors/error-codes';
import { UniqueConstraintMessages } from '../common/errors/unique-constraints';

/** The unique constraints of the webhook tables. */
export const WEBHOOK_UNIQUE_CONSTRAINTS: UniqueConstraintMessages = {
  uq_webhook_endpoints_url: {
    detail: 'A webhook endpoint with this url is already registered in the organisation',
    errorCode: ErrorCode.Conflict,
    field: 'url',
  },
};
