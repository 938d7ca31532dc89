import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { Clock } from '../common/clock/clock';
import { RequestCaller } from '../common/http/request-caller';
import {
  ForbiddenDomainException,
  NotFoundDomainException,
  ValidationDomainException,
} from '../common/errors/domain.exception';
import { AppConfig } from '../config/app-config';
import { PasswordHasher } from '../passwords/password-hasher';
import { eraseCustomerTraces } from '../audit/customer-erasure';
import { assertVersion } from '../profiles/if-match';
import { phoneColumnsOf } from '../profiles/profile-phone';
import { ProfileRow } from '../profiles/profile-row';
import { newProfileUuid } from '../profiles/profile-uuid';
import { ProfilesRepository, TemporaryProfileValues } from '../profiles/profiles.repository';
import { ConvertTemporaryProfileDto } from './dto/convert-temporary-profile.dto';
import { CreateTemporaryProfileDto } from './dto/create-temporary-profile.dto';
import { TemporaryProfileFieldsDto } from './dto/temporary-profile-fields.dto';
import { UpdateTemporaryProfileDto } from './dto/update-temporary-profile.dto';
import { dateInZone, endOfDateInZone } from './expiry-instant';
import { IdempotencyService } from '../idempotency/idempotency.service';

/** The contact fields both bodies carry; absent ones are cleared (every field is overwritten). */
function contactColumns(dto: Omit<TemporaryProfileFieldsDto, 'expirationDate'>) {
  // Phone numbers are stored in E.164, whichever way they were written.
  const phone = phoneColumnsOf(dto);
  return {
    email: dto.email ?? null,
    country_code: phone.country_code ?? null,
    telephone_number_no_country_code: phone.telephone_number_no_country_code ?? null,
    telephone_number: phone.telephone_number ?? null,
    landline_number: phone.landline_number ?? null,
    date_of_birth: dto.dateOfBirth ?? null,
    language_preference: dto.languagePreference ?? null,
  };
}

/** Body members that are accepted for compatibility but are not profile fields. */
const NOT_STORED = new Set(['organisationId', 'customerAccountId', 'password']);
const auditedFields = (dto: object) => Object.keys(dto).filter((f) => !NOT_STORED.has(f));

function temporaryValues(dto: TemporaryProfileFieldsDto, expiresAt: Date): TemporaryProfileValues {
  return {
    first_name: dto.firstName ?? null,
    surname: dto.surname ?? null,
    ...contactColumns(dto),
    expiration_date: dto.expirationDate,
    expires_at: expiresAt,
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
    private readonly profiles: ProfilesRepository,
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly hasher: PasswordHasher,
    private readonly auditTrail: AuditService,
    private readonly idempotency: IdempotencyService,
  ) {}

  async create(caller: RequestCaller, dto: CreateTemporaryProfileDto): Promise<ProfileRow> {
    this.assertOwnOrganisation(caller, dto.organisationId);
    const expiresAt = this.expiryInstant(dto.expirationDate);
    const now = this.clock.now();
    return this.idempotency.transaction(async (tx) => {
      const row = await this.profiles.insertTemporary(tx, caller.organisationId, {
        ...temporaryValues(dto, expiresAt),
        uuid: newProfileUuid(),
        created_by: dto.createdBy,
        created_by_channel: dto.createdByChannel,
        now,
      });
      await this.audit(tx, caller, row, 'TEMPORARY_CREATED', auditedFields(dto));
      return row;
    });
  }

  async get(organisationId: number, customerNumber: number): Promise<ProfileRow> {
    const row = await this.profiles.findLiveTemporary(
      organisationId,
      customerNumber,
      this.clock.now(),
    );
    if (!row) {
      throw notFound(customerNumber);
    }
    return row;
  }

  async replace(
    caller: RequestCaller,
    customerNumber: number,
    dto: UpdateTemporaryProfileDto,
    expectedVersion?: number,
  ): Promise<ProfileRow> {
    this.assertOwnOrganisation(caller, dto.organisationId);
    const expiresAt = this.expiryInstant(dto.expirationDate);
    return this.dataSource.transaction(async (tx) => {
      await this.lockLive(tx, caller.organisationId, customerNumber, expectedVersion);
      const row = await this.profiles.replaceTemporary(
        tx,
        caller.organisationId,
        customerNumber,
        temporaryValues(dto, expiresAt),
        {
          changedBy: dto.changedBy,
          changedByChannel: dto.changedByChannel,
          now: this.clock.now(),
        },
      );
      await this.audit(tx, caller, row, 'TEMPORARY_REPLACED', auditedFields(dto));
      return row;
    });
  }

  /**
   * Deletes the profile and everything attached to it at once, for good; with `expectedVersion`
   * (If-Match) only the version read.
   */
  async remove(
    caller: RequestCaller,
    customerNumber: number,
    expectedVersion?: number,
  ): Promise<void> {
    await this.dataSource.transaction(async (tx) => {
      await this.lockLive(tx, caller.organisationId, customerNumber, expectedVersion);
      await this.profiles.deleteTemporary(tx, caller.organisationId, customerNumber);
      await eraseCustomerTraces(
        tx,
        this.auditTrail,
        [{ organisationId: caller.organisationId, customerNumber }],
        'TEMPORARY_DELETED',
        caller.clientId,
      );
    });
  }

  /**
   * Makes the profile permanent (`profileType` S, or P when asked) under the same customer number, keeping what is
   * attached to it (addresses, preferences, consents). The body is a permanent create's: it sets
   * every field, and e-mail uniqueness holds through the database's unique index (409).
   */
  async convert(
    caller: RequestCaller,
    customerNumber: number,
    dto: ConvertTemporaryProfileDto,
    expectedVersion?: number,
  ): Promise<ProfileRow> {
    this.assertOwnOrganisation(caller, dto.organisationId);
    // Hash before taking the row lock: argon2 is deliberately slow.
    const passwordHash = dto.password ? await this.hasher.hash(dto.password) : null;
    return this.dataSource.transaction(async (tx) => {
      await this.lockLive(tx, caller.organisationId, customerNumber, expectedVersion);
      const row = await this.profiles.convertTemporary(
        tx,
        caller.organisationId,
        customerNumber,
        {
          profile_type: dto.profileType ?? 'S',
          customer_ref: dto.customerRef ?? null,
          first_name: dto.firstName,
          surname: dto.surname,
          ...contactColumns(dto),
          vipps_id: dto.vippsId ?? null,
          invoice_organisation_id: dto.invoiceOrganisationId ?? null,
          password_hash: passwordHash,
        },
        { changedBy: dto.createdBy, changedByChannel: dto.createdByChannel, now: this.clock.now() },
      );
      await this.audit(tx, caller, row, 'TEMPORARY_CONVERTED', auditedFields(dto));
      return row;
    });
  }

  /**
   * Locks a live temporary profile of the organisation for a change (expired, foreign or permanent
   * ones are 404) and checks the version read, if one was given.
   */
  private async lockLive(
    manager: EntityManager,
    organisationId: number,
    customerNumber: number,
    expectedVersion: number | undefined,
  ): Promise<void> {
    const locked = await this.profiles.lockLiveTemporary(
      manager,
      organisationId,
      customerNumber,
      this.clock.now(),
    );
    if (!locked) {
      throw notFound(customerNumber);
    }
    assertVersion(expectedVersion, locked.version);
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

  private assertOwnOrganisation(caller: RequestCaller, organisationId: number | undefined): void {
    if (organisationId !== undefined && organisationId !== caller.organisationId) {
      throw new ForbiddenDomainException(
        `organisationId ${organisationId} is not the organisation of the access token`,
      );
    }
  }

  /** Who did what to which customer, with field names only (never values). */
  private async audit(
    tx: EntityManager,
    caller: RequestCaller,
    row: ProfileRow,
    operation: string,
    fields: string[],
  ): Promise<void> {
    await this.auditTrail.record(tx, {
      organisationId: row.organisation_id,
      customerNumber: Number(row.customer_number),
      operation,
      fields,
      clientId: caller.clientId,
      clientName: caller.clientName,
      actor: row.changed_by,
      channel: row.changed_by_channel,
      correlationId: caller.correlationId,
      version: row.version,
    });
  }
}

function notFound(customerNumber: number): NotFoundDomainException {
  return new NotFoundDomainException(`Temporary profile ${customerNumber}`);
}
