import { generateKeyPairSync } from 'node:crypto';
import { JsonWebTokenError, NotBeforeError, sign, TokenExpiredError } from 'jsonwebtoken';
import { claimsRefusal, refusalReason, TokenRefusal, tokenFacts } from './token-refusal';

describe('refusalReason', () => {
  it.each([
    [new Error('No auth token'), {}, 'missing token'],
    [new TokenExpiredError('jwt expired', new Date()), {}, 'expired'],
    [new NotBeforeError('jwt not active', new Date()), {}, 'not yet valid'],
    [new JsonWebTokenError('jwt audience invalid. expected: x'), {}, 'wrong audience'],
    [new JsonWebTokenError('jwt issuer invalid. expected: x'), {}, 'wrong issuer'],
    [new JsonWebTokenError('invalid signature'), {}, 'bad signature'],
    [new JsonWebTokenError('jwt malformed'), {}, 'malformed'],
    [new JsonWebTokenError('invalid token'), {}, 'malformed'],
    [Object.assign(new Error('x'), { name: 'SigningKeyNotFoundError' }), {}, 'unknown key'],
    [
      new JsonWebTokenError('secret or public key must be provided'),
      { alg: 'none' },
      'algorithm not accepted',
    ],
    [new JsonWebTokenError('invalid algorithm'), { alg: 'HS256' }, 'algorithm not accepted'],
    [
      Object.assign(new Error('connect ECONNREFUSED'), { isEndpointUnavailable: true }),
      { alg: 'RS256' },
      'signing keys unavailable (JWKS unreachable)',
    ],
    [new TokenRefusal('missing exp'), {}, 'missing exp'],
  ])('should name %s', (refusal, header, reason) => {
    expect(refusalReason(refusal, header)).toBe(reason);
  });
});

describe('tokenFacts', () => {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });

  it('should read kid, alg, iss, aud and the client of a token without verifying it', () => {
    const token = sign({ azp: 'client-7', sub: 'client-7@clients' }, privateKey, {
      algorithm: 'ES256',
      keyid: 'key-1',
      issuer: 'https://idp.example/',
      audience: ['https://a', 'https://b'],
    });
    expect(tokenFacts(token)).toEqual({
      kid: 'key-1',
      alg: 'ES256',
      iss: 'https://idp.example/',
      aud: ['https://a', 'https://b'],
      clientId: 'client-7',
    });
  });

  it('should fall back to sub and bound what the sender wrote', () => {
    const token = sign({ sub: 's'.repeat(1000) }, privateKey, { algorithm: 'ES256' });
    expect(tokenFacts(token).clientId).toHaveLength(200);
  });

  it.each([[undefined], [''], ['not-a-jwt'], ['abc.def.ghi']])(
    'should read nothing of %j',
    (raw) => {
      expect(tokenFacts(raw)).toEqual({});
    },
  );
});

describe('claimsRefusal', () => {
  const rules = {
    issuer: 'https://idp.example/',
    audience: 'https://api',
    clockToleranceSeconds: 60,
  };
  const NOW = 1_800_000_000;
  /** Unsigned: the claims are read, never the signature (jsonwebtoken would not sign some). */
  const token = (claims: Record<string, unknown>) =>
    [
      { alg: 'RS256', kid: 'k1' },
      { iss: rules.issuer, aud: rules.audience, iat: NOW, exp: NOW + 3600, ...claims },
    ]
      .map((part) => Buffer.from(JSON.stringify(part)).toString('base64url'))
      .concat('c2lnbmF0dXJl')
      .join('.');
  const refusal = (raw: string | undefined) => claimsRefusal(raw, rules, NOW * 1000);

  it('should find nothing wrong with claims that would pass, a listed audience among others included', () => {
    expect(refusal(token({}))).toBeUndefined();
    expect(refusal(token({ aud: ['https://other', rules.audience] }))).toBeUndefined();
    // Within the clock tolerance, as jsonwebtoken and JwtStrategy allow.
    expect(refusal(token({ exp: NOW - 59, nbf: NOW + 60, iat: NOW + 60 }))).toBeUndefined();
  });

  it.each([
    ['another issuer', { iss: 'https://other/' }, 'wrong issuer'],
    ['another audience', { aud: 'https://other' }, 'wrong audience'],
    ['no exp', { exp: undefined }, 'missing exp'],
    ['a text exp', { exp: 'tomorrow' }, 'malformed'],
    ['an exp past the tolerance', { exp: NOW - 60 }, 'expired'],
    ['an nbf past the tolerance', { nbf: NOW + 61 }, 'not yet valid'],
    ['an iat past the tolerance', { iat: NOW + 61 }, 'issued in the future'],
  ])('should refuse %s', (_, claims, reason) => {
    expect(refusal(token(claims))).toBe(reason);
  });

  it.each([[undefined], ['not-a-jwt'], ['abc.def.ghi']])('should call %j malformed', (raw) => {
    expect(refusal(raw)).toBe('malformed');
  });
});
