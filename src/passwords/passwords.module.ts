import { Global, Module } from '@nestjs/common';
import { PasswordHasher } from './password-hasher';

/** Password hashing (argon2id, imported hashes), provided once for every module that stores one. */
@Global()
@Module({
  providers: [PasswordHasher],
  exports: [PasswordHasher],
})
export class PasswordsModule {}
