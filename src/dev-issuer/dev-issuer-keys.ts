import {
  generateKeyPairSync,
  createPrivateKey,
  createPublicKey,
  KeyObject,
  createHash,
} from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

export interface SigningKey {
  kid: string;
  privateKey: KeyObject;
  publicJwk: Record<string, unknown>;
}

/** Loads the development issuer's RSA key, creating it on first start so tokens survive restarts. */
export function loadOrCreateSigningKey(file: string): SigningKey {
  let pem: string;
  if (file !== ':memory:' && existsSync(file)) {
    pem = (JSON.parse(readFileSync(file, 'utf8')) as { privateKeyPem: string }).privateKeyPem;
  } else {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    if (file !== ':memory:') {
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, JSON.stringify({ privateKeyPem: pem }), { mode: 0o600 });
    }
  }
  const privateKey = createPrivateKey(pem);
  const jwk = createPublicKey(privateKey).export({ format: 'jwk' });
  const kid = createHash('sha256').update(String(jwk.n)).digest('base64url').slice(0, 16);
  return { kid, privateKey, publicJwk: { ...jwk, kid, alg: 'RS256', use: 'sig' } };
}
