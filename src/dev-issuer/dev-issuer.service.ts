import { timingSafeEqual } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { sign } from 'jsonwebtoken';
import {
  UnauthorizedDomainException,
  ValidationDomainException,
} from '../common/errors/domain.exception';
import { AppConfig } from '../config/app-config';
import { loadOrCreateSigningKey, SigningKey } from './dev-issuer-keys';

const TOKEN_LIFETIME_SECONDS = 24 * 60 * 60;

/** A stand-in for Auth0's client-credentials flow, for the embedded development setup only. */
@Injectable()
export class DevIssuerService {
  private readonly key: SigningKey;

  constructor(private readonly config: AppConfig) {
    this.key = loadOrCreateSigningKey(config.auth.devIssuer.keyFile);
  }

  jwks(): { keys: Record<string, unknown>[] } {
    return { keys: [this.key.publicJwk] };
  }

  issueToken(clientId: string, clientSecret: string, audience?: string) {
    const client = this.config.auth.devIssuer.clients.find((c) => c.clientId === clientId);
    if (!client || !sameSecret(client.clientSecret, clientSecret)) {
      throw new UnauthorizedDomainException('Unknown client or wrong secret');
    }
    if (audience && audience !== this.config.auth.audience) {
      throw new ValidationDomainException(
        `Unknown audience; this issuer serves ${this.config.auth.audience}`,
        [],
      );
    }
    const accessToken = sign(
      {
        [this.config.auth.organisationClaim]: client.organisationId,
        permissions: client.permissions,
        azp: client.clientId,
      },
      this.key.privateKey,
      {
        algorithm: 'RS256',
        keyid: this.key.kid,
        issuer: this.config.auth.issuer,
        audience: this.config.auth.audience,
        subject: `${client.clientId}@clients`,
        expiresIn: TOKEN_LIFETIME_SECONDS,
      },
    );
    return {
      access_token: accessToken,
      token_type: 'Bearer' as const,
      expires_in: TOKEN_LIFETIME_SECONDS,
    };
  }
}

function sameSecret(expected: string, given: string): boolean {
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}
