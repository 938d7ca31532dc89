import { ConflictDomainException } from '../common/errors/domain.exception';
import { ErrorCode } from '../common/errors/error-codes';

/** The status of a profile that is deactivated and waits for its purge. */
export const DEACTIVATED = 'D';

/** How long a deactivated profile waits for its purge unless the request names a time: 72 h. */
export const DEFAULT_PURGE_DELAY_MS = 72 * 3600_000;

/**
 * What a request would do to a customer: change their data (`write`), start processing it under a
 * consent (`opt-in`) or stop processing it (`opt-out`).
 */
export type LifecycleIntent = 'write' | 'opt-in' | 'opt-out';

/**
 * The one rule of a profile's lifecycle, stated once for the documents: every write path checks it
 * through {@link assertLifecycleAllows}.
 */
export const DEACTIVATED_PROFILE_RULE =
  'A deactivated profile (status D, waiting for its purge) refuses every change to it and to ' +
  'what hangs on it, and every new opt-in: 409 with errorCode 625. Withdrawals and declines of ' +
  'consents are still accepted. POST /customers/v2/profiles/{customerNumber}/restore brings it ' +
  'back before the purge.';

/**
 * Refuses what a deactivated profile may no longer take. A profile waiting for its purge is
 * frozen, so a restore finds it as it was and a purge erases nothing that was added meanwhile;
 * only opt-outs pass, because a customer may always stop the processing of their data.
 */
export function assertLifecycleAllows(
  profile: { customerNumber: number; status: string },
  intent: LifecycleIntent,
): void {
  if (profile.status !== DEACTIVATED || intent === 'opt-out') {
    return;
  }
  const refused = intent === 'opt-in' ? 'takes no new consents' : 'cannot be changed';
  throw new ConflictDomainException(
    `Profile ${profile.customerNumber} is deactivated and waits for its purge: it ${refused} ` +
      'until it is restored (POST /customers/v2/profiles/{customerNumber}/restore)',
    { errorCode: ErrorCode.ProfileDeactivated },
  );
}

/**
 * A given-consent write is an opt-out when it sets the choice to false (a decline or withdrawal),
 * an opt-in when the choice ends true, and otherwise a plain change of the customer's data.
 */
export function consentIntent(
  requestedChoice: boolean | undefined,
  resultingChoice: boolean,
): LifecycleIntent {
  if (requestedChoice === false) {
    return 'opt-out';
  }
  return resultingChoice ? 'opt-in' : 'write';
}

/** The profile type of a personnel-ticket customer. */
export const PERSONNEL_TICKET = 'P';

/** The rule of personnel-ticket profiles, stated once for the documents. */
export const PERSONNEL_TICKET_RULE =
  'A personnel-ticket profile (profileType P) cannot be deactivated: 409 with errorCode 621, ' +
  'nothing changed. Change its profileType to S first (PUT or PATCH).';

/**
 * Refuses to deactivate a personnel-ticket customer: their profile carries an employment benefit
 * that the organisation must end first, by making the profile standard (S) again.
 */
export function assertMayDeactivate(profile: { customerNumber: number; profileType: string }) {
  if (profile.profileType !== PERSONNEL_TICKET) {
    return;
  }
  throw new ConflictDomainException(
    `Profile ${profile.customerNumber} is a personnel-ticket customer (profileType P) and cannot ` +
      'be deactivated; change its profileType to S first',
    { errorCode: ErrorCode.PersonnelTicketCustomer },
  );
}
