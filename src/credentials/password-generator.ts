import { randomInt } from 'node:crypto';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '../passwords/password-policy';

/** Letters and digits that cannot be mistaken for one another when read out or typed (no l/I/1, O/0). */
const LOWER = 'abcdefghijkmnopqrstuvwxyz';
const UPPER = 'ABCDEFGHJKLMNPQRSTUVWXYZ';
const DIGITS = '23456789';
const ALPHABET = LOWER + UPPER + DIGITS;

/** 16 characters of a 57-symbol alphabet: about 93 bits, far beyond online or offline guessing. */
export const GENERATED_PASSWORD_LENGTH = 16;

/**
 * A one-time password from the operating system's CSPRNG (`crypto.randomInt`, unbiased), with at
 * least one lower-case letter, one capital and one digit, so it passes any policy that asks for
 * them as well as ours (7–128 characters).
 */
export function generatePassword(length = GENERATED_PASSWORD_LENGTH): string {
  if (length < Math.max(PASSWORD_MIN_LENGTH, 3) || length > PASSWORD_MAX_LENGTH) {
    throw new RangeError(
      `a generated password must be ${PASSWORD_MIN_LENGTH} to ${PASSWORD_MAX_LENGTH} characters long`,
    );
  }
  const pick = (symbols: string) => symbols[randomInt(symbols.length)];
  const chars = [pick(LOWER), pick(UPPER), pick(DIGITS)];
  while (chars.length < length) {
    chars.push(pick(ALPHABET));
  }
  // Fisher–Yates with the same CSPRNG, so the guaranteed classes sit anywhere.
  for (let i = chars.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [chars[i], chars[j]] = [chars[j], chars[i]];
  }
  return chars.join('');
}
