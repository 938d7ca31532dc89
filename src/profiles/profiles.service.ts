import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { Clock } from '../common/clock/clock';
import { RequestCaller } from '../common/http/request-caller';
import {
  ConflictDomainException,
  NotFoundDomainException,
  ValidationDomainException,
} from '../common/errors/domain.exception';
import { ErrorCode } from '../common/errors/error-codes';
import { AppConfig } from '../config/app-config';
import { PasswordHasher } from '../passwords/password-hasher';
import { CreateProfileDto } from './dto/create-profile.dto';
import { PatchProfileDto } from './dto/patch-profile.dto';
import { UpdateProfileDto } from './dto/update-profile.dto';
import {
  assertLifecycleAllows,
  assertMayDeactivate,
  DEACTIVATED,
  DEFAULT_PURGE_DELAY_MS,
} from './profile-lifecycle';
import { assertVersion } from './if-match';
import {
  changedFields,
  EDITABLE_FIELDS,
  ProfileColumnValues,
  ProfileEditableField,
  toColumnValues,
} from './profile-columns';
import { mergePhonePatch, patchTouchesPhone, phoneColumnsOf } from './profile-phone';
import { assertOwnOrganisation } from '../common/errors/own-organisation';
import { ProfileRow } from './profile-row';
import { ProfileSearchCriteria, resolveProfileSearch } from './profile-search';
import { newProfileUuid } from './profile-uuid';
import { ProfilesRepository } from './profiles.repository';
import { IdempotencyService } from '../idempotency/idempotency.service';

/** Permanent profiles: create, look up, search, replace, merge-patch and deactivate. */
@Injectable()
export class ProfilesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly profiles: ProfilesRepository,
    private readonly audit: AuditService,
    private readonly hasher: PasswordHasher,
    private readonly clock: Clock,
    private readonly config: AppConfig,
    private readonly idempotency: IdempotencyService,
  ) {}

  async create(caller: RequestCaller, dto: CreateProfileDto): Promise<ProfileRow> {
    assertOwnOrganisation(caller.organisationId, dto.organisationId);
    const values = { ...toColumnValues(dto), ...phoneColumnsOf(dto) };
    // Hash before the transaction: argon2 is slow and must not hold a database connection.
    const passwordHash = dto.password ? await this.hasher.hash(dto.password) : null;
    return this.idempotency.transaction(async (manager) => {
      const row = await this.profiles.insert(manager, caller.organisationId, {
        ...values,
        uuid: newProfileUuid(),
        password_hash: passwordHash,
        created_by: dto.createdBy,
        created_by_channel: dto.createdByChannel,
        now: this.clock.now(),
      });
      const fields = [
        ...EDITABLE_FIELDS.filter((f) => dto[f] !== undefined),
        ...(passwordHash ? ['password'] : []),
      ];
      await this.record(
        manager,
        caller,
        row,
        'PROFILE_CREATED',
        fields,
        dto.createdBy,
        dto.createdByChannel,
      );
      return row;
    });
  }

  async get(organisationId: number, customerNumber: number): Promise<ProfileRow> {
    const row = await this.profiles.findPermanent(organisationId, customerNumber);
    if (!row) {
      throw new NotFoundDomainException(`Profile ${customerNumber}`);
    }
    return row;
  }

  async getByCustomerRef(organisationId: number, customerRef: string): Promise<ProfileRow> {
    const row = await this.profiles.findPermanentByCustomerRef(organisationId, customerRef);
    if (!row) {
      throw new NotFoundDomainException('A profile with this customerRef');
    }
    return row;
  }

  async getByCustomerAccount(organisationId: number, accountId: string): Promise<ProfileRow> {
    const row = await this.profiles.findPermanentByCustomerAccount(organisationId, accountId);
    if (!row) {
      throw new NotFoundDomainException('A profile with this customer account');
    }
    return row;
  }

  async search(organisationId: number, criteria: ProfileSearchCriteria): Promise<ProfileRow[]> {
    const search = resolveProfileSearch(organisationId, criteria, this.clock.now());
    if (!search) {
      return [];
    }
    return criteria.consistency === 'eventual'
      ? this.profiles.searchLagTolerant(search)
      : this.profiles.search(search);
  }

  /**
   * PUT: every editable field is set; one left out is cleared (customerRef and profileType keep
   * their values).
   */
  async replace(
    caller: RequestCaller,
    customerNumber: number,
    dto: UpdateProfileDto,
    expectedVersion?: number,
  ): Promise<ProfileRow> {
    assertOwnOrganisation(caller.organisationId, dto.organisationId);
    const body: Partial<Record<ProfileEditableField, string | null>> = {};
    for (const field of EDITABLE_FIELDS) {
      body[field] = dto[field] ?? null;
    }
    if (dto.customerRef === undefined) {
      delete body.customerRef;
    }
    if (dto.profileType === undefined) {
      delete body.profileType;
    }
    const changes = { ...toColumnValues(body), ...phoneColumnsOf(dto) };
    return this.update(
      caller,
      customerNumber,
      () => Promise.resolve(changes),
      dto,
      'PROFILE_REPLACED',
      expectedVersion,
    );
  }

  /** PATCH (JSON Merge Patch): only the members present change; null clears. */
  async patch(
    caller: RequestCaller,
    customerNumber: number,
    dto: PatchProfileDto,
    expectedVersion?: number,
  ): Promise<ProfileRow> {
    assertOwnOrganisation(caller.organisationId, dto.organisationId);
    const changes = toColumnValues(dto);
    // Phone fields are merged with the stored ones and normalised as one number.
    const changesFor = async (manager: EntityManager) => {
      if (!patchTouchesPhone(dto)) {
        return changes;
      }
      const stored = await this.profiles.lockPhoneColumns(
        manager,
        caller.organisationId,
        customerNumber,
      );
      return stored ? { ...changes, ...mergePhonePatch(dto, stored) } : changes;
    };
    return this.update(caller, customerNumber, changesFor, dto, 'PROFILE_UPDATED', expectedVersion);
  }

  async deactivate(
    caller: RequestCaller,
    customerNumber: number,
    options: { expirationDate?: string; changedBy?: string; changedByChannel?: string },
    expectedVersion?: number,
  ): Promise<ProfileRow> {
    const now = this.clock.now();
    const changedBy = options.changedBy ?? caller.clientId.slice(0, 100);
    const changedByChannel = options.changedByChannel ?? 'api';
    return this.dataSource.transaction(async (manager) => {
      const purgeAt = await this.purgeTime(manager, options.expirationDate, now);
      const row = await this.profiles.deactivate(
        manager,
        caller.organisationId,
        customerNumber,
        { purgeAt, changedBy, changedByChannel, now },
        expectedVersion,
      );
      if (!row) {
        await this.explainMiss(
          manager,
          caller.organisationId,
          customerNumber,
          expectedVersion,
          true,
        );
      }
      await this.record(
        manager,
        caller,
        row!,
        'PROFILE_DEACTIVATED',
        ['status', 'email', 'emailOld', 'purgeAt'],
        changedBy,
        changedByChannel,
      );
      return row!;
    });
  }

  /**
   * Brings a deactivated profile back before its purge: active again, its e-mail back unless
   * another profile took it meanwhile (409, errorCode 602). Nothing else changed while it waited,
   * since a deactivated profile takes no writes.
   */
  async restore(
    caller: RequestCaller,
    customerNumber: number,
    expectedVersion?: number,
  ): Promise<ProfileRow> {
    const now = this.clock.now();
    const changedBy = caller.clientId.slice(0, 100);
    const changedByChannel = 'api';
    return this.dataSource.transaction(async (manager) => {
      const state = await this.profiles.lockForRestore(
        manager,
        caller.organisationId,
        customerNumber,
      );
      if (!state) {
        throw new NotFoundDomainException(`Profile ${customerNumber}`);
      }
      assertVersion(expectedVersion, state.version);
      if (state.status === 'A') {
        throw new ConflictDomainException(`Profile ${customerNumber} is already active`, {
          errorCode: ErrorCode.AlreadyActive,
        });
      }
      if (state.status !== DEACTIVATED || (state.purge_at && state.purge_at <= now)) {
        throw new ConflictDomainException(
          state.status !== DEACTIVATED
            ? `Profile ${customerNumber} is not deactivated (status ${state.status}) and cannot be restored`
            : `Profile ${customerNumber} has reached its purge time and cannot be restored`,
          { errorCode: ErrorCode.CannotRestore },
        );
      }
      if (
        state.email_old &&
        (await this.profiles.emailTaken(
          manager,
          caller.organisationId,
          state.email_old,
          customerNumber,
        ))
      ) {
        throw new ConflictDomainException(
          `Profile ${customerNumber} cannot be restored: another profile of the organisation has registered its e-mail meanwhile`,
          {
            errorCode: ErrorCode.EmailExists,
            errors: [
              {
                field: 'email',
                message: 'registered by another profile',
                errorCode: ErrorCode.EmailExists,
              },
            ],
          },
        );
      }
      const row = await this.profiles.restore(manager, caller.organisationId, customerNumber, {
        changedBy,
        changedByChannel,
        now,
      });
      await this.record(
        manager,
        caller,
        row,
        'PROFILE_RESTORED',
        ['status', 'email', 'emailOld', 'purgeAt'],
        changedBy,
        changedByChannel,
      );
      return row;
    });
  }

  private async update(
    caller: RequestCaller,
    customerNumber: number,
    changesFor: (manager: EntityManager) => Promise<ProfileColumnValues>,
    meta: { changedBy: string; changedByChannel: string },
    operation: string,
    expectedVersion: number | undefined,
  ): Promise<ProfileRow> {
    return this.dataSource.transaction(async (manager) => {
      const changes = await changesFor(manager);
      const updated = await this.profiles.update(
        manager,
        caller.organisationId,
        customerNumber,
        changes,
        {
          changedBy: meta.changedBy,
          changedByChannel: meta.changedByChannel,
          now: this.clock.now(),
        },
        expectedVersion,
      );
      if (!updated) {
        await this.explainMiss(
          manager,
          caller.organisationId,
          customerNumber,
          expectedVersion,
          false,
        );
      }
      const { row, previous } = updated!;
      const after = row as unknown as Record<string, unknown>;
      await this.record(
        manager,
        caller,
        row,
        operation,
        changedFields(previous, after),
        meta.changedBy,
        meta.changedByChannel,
      );
      return row;
    });
  }

  /**
   * Why a conditional write matched nothing: 404, 412 (stale version), 409 with errorCode 625
   * (deactivated) or, for a deactivation, 621 (personnel-ticket customer).
   */
  private async explainMiss(
    manager: EntityManager,
    organisationId: number,
    customerNumber: number,
    expectedVersion: number | undefined,
    deactivating: boolean,
  ): Promise<never> {
    const state = await this.profiles.state(manager, organisationId, customerNumber);
    if (!state) {
      throw new NotFoundDomainException(`Profile ${customerNumber}`);
    }
    assertVersion(expectedVersion, state.version);
    if (deactivating) {
      assertMayDeactivate({ customerNumber, profileType: state.profile_type });
    } else {
      assertLifecycleAllows({ customerNumber, status: state.status }, 'write');
    }
    throw new ConflictDomainException(
      'A concurrent change conflicted with this one; retry the request',
    );
  }

  /** The end of a date-only expirationDate in TIME_ZONE, a date-time as given, or now + 72 h. */
  private async purgeTime(
    manager: EntityManager,
    expirationDate: string | undefined,
    now: Date,
  ): Promise<Date> {
    if (expirationDate === undefined) {
      return new Date(now.getTime() + DEFAULT_PURGE_DELAY_MS);
    }
    const purgeAt = /^\d{4}-\d{2}-\d{2}$/.test(expirationDate)
      ? await this.profiles.purgeTimeOfDate(manager, expirationDate, this.config.timeZone)
      : new Date(expirationDate);
    if (Number.isNaN(purgeAt.getTime()) || purgeAt.getTime() < now.getTime()) {
      const message = 'expirationDate must be a date or date-time that is not in the past';
      throw new ValidationDomainException(message, [{ field: 'expirationDate', message }]);
    }
    return purgeAt;
  }

  private record(
    manager: EntityManager,
    caller: RequestCaller,
    row: ProfileRow,
    operation: string,
    fields: string[],
    actor: string,
    channel: string,
  ): Promise<void> {
    return this.audit.record(manager, {
      organisationId: caller.organisationId,
      customerNumber: Number(row.customer_number),
      operation,
      fields,
      clientId: caller.clientId,
      clientName: caller.clientName,
      actor,
      channel,
      correlationId: caller.correlationId,
      version: row.version,
    });
  }
}
