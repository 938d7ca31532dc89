import { NotFoundDomainException } from '../common/errors/domain.exception';
import { ConsentsService } from './consents.service';

/** A service whose given consent 7 belongs to customer 42, and whose profile check does `check`. */
function serviceWith(check: () => Promise<unknown>): ConsentsService {
  const repository = {
    findGivenConsent: jest.fn().mockResolvedValue({ id: 7, customerNumber: 42 }),
  };
  const profileAccess = { require: jest.fn(check) };
  return new ConsentsService(
    { manager: {} } as never,
    repository as never,
    profileAccess as never,
    undefined as never,
    undefined as never,
    undefined as never,
  );
}

describe('ConsentsService.getGivenConsent', () => {
  it('should answer 404 for the given consent when its customer is gone', async () => {
    const service = serviceWith(() => Promise.reject(new NotFoundDomainException('Profile 42')));
    await expect(service.getGivenConsent(1, 7)).rejects.toMatchObject({
      status: 404,
      detail: 'Given consent 7 was not found',
    });
  });

  it('should let any other failure of the profile check through, not turn it into 404', async () => {
    const timeout = new Error('canceling statement due to statement timeout');
    const service = serviceWith(() => Promise.reject(timeout));
    await expect(service.getGivenConsent(1, 7)).rejects.toBe(timeout);
  });
});
