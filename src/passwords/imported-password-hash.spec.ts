import { pbkdf2Sync } from 'node:crypto';
import { Algorithm, hash } from '@node-rs/argon2';
import { hashSync } from 'bcryptjs';
import { needsRehash, passwordHashAlgorithm, verifyForeignHash } from './imported-password-hash';
import { PasswordHasher } from './password-hasher';

const b64 = (bytes: Buffer) => bytes.toString('base64').replace(/=+$/, '');

describe('imported password hashes', () => {
  const bcrypt = hashSync('Secret123', 4);
  const salt = Buffer.from('0123456789abcdef');
  const derived = pbkdf2Sync('Secret123', salt, 1000, 32, 'sha256');
  const phc = `$pbkdf2-sha256$i=1000$${b64(salt)}$${b64(derived)}`;
  const passlib = `$pbkdf2-sha256$1000$${b64(salt).replace(/\+/g, '.')}$${b64(derived).replace(/\+/g, '.')}`;
  const django = `pbkdf2_sha256$1000$seasalt$${pbkdf2Sync('Secret123', 'seasalt', 1000, 32, 'sha256').toString('base64')}`;

  it('should recognise bcrypt ($2a$, $2b$, $2y$), PBKDF2-SHA256 (PHC, passlib, Django) and argon2 (PHC)', async () => {
    for (const prefix of ['$2a$', '$2b$', '$2y$']) {
      expect(passwordHashAlgorithm(bcrypt.replace(/^\$2.\$/, prefix))).toBe('bcrypt');
    }
    expect(passwordHashAlgorithm(phc)).toBe('pbkdf2-sha256');
    expect(passwordHashAlgorithm(passlib)).toBe('pbkdf2-sha256');
    expect(passwordHashAlgorithm(django)).toBe('pbkdf2-sha256');
    expect(passwordHashAlgorithm(await hash('x', { algorithm: Algorithm.Argon2i }))).toBe('argon2');
    expect(passwordHashAlgorithm(await hash('x'))).toBe('argon2');
  });

  it('should refuse unknown, malformed and too expensive hashes', () => {
    for (const bad of [
      '',
      'plaintext',
      '$1$abc$def',
      '$2b$04$short',
      '$pbkdf2-sha256$i=99999999$c2FsdA$' + 'A'.repeat(43),
      'pbkdf2_sha256$0$salt$' + 'A'.repeat(43) + '=',
      '$argon2id$v=19$m=19456,t=2,p=1$',
      'md5$salt$hash',
    ]) {
      expect(passwordHashAlgorithm(bad)).toBeUndefined();
    }
  });

  it('should verify each form with its own algorithm, and only the right password', async () => {
    for (const stored of [bcrypt, bcrypt.replace(/^\$2.\$/, '$2y$'), phc, passlib, django]) {
      await expect(verifyForeignHash(stored, 'Secret123')).resolves.toBe(true);
      await expect(verifyForeignHash(stored, 'Secret124')).resolves.toBe(false);
    }
  });

  it('should ask for a rehash of everything but argon2id', async () => {
    expect(needsRehash(bcrypt)).toBe(true);
    expect(needsRehash(phc)).toBe(true);
    expect(needsRehash(await hash('x', { algorithm: Algorithm.Argon2i }))).toBe(true);
    expect(needsRehash(await new PasswordHasher().hash('x'))).toBe(false);
  });

  it('should let the password hasher verify imported and own hashes alike', async () => {
    const hasher = new PasswordHasher();
    await expect(hasher.verify(bcrypt, 'Secret123')).resolves.toBe(true);
    await expect(hasher.verify(django, 'Secret123')).resolves.toBe(true);
    await expect(hasher.verify(django, 'wrong')).resolves.toBe(false);
    const argon2i = await hash('Secret123', { algorithm: Algorithm.Argon2i });
    await expect(hasher.verify(argon2i, 'Secret123')).resolves.toBe(true);
    await expect(hasher.verify('garbage', 'Secret123')).resolves.toBe(false);
  });
});
