import { ForbiddenException } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { JwksStatus } from './jwks-status';
import { JwtStrategy } from './jwt.strategy';
import { TokenRefusal } from './token-refusal';
import { VerifiedTokenCache } from './verified-token-cache';

const CLAIM = 'https://entur.io/organisationID';
const tokenCache = () =>
  new VerifiedTokenCache({ clockToleranceSeconds: 60, jwksCacheMs: 600_000, keySeenAt: () => 0 });

describe('JwtStrategy.validate', () => {
  const strategy = new JwtStrategy(
    AppConfig.fromEnvironment({ AUTH_ISSUER: 'https://idp.example/' }),
    new JwksStatus(),
    tokenCache(),
  );
  const request = (headers: Record<string, string> = {}) => ({ headers });
  const now = () => Math.floor(Date.now() / 1000);
  /** Claims of a token that passed signature and time checks (it has an `exp`). */
  const verified = (claims: Record<string, unknown>) => ({ exp: now() + 3600, ...claims });

  it('should map claims to the caller context', () => {
    const auth = strategy.validate(
      request({ 'et-client-name': 'web-shop' }),
      verified({
        sub: 'abc@clients',
        azp: 'abc',
        [CLAIM]: 7,
        permissions: ['customers:read', 42],
      }),
    );
    expect(auth).toEqual({
      clientId: 'abc',
      subject: 'abc@clients',
      organisationId: 7,
      permissions: new Set(['customers:read']),
      clientName: 'web-shop',
    });
  });

  it('should fall back to sub as client id and read the scope claim', () => {
    const auth = strategy.validate(
      request(),
      verified({ sub: 'svc', [CLAIM]: '12', scope: ' customers:read  consents:write ' }),
    );
    expect(auth.clientId).toBe('svc');
    expect(auth.organisationId).toBe(12);
    expect([...auth.permissions]).toEqual(['customers:read', 'consents:write']);
    expect(auth.clientName).toBeUndefined();
  });

  it('should merge the permissions array and the scope claim', () => {
    const auth = strategy.validate(
      request(),
      verified({ [CLAIM]: 1, permissions: ['customers:read'], scope: 'consents:read' }),
    );
    expect(auth.permissions).toEqual(new Set(['customers:read', 'consents:read']));
  });

  it('should bound the ET-Client-Name it records', () => {
    const auth = strategy.validate(
      request({ 'et-client-name': 'x'.repeat(500) }),
      verified({ [CLAIM]: 1 }),
    );
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
    ['2147483648'],
    [Number.NaN],
    ['01'],
    ['1.0'],
    ['0'],
    ['-1'],
    ['1 '],
    ['+1'],
  ])('should refuse the organisation claim %j with 403', (value) => {
    expect(() => strategy.validate(request(), verified({ [CLAIM]: value }))).toThrow(
      ForbiddenException,
    );
  });

  it.each([
    [1, 1],
    ['1', 1],
    [2147483647, 2147483647],
    ['2147483647', 2147483647],
  ])('should accept the organisation claim %j', (value, id) => {
    expect(strategy.validate(request(), verified({ [CLAIM]: value })).organisationId).toBe(id);
  });

  it('should refuse a token without exp', () => {
    expect(() => strategy.validate(request(), { [CLAIM]: 1 })).toThrow(
      new TokenRefusal('missing exp'),
    );
  });

  it('should refuse a token issued beyond the clock tolerance in the future, and accept one within', () => {
    expect(() => strategy.validate(request(), verified({ [CLAIM]: 1, iat: now() + 600 }))).toThrow(
      new TokenRefusal('issued in the future'),
    );
    expect(strategy.validate(request(), verified({ [CLAIM]: 1, iat: now() + 30 }))).toBeDefined();
  });

  it('should read the organisation from the configured claim', () => {
    const custom = new JwtStrategy(
      AppConfig.fromEnvironment({
        AUTH_ISSUER: 'https://idp.example/',
        AUTH_ORGANISATION_CLAIM: 'org_id',
      }),
      new JwksStatus(),
      tokenCache(),
    );
    expect(custom.validate(request(), verified({ org_id: 3 })).organisationId).toBe(3);
    expect(() => custom.validate(request(), verified({ [CLAIM]: 3 }))).toThrow(ForbiddenException);
  });
});
