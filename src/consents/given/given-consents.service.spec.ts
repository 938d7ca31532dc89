import { NotFoundDomainException } from '../../common/errors/domain.exception';
import { RequestCaller } from '../../common/http/request-caller';
import { GivenConsentsService } from './given-consents.service';

const caller: RequestCaller = {
  organisationId: 1,
  clientId: 'client',
  correlationId: 'correlation',
  permissions: new Set(['consents:read']),
};

/** A service whose given consent 7 belongs to customer 42, and whose profile check does `check`. */
function serviceWith(check: () => Promise<unknown>): GivenConsentsService {
  const given = { find: jest.fn().mockResolvedValue({ id: 7, customerNumber: 42 }) };
  const profileAccess = { require: jest.fn(check) };
  return new GivenConsentsService(
    { manager: {} } as never,
    given as never,
    undefined as never,
    undefined as never,
    profileAccess as never,
    undefined as never,
    undefined as never,
    undefined as never,
  );
}

describe('GivenConsentsService.get', () => {
  it('should answer 404 for the given consent when its customer is gone', async () => {
    const service = serviceWith(() => Promise.reject(new NotFoundDomainException('Profile 42')));
    await expect(service.get(caller, 7)).rejects.toMatchObject({
      status: 404,
      detail: 'Given consent 7 was not found',
    });
  });

  it('should let any other failure of the profile check through, not turn it into 404', async () => {
    const timeout = new Error('canceling statement due to statement timeout');
    const service = serviceWith(() => Promise.reject(timeout));
    await expect(service.get(caller, 7)).rejects.toBe(timeout);
  });
});
