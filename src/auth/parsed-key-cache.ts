import { createPublicKey, KeyObject } from 'node:crypto';
import { SecretCallback } from 'jwks-rsa';
import { SecretOrKeyProvider } from 'passport-jwt';

const MAX_KEYS = 20;

/**
 * jwks-rsa hands out PEM strings and jsonwebtoken would parse the PEM again for every request
 * (about a fifth of a lookup's CPU); this keeps the parsed public key per PEM. Verification itself
 * is unchanged, and a KeyObject of type `public` still refuses HS256.
 */
export function withParsedKeys(provider: SecretCallback): SecretOrKeyProvider {
  const parsed = new Map<string, KeyObject>();
  return (request, rawJwt, done) =>
    provider(request, rawJwt, (error, key) => {
      if (error || typeof key !== 'string') {
        return done(error, key);
      }
      let keyObject = parsed.get(key);
      if (!keyObject) {
        if (parsed.size >= MAX_KEYS) {
          parsed.clear();
        }
        keyObject = createPublicKey(key);
        parsed.set(key, keyObject);
      }
      // jsonwebtoken accepts a KeyObject; passport-jwt's typings predate it.
      done(null, keyObject as unknown as Buffer);
    });
}
