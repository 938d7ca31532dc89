import { randomBytes } from 'node:crypto';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
/** The largest multiple of 62 below 256: bytes above it are dropped so every character is equally likely. */
const UNBIASED_LIMIT = 248;

/** A profile's `uuid`: 32 random alphanumeric characters (not an RFC 4122 UUID). */
export function newProfileUuid(): string {
  let result = '';
  while (result.length < 32) {
    for (const byte of randomBytes(48)) {
      if (byte < UNBIASED_LIMIT && result.length < 32) {
        result += ALPHABET[byte % ALPHABET.length];
      }
    }
  }
  return result;
}
