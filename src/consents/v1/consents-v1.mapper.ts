import { GivenConsent } from '../consent.model';
import { CustomerConsentV1Dto, LegacyChoice } from './dto/customer-consent.dto';

export function toCustomerConsentV1(given: GivenConsent): CustomerConsentV1Dto {
  return {
    customerId: given.customerNumber,
    consentCode: given.consentCode,
    consentChoice: given.consentChoice ? 'approved' : 'declined',
    createdAt: given.createdAt.toISOString(),
    changedAt: given.changedAt.toISOString(),
  };
}

export function fromLegacyChoice(choice: LegacyChoice): boolean {
  return choice === 'approved';
}
