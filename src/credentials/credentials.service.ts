import { randomBytes } from 'node:crypto';
import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { isAdmin, RequestCaller } from '../common/http/request-caller';
import { Clock } from '../common/clock/clock';
import { normaliseEmail } from '../common/email/normalise-email';
import {
  ConflictDomainException,
  DomainException,
  ForbiddenDomainException,
  UnauthorizedDomainException,
  ValidationDomainException,
} from '../common/errors/domain.exception';
import { ProfileAccessService } from '../profiles/profile-access.service';
import { ProfileRow } from '../profiles/profile-row';
import { ProfilesRepository } from '../profiles/profiles.repository';
import { AuthenticateRequestDto } from './dto/authenticate.dto';
import { ChangePasswordRequestDto } from './dto/change-password.dto';
import { needsRehash } from '../passwords/imported-password-hash';
import { generatePassword } from './password-generator';
import { PasswordHasher } from '../passwords/password-hasher';
import { attemptKey, SIGN_IN_LIMITS, SignInLimiter } from './sign-in-limiter';

/** One answer for an unknown e-mail, a wrong password, a profile without password or a deactivated one. */
function invalidCredentials(): DomainException {
  return new UnauthorizedDomainException('The e-mail or password is incorrect');
}

function wrongCurrentPassword(): DomainException {
  return new UnauthorizedDomainException('The current password is incorrect');
}

function noPasswordForTemporaryProfiles(): ConflictDomainException {
  return new ConflictDomainException(
    'A temporary profile cannot have a password; convert it to a permanent profile first',
  );
}

function replacingNeedsAdmin(): DomainException {
  return new ForbiddenDomainException(
    'The profile already has a password: replacing it without the current one needs ' +
      'customers:admin; otherwise use PUT /customers/v2/profiles/{customerNumber}/password ' +
      'with currentPassword',
  );
}

/**
 * Customer sign-in and password changes. Passwords and hashes stay inside this service: they are
 * never returned, logged or audited (audit rows name the field `password`, never a value).
 */
@Injectable()
export class CredentialsService implements OnModuleInit {
  /** Verified when no profile matches, so unknown e-mails cost the same time as wrong passwords. */
  private dummyHash = '';

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly hasher: PasswordHasher,
    private readonly limiter: SignInLimiter,
    private readonly profiles: ProfilesRepository,
    private readonly access: ProfileAccessService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  async onModuleInit(): Promise<void> {
    this.dummyHash = await this.hasher.hash(randomBytes(32).toString('base64'));
  }

  async authenticate(caller: RequestCaller, body: AuthenticateRequestDto): Promise<ProfileRow> {
    const { organisationId, clientId } = caller;
    const now = this.clock.now();
    // The same form of the address for the lookup and the limiter: no spelling escapes the count.
    const email = normaliseEmail(body.email);
    const accountKey = attemptKey('account', organisationId, email);
    const clientKey = attemptKey('client', organisationId, clientId);
    await this.reserveAttempt(organisationId, clientKey, accountKey, now);

    // Temporary profiles have no login; deactivated ones may not sign in.
    const found = await this.profiles.findSignInCredentials(organisationId, email);
    const storedHash = found?.password_hash;
    const matches = await this.hasher.verify(storedHash ?? this.dummyHash, body.password);
    if (!found || !storedHash || !matches) {
      await this.limiter.forgetEndedWindows(organisationId, now);
      throw invalidCredentials();
    }

    const customerNumber = Number(found.customer_number);
    // An imported hash (bcrypt, PBKDF2, another argon2 variant) becomes argon2id now that the
    // password is known; hashed before the transaction, as argon2 is slow.
    const upgradedHash = needsRehash(storedHash) ? await this.hasher.hash(body.password) : null;
    const profile = await this.dataSource.transaction(async (manager) => {
      const signedIn = await this.profiles.recordSignIn(manager, organisationId, customerNumber, {
        from: body.lastSignInFrom,
        at: now,
        upgradedHash,
        verifiedHash: storedHash,
      });
      await this.audit.record(manager, {
        organisationId,
        customerNumber,
        operation: 'PROFILE_SIGNED_IN',
        fields: ['lastSignInAt', 'lastSignInFrom', ...(signedIn?.rehashed ? ['password'] : [])],
        clientId,
        clientName: caller.clientName,
        channel: body.lastSignInFrom,
        correlationId: caller.correlationId,
      });
      return signedIn!.row;
    });
    await this.limiter.reset(organisationId, accountKey);
    await this.limiter.release(organisationId, clientKey);
    return profile;
  }

  /**
   * Counts the attempt against the client and the account before the password is checked (both
   * atomically); an attempt the account's limit refuses is no guess, so the client gets it back.
   */
  private async reserveAttempt(
    organisationId: number,
    clientKey: string,
    accountKey: string,
    now: Date,
  ): Promise<void> {
    await this.limiter.reserve(organisationId, clientKey, SIGN_IN_LIMITS.perClient, now);
    try {
      await this.limiter.reserve(organisationId, accountKey, SIGN_IN_LIMITS.perAccount, now);
    } catch (error) {
      await this.limiter.release(organisationId, clientKey);
      throw error;
    }
  }

  /**
   * Sets a new password. The current one is required when the profile has a password, except for
   * `customers:admin` tokens (support staff resetting a forgotten password). Wrong current passwords
   * count against the same limits as sign-ins, so this route is no way around them.
   */
  async changePassword(
    caller: RequestCaller,
    customerNumber: number,
    body: ChangePasswordRequestDto,
  ): Promise<void> {
    const { organisationId, clientId } = caller;
    const profile = await this.access.requireForChange(
      organisationId,
      customerNumber,
      'write',
      this.dataSource.manager,
    );
    if (profile.profileType === 'T') {
      throw noPasswordForTemporaryProfiles();
    }
    const current = await this.profiles.findPasswordOwner(organisationId, customerNumber);
    const accountKey = attemptKey(
      'account',
      organisationId,
      current?.email ? normaliseEmail(current.email) : `#${customerNumber}`,
    );
    const currentHash = current?.password_hash;
    const mustProve = Boolean(currentHash) && !isAdmin(caller);
    let clientKey: string | undefined;
    if (mustProve) {
      if (body.currentPassword === undefined) {
        const message = 'currentPassword is required to change an existing password';
        throw new ValidationDomainException(message, [{ field: 'currentPassword', message }]);
      }
      const now = this.clock.now();
      clientKey = attemptKey('client', organisationId, clientId);
      await this.reserveAttempt(organisationId, clientKey, accountKey, now);
      if (!(await this.hasher.verify(currentHash!, body.currentPassword))) {
        await this.limiter.forgetEndedWindows(organisationId, now);
        throw wrongCurrentPassword();
      }
    }

    const newHash = await this.hasher.hash(body.newPassword);
    await this.dataSource.transaction(async (manager) => {
      // Again under the row lock: the profile may have been deactivated while hashing.
      await this.access.requireForChange(organisationId, customerNumber, 'write', manager);
      await this.profiles.setPasswordHashIfAllowed(
        manager,
        organisationId,
        customerNumber,
        newHash,
        true,
      );
      await this.audit.record(manager, {
        organisationId,
        customerNumber,
        operation: 'PROFILE_PASSWORD_CHANGED',
        fields: ['password'],
        clientId,
        clientName: caller.clientName,
        correlationId: caller.correlationId,
      });
    });
    if (clientKey) {
      await this.limiter.reset(organisationId, accountKey);
      await this.limiter.release(organisationId, clientKey);
    }
  }

  /**
   * Replaces the password with a generated one-time password and returns it: the only time it
   * exists outside the hash. A first password may be generated with customers:write; replacing an
   * existing one needs customers:admin (support staff), since nobody proves the current one. The
   * check and the write are one statement, so a password set meanwhile is never overwritten by a
   * client that could not have replaced it.
   */
  async generatePassword(caller: RequestCaller, customerNumber: number): Promise<string> {
    const { organisationId, clientId } = caller;
    const profile = await this.access.requireForChange(
      organisationId,
      customerNumber,
      'write',
      this.dataSource.manager,
    );
    if (profile.profileType === 'T') {
      throw noPasswordForTemporaryProfiles();
    }
    const password = generatePassword();
    const newHash = await this.hasher.hash(password);
    await this.dataSource.transaction(async (manager) => {
      // Again under the row lock: the profile may have been deactivated while hashing.
      await this.access.requireForChange(organisationId, customerNumber, 'write', manager);
      const written = await this.profiles.setPasswordHashIfAllowed(
        manager,
        organisationId,
        customerNumber,
        newHash,
        isAdmin(caller),
      );
      if (!written) {
        throw replacingNeedsAdmin();
      }
      await this.audit.record(manager, {
        organisationId,
        customerNumber,
        operation: 'PROFILE_PASSWORD_GENERATED',
        fields: ['password'],
        clientId,
        clientName: caller.clientName,
        correlationId: caller.correlationId,
      });
    });
    return password;
  }
}
