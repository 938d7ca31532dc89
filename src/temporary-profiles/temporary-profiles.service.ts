import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, MoreThan } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { Clock } from '../common/clock/clock';
import {
  ForbiddenDomainException,
  NotFoundDomainException,
  ValidationDomainException,
} from '../common/errors/domain.exception';
import { AppConfig } from '../config/app-config';
import { PasswordHasher } from '../passwords/password-hasher';
import { eraseCustomerTraces } from '../audit/customer-erasure';
import { Profile } from '../profiles/profile.entity';
import { assertVersion } from '../profiles/if-match';
import { phoneColumnsOf } from '../profiles/profile-phone';
import { newProfileUuid } from '../profiles/profile-uuid';
import { ProfileChangeContext } from '../profiles/profiles.service';
import { ConvertTemporaryProfileDto } from './dto/convert-temporary-profile.dto';
import { CreateTemporaryProfileDto } from './dto/create-temporary-profile.dto';
import { TemporaryProfileFieldsDto } from './dto/temporary-profile-fields.dto';
import { UpdateTemporaryProfileDto } from './dto/update-temporary-profile.dto';
import { dateInZone, endOfDateInZone } from './expiry-instant';
import { IdempotencyService } from '../idempotency/idempotency.service';

/** The contact fields both bodies carry; absent ones are cleared (every field is overwritten). */
function contactFields(dto: Omit<TemporaryProfileFieldsDto, 'expirationDate'>): Partial<Profile> {
  // Phone numbers are stored in E.164, whichever way they were written.
  const phone = phoneColumnsOf(dto);
  return {
    email: dto.email ?? null,
    countryCode: phone.country_code ?? null,
    telephoneNumberNoCountryCode: phone.telephone_number_no_country_code ?? null,
    telephoneNumber: phone.telephone_number ?? null,
    landlineNumber: phone.landline_number ?? null,
    dateOfBirth: dto.dateOfBirth ?? null,
    languagePreference: dto.languagePreference ?? null,
  };
}

/** Body members that are accepted for compatibility but are not profile fields. */
const NOT_STORED = new Set(['organisationId', 'customerAccountId', 'password']);
const auditedFields = (dto: object) => Object.keys(dto).filter((f) => !NOT_STORED.has(f));

function temporaryFields(dto: TemporaryProfileFieldsDto, expiresAt: Date): Partial<Profile> {
  return {
    firstName: dto.firstName ?? null,
    surname: dto.surname ?? null,
    ...contactFields(dto),
    expirationDate: dto.expirationDate,
    expiresAt,
  };
}

/**
 * Temporary profiles (`profileType` T): profiles with a last day. From the first instant after
 * `expirationDate` ends in the service time zone every operation here treats the profile as absent,
 * whether or not the expiry job has deleted it yet.
 */
@Injectable()
export class TemporaryProfilesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly hasher: PasswordHasher,
    private readonly auditTrail: AuditService,
    private readonly idempotency: IdempotencyService,
  ) {}

  async create(auth: ProfileChangeContext, dto: CreateTemporaryProfileDto): Promise<Profile> {
    this.assertOwnOrganisation(auth, dto.organisationId);
    const expiresAt = this.expiryInstant(dto.expirationDate);
    const now = this.clock.now();
    return this.idempotency.transaction(async (tx) => {
      const [{ n }]: { n: string }[] = await tx.query(
        `SELECT nextval('customer_number_seq')::text AS n`,
      );
      const profile = tx.create(Profile, {
        ...temporaryFields(dto, expiresAt),
        organisationId: auth.organisationId,
        customerNumber: Number(n),
        uuid: newProfileUuid(),
        customerRef: n,
        profileType: 'T',
        status: 'A',
        version: 1,
        createdAt: now,
        createdBy: dto.createdBy,
        createdByChannel: dto.createdByChannel,
        changedAt: now,
        changedBy: dto.createdBy,
        changedByChannel: dto.createdByChannel,
      });
      await tx.insert(Profile, profile);
      await this.audit(tx, auth, profile, 'TEMPORARY_CREATED', auditedFields(dto));
      return profile;
    });
  }

  async get(organisationId: number, customerNumber: number): Promise<Profile> {
    return this.findLive(this.dataSource.manager, organisationId, customerNumber, false);
  }

  async replace(
    auth: ProfileChangeContext,
    customerNumber: number,
    dto: UpdateTemporaryProfileDto,
    expectedVersion?: number,
  ): Promise<Profile> {
    this.assertOwnOrganisation(auth, dto.organisationId);
    const expiresAt = this.expiryInstant(dto.expirationDate);
    return this.dataSource.transaction(async (tx) => {
      const current = await this.findLive(tx, auth.organisationId, customerNumber, true);
      assertVersion(expectedVersion, current.version);
      const changes: Partial<Profile> = {
        ...temporaryFields(dto, expiresAt),
        version: current.version + 1,
        changedAt: this.clock.now(),
        changedBy: dto.changedBy,
        changedByChannel: dto.changedByChannel,
      };
      await tx.update(Profile, { organisationId: auth.organisationId, customerNumber }, changes);
      const updated = Object.assign(current, changes);
      await this.audit(tx, auth, updated, 'TEMPORARY_REPLACED', auditedFields(dto));
      return updated;
    });
  }

  /**
   * Deletes the profile and everything attached to it at once, for good; with `expectedVersion`
   * (If-Match) only the version read.
   */
  async remove(
    auth: ProfileChangeContext,
    customerNumber: number,
    expectedVersion?: number,
  ): Promise<void> {
    await this.dataSource.transaction(async (tx) => {
      const current = await this.findLive(tx, auth.organisationId, customerNumber, true);
      assertVersion(expectedVersion, current.version);
      await tx.query(
        `DELETE FROM profiles
          WHERE organisation_id = $1 AND customer_number = $2 AND profile_type = 'T'`,
        [auth.organisationId, customerNumber],
      );
      await eraseCustomerTraces(
        tx,
        this.auditTrail,
        [{ organisationId: auth.organisationId, customerNumber }],
        'TEMPORARY_DELETED',
        auth.clientId,
      );
    });
  }

  /**
   * Makes the profile permanent (`profileType` S, or P when asked) under the same customer number, keeping what is
   * attached to it (addresses, preferences, consents). The body is a permanent create's: it sets
   * every field, and e-mail uniqueness holds through the database's unique index (409).
   */
  async convert(
    auth: ProfileChangeContext,
    customerNumber: number,
    dto: ConvertTemporaryProfileDto,
    expectedVersion?: number,
  ): Promise<Profile> {
    this.assertOwnOrganisation(auth, dto.organisationId);
    // Hash before taking the row lock: argon2 is deliberately slow.
    const passwordHash = dto.password ? await this.hasher.hash(dto.password) : null;
    return this.dataSource.transaction(async (tx) => {
      const current = await this.findLive(tx, auth.organisationId, customerNumber, true);
      assertVersion(expectedVersion, current.version);
      const changes: Partial<Profile> = {
        profileType: dto.profileType ?? 'S',
        status: 'A',
        customerRef: dto.customerRef ?? current.customerRef,
        firstName: dto.firstName,
        surname: dto.surname,
        ...contactFields(dto),
        vippsId: dto.vippsId ?? null,
        invoiceOrganisationId: dto.invoiceOrganisationId ?? null,
        passwordHash,
        expirationDate: null,
        expiresAt: null,
        version: current.version + 1,
        changedAt: this.clock.now(),
        changedBy: dto.createdBy,
        changedByChannel: dto.createdByChannel,
      };
      await tx.update(Profile, { organisationId: auth.organisationId, customerNumber }, changes);
      const converted = Object.assign(current, changes);
      await this.audit(tx, auth, converted, 'TEMPORARY_CONVERTED', auditedFields(dto));
      return converted;
    });
  }

  /** A live temporary profile of the organisation; expired, foreign or permanent ones are 404. */
  private async findLive(
    manager: EntityManager,
    organisationId: number,
    customerNumber: number,
    forUpdate: boolean,
  ): Promise<Profile> {
    const profile = await manager.findOne(Profile, {
      where: {
        organisationId,
        customerNumber,
        profileType: 'T',
        expiresAt: MoreThan(this.clock.now()),
      },
      ...(forUpdate ? { lock: { mode: 'pessimistic_write' as const } } : {}),
    });
    if (!profile) {
      throw new NotFoundDomainException(`Temporary profile ${customerNumber}`);
    }
    return profile;
  }

  /** The instant the profile disappears; the date may be today but not earlier (in TIME_ZONE). */
  private expiryInstant(expirationDate: string): Date {
    const today = dateInZone(this.clock.now(), this.config.timeZone);
    if (expirationDate < today) {
      const message = `expirationDate must not be in the past (today is ${today} in ${this.config.timeZone})`;
      throw new ValidationDomainException(message, [{ field: 'expirationDate', message }]);
    }
    return endOfDateInZone(expirationDate, this.config.timeZone);
  }

  private assertOwnOrganisation(
    auth: ProfileChangeContext,
    organisationId: number | undefined,
  ): void {
    if (organisationId !== undefined && organisationId !== auth.organisationId) {
      throw new ForbiddenDomainException(
        `organisationId ${organisationId} is not the organisation of the access token`,
      );
    }
  }

  /** Who did what to which customer, with field names only (never values). */
  private async audit(
    tx: EntityManager,
    auth: ProfileChangeContext,
    profile: Profile,
    operation: string,
    fields: string[],
  ): Promise<void> {
    await this.auditTrail.record(tx, {
      organisationId: profile.organisationId,
      customerNumber: profile.customerNumber,
      operation,
      fields,
      clientId: auth.clientId,
      clientName: auth.clientName,
      actor: profile.changedBy,
      channel: profile.changedByChannel,
      correlationId: auth.correlationId,
      version: profile.version,
    });
  }
}
