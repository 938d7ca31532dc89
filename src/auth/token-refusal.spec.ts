import { generateKeyPairSync } from 'node:crypto';
import { JsonWebTokenError, NotBeforeError, sign, TokenExpiredError } from 'jsonwebtoken';
import { refusalReason, TokenRefusal, tokenFacts } from './token-refusal';

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
