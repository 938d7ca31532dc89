import { pbkdf2, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import { compare as bcryptCompare } from 'bcryptjs';

const pbkdf2Async = promisify(pbkdf2);

/** The password-hash algorithms a profile may arrive with from another system. */
export type PasswordHashAlgorithm = 'argon2' | 'bcrypt' | 'pbkdf2-sha256';

/** Upper bound of PBKDF2 iterations accepted on import: a sign-in must not stall a thread. */
export const MAX_PBKDF2_ITERATIONS = 10_000_000;

const BCRYPT = /^\$2[aby]\$(0[4-9]|[12]\d|3[01])\$[./A-Za-z0-9]{53}$/;
const ARGON2 =
  /^\$argon2(?:id|i|d)\$(?:v=\d{1,3}\$)?m=\d{1,10},t=\d{1,10},p=\d{1,3}(?:,[a-z]+=[A-Za-z0-9+/]*)*\$[A-Za-z0-9+/]{8,}\$[A-Za-z0-9+/]{16,}$/;
/** PHC string format: `$pbkdf2-sha256$i=600000$<salt>$<hash>` (standard base64, no padding). */
const PBKDF2_PHC =
  /^\$pbkdf2-sha256\$i=(\d{1,8})(?:,l=\d{1,3})?\$([A-Za-z0-9+/]{2,})\$([A-Za-z0-9+/]{22,})$/;
/** Passlib's modular-crypt form: `$pbkdf2-sha256$29000$<salt>$<hash>` (base64 with `.` for `+`). */
const PBKDF2_PASSLIB = /^\$pbkdf2-sha256\$(\d{1,8})\$([A-Za-z0-9./]{2,})\$([A-Za-z0-9./]{22,})$/;
/** Django's form: `pbkdf2_sha256$870000$<salt text>$<hash, standard base64>`. */
const PBKDF2_DJANGO =
  /^pbkdf2_sha256\$(\d{1,8})\$([\x21-\x23\x25-\x7e]{1,128})\$([A-Za-z0-9+/]{43}=)$/;

interface Pbkdf2Parts {
  iterations: number;
  salt: Buffer;
  hash: Buffer;
}

/** The algorithm of a hash this service can verify, or undefined for an unknown or malformed one. */
export function passwordHashAlgorithm(hash: string): PasswordHashAlgorithm | undefined {
  if (BCRYPT.test(hash)) {
    return 'bcrypt';
  }
  if (ARGON2.test(hash)) {
    return 'argon2';
  }
  const parts = pbkdf2Parts(hash);
  return parts && parts.iterations >= 1 && parts.iterations <= MAX_PBKDF2_ITERATIONS
    ? 'pbkdf2-sha256'
    : undefined;
}

/** Whether a stored hash is not this service's own (argon2id) and is replaced at the next sign-in. */
export function needsRehash(hash: string): boolean {
  return !hash.startsWith('$argon2id$');
}

/** Verifies a bcrypt or PBKDF2-SHA256 hash; false for any other or malformed one. */
export async function verifyForeignHash(hash: string, password: string): Promise<boolean> {
  if (BCRYPT.test(hash)) {
    return bcryptCompare(password, hash).catch(() => false);
  }
  const parts = pbkdf2Parts(hash);
  if (!parts || parts.iterations < 1 || parts.iterations > MAX_PBKDF2_ITERATIONS) {
    return false;
  }
  const derived = await pbkdf2Async(
    Buffer.from(password, 'utf8'),
    parts.salt,
    parts.iterations,
    parts.hash.length,
    'sha256',
  );
  return derived.length === parts.hash.length && timingSafeEqual(derived, parts.hash);
}

function pbkdf2Parts(hash: string): Pbkdf2Parts | undefined {
  let match = PBKDF2_PHC.exec(hash);
  if (match) {
    return {
      iterations: Number(match[1]),
      salt: Buffer.from(match[2], 'base64'),
      hash: Buffer.from(match[3], 'base64'),
    };
  }
  match = PBKDF2_PASSLIB.exec(hash);
  if (match) {
    const ab64 = (text: string) => Buffer.from(text.replace(/\./g, '+'), 'base64');
    return { iterations: Number(match[1]), salt: ab64(match[2]), hash: ab64(match[3]) };
  }
  match = PBKDF2_DJANGO.exec(hash);
  if (match) {
    return {
      iterations: Number(match[1]),
      salt: Buffer.from(match[2], 'utf8'),
      hash: Buffer.from(match[3], 'base64'),
    };
  }
  return undefined;
}
