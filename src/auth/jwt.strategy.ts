import { ForbiddenException, Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { passportJwtSecret } from 'jwks-rsa';
import { ExtractJwt, Strategy } from 'passport-jwt';
import { AppConfig, MAX_ORGANISATION_ID } from '../config/app-config';
import { AuthContext } from './auth-context';
import { withParsedKeys } from './parsed-key-cache';

export const ACCEPTED_ALGORITHMS = ['RS256', 'ES256'] as const;

interface TokenClaims {
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

  constructor(config: AppConfig) {
    super({
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      ignoreExpiration: false,
      issuer: config.auth.issuer,
      audience: config.auth.audience,
      algorithms: [...ACCEPTED_ALGORITHMS],
      passReqToCallback: true,
      secretOrKeyProvider: withParsedKeys(
        passportJwtSecret({
          jwksUri: config.auth.jwksUri,
          cache: true,
          cacheMaxEntries: 10,
          cacheMaxAge: 10 * 60_000,
          rateLimit: true,
          jwksRequestsPerMinute: 10,
          timeout: 5_000,
        }),
      ),
    });
    this.organisationClaim = config.auth.organisationClaim;
  }

  /** Maps claims to the typed context; no database access here (it runs on every request). */
  validate(
    request: { headers: Record<string, string | string[] | undefined> },
    claims: TokenClaims,
  ): AuthContext {
    const organisationId = readOrganisationId(claims[this.organisationClaim]);
    if (organisationId === undefined) {
      throw new ForbiddenException(
        `The token has no organisation: claim ${this.organisationClaim} must be a positive integer`,
      );
    }
    const subject = String(claims.sub ?? '');
    const clientName = request.headers['et-client-name'];
    return {
      clientId: String(claims.azp ?? subject),
      subject,
      organisationId,
      permissions: new Set(readPermissions(claims)),
      clientName: typeof clientName === 'string' ? clientName.slice(0, 200) : undefined,
    };
  }
}

/** A positive integer, or its plain decimal string; `true`, `[1]` or `"1e3"` are not ids. */
function readOrganisationId(claim: unknown): number | undefined {
  const id =
    typeof claim === 'number'
      ? claim
      : typeof claim === 'string' && /^\d{1,15}$/.test(claim)
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
