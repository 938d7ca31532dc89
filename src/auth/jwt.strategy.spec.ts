import { ForbiddenException } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { JwtStrategy } from './jwt.strategy';

const CLAIM = 'https://entur.io/organisationID';

describe('JwtStrategy.validate', () => {
  const strategy = new JwtStrategy(
    AppConfig.fromEnvironment({ AUTH_ISSUER: 'https://idp.example/' }),
  );
  const request = (headers: Record<string, string> = {}) => ({ headers });

  it('should map claims to the caller context', () => {
    const auth = strategy.validate(request({ 'et-client-name': 'web-shop' }), {
      sub: 'abc@clients',
      azp: 'abc',
      [CLAIM]: 7,
      permissions: ['customers:read', 42],
    });
    expect(auth).toEqual({
      clientId: 'abc',
      subject: 'abc@clients',
      organisationId: 7,
      permissions: new Set(['customers:read']),
      clientName: 'web-shop',
    });
  });

  it('should fall back to sub as client id and read the scope claim', () => {
    const auth = strategy.validate(request(), {
      sub: 'svc',
      [CLAIM]: '12',
      scope: ' customers:read  consents:write ',
    });
    expect(auth.clientId).toBe('svc');
    expect(auth.organisationId).toBe(12);
    expect([...auth.permissions]).toEqual(['customers:read', 'consents:write']);
    expect(auth.clientName).toBeUndefined();
  });

  it('should merge the permissions array and the scope claim', () => {
    const auth = strategy.validate(request(), {
      [CLAIM]: 1,
      permissions: ['customers:read'],
      scope: 'consents:read',
    });
    expect(auth.permissions).toEqual(new Set(['customers:read', 'consents:read']));
  });

  it('should bound the ET-Client-Name it records', () => {
    const auth = strategy.validate(request({ 'et-client-name': 'x'.repeat(500) }), { [CLAIM]: 1 });
    expect(auth.clientName).toHaveLength(200);
  });

  it.each([
    [undefined],
    [null],
    [0],
    [-3],
    [1.5],
    ['abc'],
    [''],
    ['1e3'],
    [' 1'],
    [true],
    [[1]],
    [{}],
    [2 ** 31],
    [Number.NaN],
  ])('should refuse the organisation claim %j with 403', (value) => {
    expect(() => strategy.validate(request(), { [CLAIM]: value })).toThrow(ForbiddenException);
  });

  it('should read the organisation from the configured claim', () => {
    const custom = new JwtStrategy(
      AppConfig.fromEnvironment({
        AUTH_ISSUER: 'https://idp.example/',
        AUTH_ORGANISATION_CLAIM: 'org_id',
      }),
    );
    expect(custom.validate(request(), { org_id: 3 }).organisationId).toBe(3);
    expect(() => custom.validate(request(), { [CLAIM]: 3 })).toThrow(ForbiddenException);
  });
});
