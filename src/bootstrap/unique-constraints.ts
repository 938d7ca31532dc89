import { UniqueConstraintMessages } from '../common/errors/unique-constraints';
import { RESOURCE_UNIQUE_CONSTRAINTS } from '../profile-resources/resource-constraints';
import { PROFILE_UNIQUE_CONSTRAINTS } from '../profiles/profile-constraints';
import { WEBHOOK_UNIQUE_CONSTRAINTS } from '../webhooks/webhook-constraints';

/** Every feature's unique-constraint messages, for the exception filter. */
export const UNIQUE_CONSTRAINT_MESSAGES: UniqueConstraintMessages = {
  ...PROFILE_UNIQUE_CONSTRAINTS,
  ...RESOURCE_UNIQUE_CONSTRAINTS,
  ...WEBHOOK_UNIQUE_CONSTRAINTS,
};
