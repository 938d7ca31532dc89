import { DomainException } from '../common/errors/domain.exception';
import {
  assertLifecycleAllows,
  assertMayDeactivate,
  consentIntent,
  LifecycleIntent,
} from './profile-lifecycle';

describe('profile lifecycle', () => {
  const refusal = (status: string, intent: LifecycleIntent) => {
    try {
      assertLifecycleAllows({ customerNumber: 7, status }, intent);
      return null;
    } catch (error) {
      return error as DomainException;
    }
  };

  it('should let an active or passive profile take everything', () => {
    for (const status of ['A', 'P']) {
      for (const intent of ['write', 'opt-in', 'opt-out'] as const) {
        expect(refusal(status, intent)).toBeNull();
      }
    }
  });

  it('should refuse writes and opt-ins of a deactivated profile with 409 errorCode 625', () => {
    for (const intent of ['write', 'opt-in'] as const) {
      expect(refusal('D', intent)).toMatchObject({ status: 409, errorCode: 625 });
    }
    expect(refusal('D', 'opt-in')?.detail).toContain('takes no new consents');
  });

  it('should let a deactivated profile opt out', () => {
    expect(refusal('D', 'opt-out')).toBeNull();
  });

  it('should classify consent writes by the choice asked for and the choice that results', () => {
    expect(consentIntent(false, false)).toBe('opt-out');
    expect(consentIntent(true, true)).toBe('opt-in');
    expect(consentIntent(undefined, true)).toBe('opt-in');
    expect(consentIntent(undefined, false)).toBe('write');
  });
});

describe('deactivation of personnel-ticket customers', () => {
  it('should refuse a personnel-ticket profile with 409 errorCode 621 and let S profiles pass', () => {
    expect(() => assertMayDeactivate({ customerNumber: 7, profileType: 'S' })).not.toThrow();
    let refusal: DomainException | undefined;
    try {
      assertMayDeactivate({ customerNumber: 7, profileType: 'P' });
    } catch (error) {
      refusal = error as DomainException;
    }
    expect(refusal).toMatchObject({ status: 409, errorCode: 621 });
  });
});
