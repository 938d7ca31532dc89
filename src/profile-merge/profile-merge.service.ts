import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { Clock } from '../common/clock/clock';
import { RequestCaller } from '../common/http/request-caller';
import {
  ConflictDomainException,
  NotFoundDomainException,
} from '../common/errors/domain.exception';
import { ErrorCode } from '../common/errors/error-codes';
import { assertOwnOrganisation } from '../common/errors/own-organisation';
import { GivenConsentsService } from '../consents/given/given-consents.service';
import { eraseCustomerTraces } from '../audit/customer-erasure';
import {
  ProfileResourcesRepository,
  ResourceKind,
  TransferCount,
} from '../profile-resources/profile-resources.repository';
import { assertVersion } from '../profiles/if-match';
import { DEACTIVATED, DEFAULT_PURGE_DELAY_MS } from '../profiles/profile-lifecycle';
import { changedFields } from '../profiles/profile-columns';
import { ProfileRow } from '../profiles/profile-row';
import { MergeCandidate, ProfilesRepository } from '../profiles/profiles.repository';
import { ConnectTemporaryProfileDto, MergeProfilesDto } from './dto/merge-profiles.dto';
import { columnsFromSource } from './merge-fields';

type Moved = Record<ResourceKind, TransferCount> & { givenConsents: TransferCount };

/** Names of the kinds of data that moved, for the audit row (names only, never values). */
function movedKinds(moved: Moved): string[] {
  return Object.entries(moved)
    .filter(([, count]) => count.moved + count.dropped > 0)
    .map(([kind]) => kind);
}

function mergeFailed(detail: string, errorCode = ErrorCode.MergeFailed): ConflictDomainException {
  return new ConflictDomainException(detail, { errorCode: errorCode });
}

/**
 * Joins two customers of one organisation into one: a temporary profile connected into a
 * permanent one (then deleted for good), or two permanent profiles merged (the other then
 * deactivated). Each runs in one transaction that locks both profiles, lower customer number
 * first, so concurrent joins of the same pair, in either direction, wait instead of deadlocking;
 * a refused join changes nothing.
 */
@Injectable()
export class ProfileMergeService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly profiles: ProfilesRepository,
    private readonly resources: ProfileResourcesRepository,
    private readonly consents: GivenConsentsService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  /**
   * Moves a live temporary profile's given consents, postal addresses and preferences (and any
   * customer account) to a permanent profile, then deletes the temporary profile as expiry does.
   * `expectedVersion` is the temporary profile's (If-Match).
   */
  async connect(
    caller: RequestCaller,
    temporaryNumber: number,
    dto: ConnectTemporaryProfileDto,
    expectedVersion?: number,
  ): Promise<ProfileRow> {
    assertOwnOrganisation(caller.organisationId, dto.organisationId);
    const targetNumber = dto.customerNumber;
    const now = this.clock.now();
    return this.dataSource.transaction(async (tx) => {
      const locked = await this.profiles.lockForMerge(tx, caller.organisationId, [
        temporaryNumber,
        targetNumber,
      ]);
      const temporary = locked.get(temporaryNumber);
      if (!temporary || temporary.profile_type !== 'T' || !this.live(temporary, now)) {
        throw new NotFoundDomainException(`Temporary profile ${temporaryNumber}`);
      }
      assertVersion(expectedVersion, temporary.version);
      const target = locked.get(targetNumber);
      if (!target || !this.live(target, now)) {
        throw new NotFoundDomainException(`Profile ${targetNumber}`);
      }
      if (target.profile_type === 'T') {
        throw mergeFailed(
          `Profile ${targetNumber} is a temporary profile: a temporary profile is connected into a permanent one (convert it first)`,
        );
      }
      if (target.status === DEACTIVATED) {
        throw mergeFailed(
          `Profile ${targetNumber} is deactivated and waits for its purge: restore it before connecting a profile into it`,
        );
      }
      const moved = await this.moveEverything(tx, caller, temporaryNumber, targetNumber, dto);
      const updated = await this.profiles.update(
        tx,
        caller.organisationId,
        targetNumber,
        {},
        { changedBy: dto.changedBy, changedByChannel: dto.changedByChannel, now },
      );
      await this.profiles.deleteTemporary(tx, caller.organisationId, temporaryNumber);
      await eraseCustomerTraces(
        tx,
        this.audit,
        [{ organisationId: caller.organisationId, customerNumber: temporaryNumber }],
        'TEMPORARY_CONNECTED',
        caller.clientId,
      );
      await this.record(tx, caller, targetNumber, 'PROFILE_CONNECTED', movedKinds(moved), dto);
      return updated!.row;
    });
  }

  /**
   * Merges the source into the survivor: its sub-resources and given consents move, the
   * survivor's fields win and its empty ones take the source's values (password hash included),
   * and the source is deactivated with the purge delay of DELETE. `expectedVersion` is the
   * survivor's (If-Match).
   */
  async merge(
    caller: RequestCaller,
    survivorNumber: number,
    dto: MergeProfilesDto,
    expectedVersion?: number,
  ): Promise<ProfileRow> {
    assertOwnOrganisation(caller.organisationId, dto.organisationId);
    const sourceNumber = dto.customerNumber;
    const now = this.clock.now();
    const meta = { changedBy: dto.changedBy, changedByChannel: dto.changedByChannel, now };
    return this.dataSource.transaction(async (tx) => {
      const organisationId = caller.organisationId;
      const locked = await this.profiles.lockForMerge(tx, organisationId, [
        survivorNumber,
        sourceNumber,
      ]);
      const survivor = locked.get(survivorNumber);
      if (!survivor || survivor.profile_type === 'T') {
        throw new NotFoundDomainException(`Profile ${survivorNumber}`);
      }
      assertVersion(expectedVersion, survivor.version);
      if (sourceNumber === survivorNumber) {
        throw mergeFailed(`Profile ${survivorNumber} cannot be merged with itself`);
      }
      const source = locked.get(sourceNumber);
      if (!source || !this.live(source, now)) {
        throw new NotFoundDomainException(`Profile ${sourceNumber}`);
      }
      this.assertMergeable(survivor, source);

      const taken = columnsFromSource(this.side(survivor), this.side(source));
      if (
        taken.customer_ref !== undefined &&
        (await this.profiles.customerRefTaken(
          tx,
          organisationId,
          sourceNumber.toString(),
          sourceNumber,
        ))
      ) {
        // The source could not fall back to its own number as customerRef: the survivor keeps its own.
        delete taken.customer_ref;
      }
      const takesPassword = !survivor.has_password && source.has_password;
      const moved = await this.moveEverything(tx, caller, sourceNumber, survivorNumber, dto);
      if (takesPassword) {
        await this.profiles.adoptPasswordHash(tx, organisationId, survivorNumber, sourceNumber);
      }
      // The source lets go of its unique e-mail and customerRef before the survivor takes them.
      await this.profiles.deactivateMergedSource(
        tx,
        organisationId,
        sourceNumber,
        {
          email: taken.email !== undefined,
          customerRef: taken.customer_ref !== undefined,
          passwordHash: takesPassword,
        },
        { ...meta, purgeAt: new Date(now.getTime() + DEFAULT_PURGE_DELAY_MS) },
      );
      const { row, previous } = (await this.profiles.update(
        tx,
        organisationId,
        survivorNumber,
        taken,
        meta,
      ))!;
      const fields = [
        ...changedFields(previous, row as unknown as Record<string, unknown>),
        ...(takesPassword ? ['password'] : []),
        ...movedKinds(moved),
      ];
      await this.record(tx, caller, survivorNumber, 'PROFILE_MERGED', fields, dto);
      const released = [
        ...(taken.customer_ref !== undefined ? ['customerRef'] : []),
        ...(takesPassword ? ['password'] : []),
      ];
      await this.record(
        tx,
        caller,
        sourceNumber,
        'PROFILE_MERGED_AWAY',
        ['status', 'email', 'emailOld', 'purgeAt', ...released, ...movedKinds(moved)],
        dto,
      );
      return row;
    });
  }

  /** Why two live permanent profiles cannot be merged, if they cannot. */
  private assertMergeable(survivor: MergeCandidate, source: MergeCandidate): void {
    const n = Number(source.customer_number);
    if (source.profile_type === 'T') {
      throw mergeFailed(
        `Profile ${n} is a temporary profile: connect it with POST /customers/v2/profiles/temporary/${n}/connect`,
      );
    }
    for (const side of [survivor, source]) {
      if (side.status === DEACTIVATED) {
        throw mergeFailed(
          `Profile ${side.customer_number} is deactivated and waits for its purge: restore it before merging`,
        );
      }
    }
    if (source.profile_type === 'P') {
      throw mergeFailed(
        `Profile ${n} is a personnel-ticket customer (profileType P) and cannot be merged away; merge the other profile into it instead`,
        ErrorCode.PersonnelTicketCustomer,
      );
    }
  }

  /** The source's sub-resources and given consents to the survivor, in the transaction. */
  private async moveEverything(
    tx: EntityManager,
    caller: RequestCaller,
    from: number,
    to: number,
    by: { changedBy: string; changedByChannel: string },
  ): Promise<Moved> {
    const given = await this.consents.transferAll(tx, caller, from, to, by);
    const resources = await this.resources.transferAll(
      tx,
      caller.organisationId,
      from,
      to,
      this.clock.now(),
    );
    return { ...resources, givenConsents: { moved: given.moved, dropped: given.combined } };
  }

  /** Permanent profiles are live until purged; temporary ones until their last day ends. */
  private live(profile: MergeCandidate, now: Date): boolean {
    return (
      profile.profile_type !== 'T' || (profile.expires_at !== null && profile.expires_at > now)
    );
  }

  private side(profile: MergeCandidate) {
    return { customerNumber: Number(profile.customer_number), columns: profile.columns };
  }

  private record(
    tx: EntityManager,
    caller: RequestCaller,
    customerNumber: number,
    operation: string,
    fields: string[],
    dto: { changedBy: string; changedByChannel: string },
  ): Promise<void> {
    return this.audit.record(tx, {
      organisationId: caller.organisationId,
      customerNumber,
      operation,
      fields,
      clientId: caller.clientId,
      clientName: caller.clientName,
      actor: dto.changedBy,
      channel: dto.changedByChannel,
      correlationId: caller.correlationId,
    });
  }
}
