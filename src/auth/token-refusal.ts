import { decode, Jwt } from 'jsonwebtoken';

/** The algorithms tokens may be signed with: asymmetric only (no HS256 with a public key). */
export const ACCEPTED_ALGORITHMS = ['RS256', 'ES256'] as const;

/** A token that verified but breaks a rule of ours; its reason is logged, never answered. */
export class TokenRefusal extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'TokenRefusal';
  }
}

/** Errors of jsonwebtoken and jwks-rsa by name. */
const REASON_BY_NAME: Record<string, string> = {
  TokenExpiredError: 'expired',
  NotBeforeError: 'not yet valid',
  SigningKeyNotFoundError: 'unknown key',
  JwksRateLimitError: 'unknown key (JWKS fetches rate limited)',
};

/** jsonwebtoken's messages (one error class for many reasons). */
const REASON_BY_MESSAGE: [RegExp, string][] = [
  [/^jwt audience invalid/, 'wrong audience'],
  [/^jwt issuer invalid/, 'wrong issuer'],
  [/^invalid signature$/, 'bad signature'],
  [/^(invalid algorithm|secretOrPublicKey must be)/, 'algorithm not accepted'],
  [
    /^(jwt malformed|invalid token|jwt must be|jwt signature is required|invalid (exp|nbf) value)/,
    'malformed',
  ],
];

/** Why a token was refused, in a few words, from whatever passport-jwt or jwks-rsa reported. */
export function refusalReason(refusal: unknown, header: { alg?: string } = {}): string {
  if (refusal instanceof TokenRefusal) {
    return refusal.reason;
  }
  const { name = '', message = '' } = (refusal ?? {}) as { name?: string; message?: string };
  if (message === 'No auth token') {
    return 'missing token';
  }
  if (
    header.alg !== undefined &&
    !(ACCEPTED_ALGORITHMS as readonly string[]).includes(header.alg)
  ) {
    return 'algorithm not accepted';
  }
  const known =
    REASON_BY_NAME[name] ?? REASON_BY_MESSAGE.find(([pattern]) => pattern.test(message))?.[1];
  if (known) {
    return known;
  }
  if ((refusal as { isEndpointUnavailable?: boolean } | undefined)?.isEndpointUnavailable) {
    return 'signing keys unavailable (JWKS unreachable)';
  }
  return message ? `refused: ${message.slice(0, 200)}` : 'refused';
}

/** What a token must claim, whoever signed it: the checks of jsonwebtoken and JwtStrategy. */
export interface ClaimRules {
  issuer: string;
  audience: string;
  clockToleranceSeconds: number;
}

/**
 * Why a token's own claims refuse it whatever its signature, or undefined. For a token whose key
 * cannot be read: one that is wrong anyway (expired, another audience or issuer) still gets 401,
 * only one that would pass once its signature is checked waits for the issuer.
 */
export function claimsRefusal(
  raw: string | undefined,
  rules: ClaimRules,
  nowMs = Date.now(),
): string | undefined {
  const payload = decodeToken(raw)?.payload;
  if (!payload || typeof payload !== 'object') {
    return 'malformed';
  }
  if (payload.iss !== rules.issuer) {
    return 'wrong issuer';
  }
  if (!(Array.isArray(payload.aud) ? payload.aud : [payload.aud]).includes(rules.audience)) {
    return 'wrong audience';
  }
  const { exp, nbf, iat } = payload as Record<string, unknown>;
  if (exp === undefined) {
    return 'missing exp';
  }
  if (typeof exp !== 'number' || (nbf !== undefined && typeof nbf !== 'number')) {
    return 'malformed';
  }
  const now = Math.floor(nowMs / 1000);
  const tolerance = rules.clockToleranceSeconds;
  if (now >= exp + tolerance) {
    return 'expired';
  }
  if (typeof nbf === 'number' && nbf > now + tolerance) {
    return 'not yet valid';
  }
  if (typeof iat === 'number' && iat > now + tolerance) {
    return 'issued in the future';
  }
  return undefined;
}

export interface TokenFacts {
  kid?: string;
  alg?: string;
  iss?: string;
  aud?: string | string[];
  clientId?: string;
}

/** The unverified header and claims that identify a token in a log line; never the token. */
export function tokenFacts(raw: string | undefined): TokenFacts {
  const decoded = decodeToken(raw);
  if (!decoded) {
    return {};
  }
  const header = decoded.header as unknown as Record<string, unknown>;
  const payload = (typeof decoded.payload === 'object' ? decoded.payload : {}) as Record<
    string,
    unknown
  >;
  return {
    kid: short(header.kid),
    alg: short(header.alg),
    iss: short(payload.iss),
    aud: Array.isArray(payload.aud)
      ? payload.aud.slice(0, 5).map((a) => short(a) ?? '')
      : short(payload.aud),
    clientId: short(payload.azp ?? payload.sub),
  };
}

/** Header and claims of a token, unverified; undefined when it is no JWT. */
function decodeToken(raw: string | undefined): Jwt | undefined {
  if (!raw) {
    return undefined;
  }
  try {
    const decoded = decode(raw, { complete: true });
    return decoded && typeof decoded !== 'string' ? decoded : undefined;
  } catch {
    return undefined;
  }
}

/** Claims of an unverified token are the sender's words: bounded before they reach a log. */
function short(value: unknown): string | undefined {
  if (value === undefined || value === null) {
    return undefined;
  }
  return (typeof value === 'string' ? value : JSON.stringify(value)).slice(0, 200);
}
