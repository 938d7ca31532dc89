import { createHash, generateKeyPairSync, KeyObject } from 'node:crypto';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { sign, SignOptions } from 'jsonwebtoken';

export const TEST_AUDIENCE = 'https://api.customers.test';
export const ORGANISATION_CLAIM = 'https://entur.io/organisationID';

export const ALL_PARTNER_PERMISSIONS = [
  'customers:read',
  'customers:write',
  'consents:read',
  'consents:write',
  'customers:export',
  'customers:import',
  'webhooks:manage',
];

interface Key {
  kid: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
  jwk: Record<string, unknown>;
}

export interface MintOptions {
  organisationId?: number | null;
  permissions?: string[];
  scope?: string;
  clientId?: string;
  /** Overrides of the signed claims (`iss`, `aud`, `exp`, `nbf`, ...); `undefined` leaves one out. */
  claims?: Record<string, unknown>;
  algorithm?: 'RS256' | 'ES256';
  kid?: string;
  /** Sign with a key the JWKS does not publish. */
  unpublishedKey?: boolean;
}

function rsaKey(): Key {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = publicKey.export({ format: 'jwk' });
  const kid = createHash('sha256').update(String(jwk.n)).digest('hex').slice(0, 12);
  return { kid, privateKey, publicKey, jwk: { ...jwk, kid, alg: 'RS256', use: 'sig' } };
}

function ecKey(): Key {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const jwk = publicKey.export({ format: 'jwk' });
  const kid = createHash('sha256').update(String(jwk.x)).digest('hex').slice(0, 12);
  return { kid, privateKey, publicKey, jwk: { ...jwk, kid, alg: 'ES256', use: 'sig' } };
}

let generated: { rsa: Key; ec: Key; stranger: Key } | undefined;

/**
 * Key pairs are generated once per test process (RSA generation costs about a second on a busy
 * machine, for every app a suite starts); each issuer still has its own URL, so its tokens are
 * valid only for its own app. rotate() always makes a fresh key.
 */
function sharedKeys() {
  generated ??= { rsa: rsaKey(), ec: ecKey(), stranger: rsaKey() };
  return generated;
}

/**
 * A real token issuer for tests: RSA and EC key pairs, a JWKS served over HTTP on loopback, and
 * tokens minted exactly as an identity provider would sign them.
 */
export class TestIssuer {
  readonly rsa = sharedKeys().rsa;
  readonly ec = sharedKeys().ec;
  readonly stranger = sharedKeys().stranger;
  /** Keys published in the JWKS; tests may add a rotated key. */
  readonly published: Key[] = [this.rsa, this.ec];
  jwksFetches = 0;
  /** The status the JWKS endpoint answers with; tests set 500 for an issuer in trouble. */
  jwksStatus = 200;
  private server?: Server;
  issuer = '';

  /** Listens on loopback; started again after stop(), on the same port (the app's JWKS URL). */
  async start(): Promise<this> {
    this.server = createServer((request, response) => {
      if (request.url === '/.well-known/jwks.json') {
        this.jwksFetches++;
        if (this.jwksStatus !== 200) {
          response.statusCode = this.jwksStatus;
          response.end();
          return;
        }
        response.setHeader('content-type', 'application/json');
        response.end(JSON.stringify({ keys: this.published.map((k) => k.jwk) }));
        return;
      }
      response.statusCode = 404;
      response.end();
    });
    const port = this.issuer ? Number(new URL(this.issuer).port) : 0;
    await new Promise<void>((resolve) => this.server!.listen(port, '127.0.0.1', resolve));
    this.issuer = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/`;
    return this;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }

  /** Publishes a new signing key, as an identity provider does when it rotates keys. */
  rotate(): Key {
    const key = rsaKey();
    this.published.push(key);
    return key;
  }

  mint(options: MintOptions = {}, key?: Key): string {
    const algorithm = options.algorithm ?? 'RS256';
    const signingKey =
      key ?? (options.unpublishedKey ? this.stranger : algorithm === 'ES256' ? this.ec : this.rsa);
    const organisationId = options.organisationId === undefined ? 1 : options.organisationId;
    const payload: Record<string, unknown> = {
      iss: this.issuer,
      aud: TEST_AUDIENCE,
      sub: `${options.clientId ?? 'test-client'}@clients`,
      azp: options.clientId ?? 'test-client',
      permissions: options.permissions ?? ALL_PARTNER_PERMISSIONS,
      ...(organisationId === null ? {} : { [ORGANISATION_CLAIM]: organisationId }),
      ...(options.scope ? { scope: options.scope } : {}),
      iat: Math.floor(Date.now() / 1000),
      exp: Math.floor(Date.now() / 1000) + 3600,
      ...options.claims,
    };
    for (const [claim, value] of Object.entries(payload)) {
      if (value === undefined) {
        delete payload[claim];
      }
    }
    const signOptions: SignOptions = { algorithm, keyid: options.kid ?? signingKey.kid };
    return sign(payload, signingKey.privateKey, signOptions);
  }

  /** Tokens for the usual roles of the suites. */
  partner(
    organisationId = 1,
    permissions = ALL_PARTNER_PERMISSIONS,
    clientId = `client-${organisationId}`,
  ): string {
    return this.mint({ organisationId, permissions, clientId });
  }

  admin(): string {
    return this.mint({
      organisationId: 1,
      permissions: ['customers:admin'],
      clientId: 'platform-admin',
    });
  }
}
