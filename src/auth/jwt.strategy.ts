import { ForbiddenException, Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { passportJwtSecret } from 'jwks-rsa';
import { ExtractJwt, Strategy } from 'passport-jwt';
import { AppConfig, MAX_ORGANISATION_ID } from '../config/app-config';
import { AuthContext } from './auth-context';
import { JwksStatus } from './jwks-status';
import { withParsedKeys } from './parsed-key-cache';
import { ACCEPTED_ALGORITHMS, TokenRefusal } from './token-refusal';
import { VerifiedTokenCache } from './verified-token-cache';

const JWKS_TIMEOUT_MS = 5_000;

/** The bearer token of a request, read exactly as passport-jwt reads it. */
export const bearerToken = ExtractJwt.fromAuthHeaderAsBearerToken();

interface TokenClaims {
  exp?: unknown;
  nbf?: unknown;
  iat?: unknown;
  sub?: string;
  azp?: string;
  scope?: string;
  permissions?: unknown;
  [claim: string]: unknown;
}

/**
 * Verifies bearer tokens against the issuer's JWKS. Keys are cached and fetches rate limited, so a
 * flood of unknown `kid`s cannot hammer the issuer, while a rotated key is still picked up. Only
 * asymmetric algorithms are accepted: HS256 signed with the public key is rejected.
 */
@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, 'jwt') {
  private readonly organisationClaim: string;
  private readonly clockToleranceSeconds: number;

  constructor(
    config: AppConfig,
    jwksStatus: JwksStatus,
    private readonly verifiedTokens: VerifiedTokenCache,
  ) {
    super({
      jwtFromRequest: bearerToken,
      ignoreExpiration: false,
      issuer: config.auth.issuer,
      audience: config.auth.audience,
      algorithms: [...ACCEPTED_ALGORITHMS],
      // Applies to `exp` and `nbf`; `iat` is checked in validate() with the same leeway.
      jsonWebTokenOptions: { clockTolerance: config.auth.clockToleranceSeconds },
      passReqToCallback: true,
      secretOrKeyProvider: withParsedKeys(
        passportJwtSecret({
          jwksUri: config.auth.jwksUri,
          cache: true,
          cacheMaxEntries: 10,
          cacheMaxAge: config.auth.jwksCacheMs,
          // An unreachable issuer does not end known keys at once: they serve another hour.
          cacheMaxAgeFallback: 60 * 60_000,
          rateLimit: true,
          jwksRequestsPerMinute: 10,
          timeout: JWKS_TIMEOUT_MS,
          fetcher: jwksStatus.fetcher(JWKS_TIMEOUT_MS),
          // The default turns an unknown kid into "no key"; passed on, it is logged as such.
          handleSigningKeyError: (error, done) => done(error),
        }),
      ),
    });
    this.organisationClaim = config.auth.organisationClaim;
    this.clockToleranceSeconds = config.auth.clockToleranceSeconds;
  }

  /**
   * Maps claims to the typed context; no database access here (it runs for every token not yet
   * in the verified-token cache). A token that passes is cached for its next requests.
   */
  validate(
    request: { headers: Record<string, string | string[] | undefined> },
    claims: TokenClaims,
  ): AuthContext {
    const context = this.contextOf(claims);
    const token = bearerToken(request);
    const kid = token ? keyIdOf(token) : undefined;
    if (token && kid !== undefined) {
      this.verifiedTokens.put(token, {
        context,
        exp: claims.exp as number,
        nbf: typeof claims.nbf === 'number' ? claims.nbf : undefined,
        kid,
      });
    }
    return { ...context, clientName: clientNameOf(request) };
  }

  private contextOf(claims: TokenClaims): Omit<AuthContext, 'clientName'> {
    // jsonwebtoken checks `exp` only when present: a token must end.
    if (typeof claims.exp !== 'number') {
      throw new TokenRefusal('missing exp');
    }
    const now = Math.floor(Date.now() / 1000);
    if (typeof claims.iat === 'number' && claims.iat > now + this.clockToleranceSeconds) {
      throw new TokenRefusal('issued in the future');
    }
    const organisationId = readOrganisationId(claims[this.organisationClaim]);
    if (organisationId === undefined) {
      throw new ForbiddenException(
        `The token has no organisation: claim ${this.organisationClaim} must be a positive integer`,
      );
    }
    const subject = String(claims.sub ?? '');
    return {
      clientId: String(claims.azp ?? subject),
      subject,
      organisationId,
      permissions: new Set(readPermissions(claims)),
    };
  }
}

/** The caller's ET-Client-Name header (bounded): per request, never part of a cached token. */
export function clientNameOf(request: {
  headers: Record<string, string | string[] | undefined>;
}): string | undefined {
  const clientName = request.headers['et-client-name'];
  return typeof clientName === 'string' ? clientName.slice(0, 200) : undefined;
}

/** The `kid` of a verified token's header. */
function keyIdOf(token: string): string | undefined {
  try {
    const header = JSON.parse(Buffer.from(token.split('.')[0], 'base64url').toString('utf8'));
    return typeof header?.kid === 'string' ? header.kid : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A positive JSON integer, or its canonical decimal string: `"01"`, `"1.0"`, `" 1"`, `"1e3"`,
 * `true` or `[1]` are not ids (two spellings of one organisation must not exist).
 */
export function readOrganisationId(claim: unknown): number | undefined {
  const id =
    typeof claim === 'number'
      ? claim
      : typeof claim === 'string' && /^[1-9]\d{0,9}$/.test(claim)
        ? Number(claim)
        : NaN;
  return Number.isSafeInteger(id) && id >= 1 && id <= MAX_ORGANISATION_ID ? id : undefined;
}

function readPermissions(claims: TokenClaims): string[] {
  const fromArray = Array.isArray(claims.permissions)
    ? claims.permissions.filter((p): p is string => typeof p === 'string')
    : [];
  const fromScope = typeof claims.scope === 'string' ? claims.scope.split(' ').filter(Boolean) : [];
  return [...fromArray, ...fromScope];
}
