import { Injectable } from '@nestjs/common';
import { Algorithm, hash, verify } from '@node-rs/argon2';
import { verifyForeignHash } from './imported-password-hash';

/** OWASP's argon2id baseline: 19 MiB, 2 iterations, 1 lane. */
const ARGON2ID = { algorithm: Algorithm.Argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 };

/**
 * Slow, salted password hashing off the event loop (libuv threads), so requests keep flowing.
 * New hashes are argon2id; imported ones (bcrypt, PBKDF2-SHA256, other argon2 variants) are
 * verified with their own algorithm until the next successful sign-in replaces them.
 */
@Injectable()
export class PasswordHasher {
  hash(password: string): Promise<string> {
    return hash(password, ARGON2ID);
  }

  verify(storedHash: string, password: string): Promise<boolean> {
    if (storedHash.startsWith('$argon2')) {
      return verify(storedHash, password).catch(() => false);
    }
    return verifyForeignHash(storedHash, password).catch(() => false);
  }
}
