import { generateKeyPairSync, KeyObject, randomBytes } from 'node:crypto';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { sign } from 'jsonwebtoken';

export const BENCH_AUDIENCE = 'https://api.customers.bench';
const TOKEN_LIFETIME_S = 12 * 3600;

/**
 * A minimal identity provider on loopback: one RS256 key, its JWKS, and client-credentials-like
 * tokens, so the service under test verifies real signatures exactly as in production.
 */
export class BenchIssuer {
  private readonly privateKey: KeyObject;
  private readonly jwk: Record<string, unknown>;
  private server?: Server;
  issuer = '';

  constructor(private readonly organisationClaim: string) {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    this.privateKey = privateKey;
    const kid = randomBytes(6).toString('hex');
    this.jwk = { ...publicKey.export({ format: 'jwk' }), kid, alg: 'RS256', use: 'sig' };
  }

  async start(): Promise<this> {
    this.server = createServer((request, response) => {
      if (request.url === '/.well-known/jwks.json') {
        response.setHeader('content-type', 'application/json');
        response.end(JSON.stringify({ keys: [this.jwk] }));
        return;
      }
      response.statusCode = 404;
      response.end();
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.issuer = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/`;
    return this;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) =>
      this.server ? this.server.close(() => resolve()) : resolve(),
    );
  }

  /** A partner token of one organisation that may read, write and export its profiles. */
  partnerToken(organisationId: number): string {
    const now = Math.floor(Date.now() / 1000);
    return sign(
      {
        iss: this.issuer,
        aud: BENCH_AUDIENCE,
        sub: `bench-${organisationId}@clients`,
        azp: `bench-${organisationId}`,
        permissions: ['customers:read', 'customers:write', 'customers:export'],
        [this.organisationClaim]: organisationId,
        iat: now,
        exp: now + TOKEN_LIFETIME_S,
      },
      this.privateKey,
      { algorithm: 'RS256', keyid: String(this.jwk.kid) },
    );
  }
}

/** Reads the organisation of a token given with --url (no verification: the service does that). */
export function organisationOfToken(token: string, claim: string): number {
  const payload = token.split('.')[1];
  if (!payload) {
    throw new Error('--token is not a JWT');
  }
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  const organisationId = Number(claims[claim]);
  if (!Number.isSafeInteger(organisationId) || organisationId < 1) {
    throw new Error(`--token has no organisation in claim ${claim}`);
  }
  return organisationId;
}
