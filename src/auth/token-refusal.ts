import { decode } from 'jsonwebtoken';

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

export interface TokenFacts {
  kid?: string;
  alg?: string;
  iss?: string;
  aud?: string | string[];
  clientId?: string;
}

/** The unverified header and claims that identify a token in a log line; never the token. */
export function tokenFacts(raw: string | undefined): TokenFacts {
  if (!raw) {
    return {};
  }
  let decoded: ReturnType<typeof decode>;
  try {
    decoded = decode(raw, { complete: true });
  } catch {
    decoded = null;
  }
  if (!decoded || typeof decoded === 'string') {
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

/** Claims of an unverified token are the sender's words: bounded before they reach a log. */
function short(value: unknown): string | undefined {
  if (value === undefined || value === null) {
    return undefined;
  }
  return (typeof value === 'string' ? value : JSON.stringify(value)).slice(0, 200);
}
