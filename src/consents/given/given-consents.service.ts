import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Clock } from '../../common/clock/clock';
import {
  ConflictDomainException,
  NotFoundDomainException,
} from '../../common/errors/domain.exception';
import { Page } from '../../common/http/page-query.dto';
import { RequestCaller } from '../../common/http/request-caller';
import { ChangeOperation, EVENT_TYPES } from '../../events/change-event';
import { EventsRepository } from '../../events/events.repository';
import { IdempotencyService } from '../../idempotency/idempotency.service';
import { ProfileAccessService } from '../../profiles/profile-access.service';
import { consentIntent } from '../../profiles/profile-lifecycle';
import {
  ChangedBy,
  Consent,
  GivenConsent,
  GivenConsentChange,
  GivenConsentEvent,
  GivenConsentHistoryEntry,
  GivenConsentWithConsent,
  isConsentActive,
  NewGivenConsent,
} from '../consent.model';
import { ConsentsService } from '../consents.service';
import { GivenConsentHistoryRepository } from './given-consent-history.repository';
import { GivenConsentsRepository } from './given-consents.repository';

/** What a customer's answer holds; a change event names those that changed. */
const GIVEN_FIELDS = [
  'consentChoice',
  'distributionChannel',
  'expirationDate',
  'email',
  'countryCode',
  'telephoneNumber',
] as const;

/**
 * The answers customers give to their organisation's consents, one per customer and consent, each
 * with an append-only history. A change writes the record, its history entry and its outbox event
 * in one transaction. The v2 routes, the legacy v1 adapter, the bulk import, the merge and the
 * access export all go through here.
 */
@Injectable()
export class GivenConsentsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly given: GivenConsentsRepository,
    private readonly history: GivenConsentHistoryRepository,
    private readonly consents: ConsentsService,
    private readonly profileAccess: ProfileAccessService,
    private readonly clock: Clock,
    private readonly idempotency: IdempotencyService,
    private readonly events: EventsRepository,
  ) {}

  async give(
    caller: RequestCaller,
    input: NewGivenConsent,
    by: ChangedBy,
  ): Promise<GivenConsentWithConsent> {
    const { organisationId } = caller;
    return this.idempotency.transaction(async (manager) => {
      await this.profileAccess.requireForChange(
        organisationId,
        input.customerNumber,
        consentIntent(input.consentChoice, input.consentChoice),
        manager,
      );
      const given = await this.insertFirstAnswer(
        manager,
        caller,
        input,
        by,
        (existing) =>
          `Customer ${input.customerNumber} has already answered consent ${input.consentId} (given consent ${existing.id}); change that one`,
      );
      // In the create's transaction: with an Idempotency-Key it holds the only embedded connection.
      const [withConsent] = await this.withConsents(organisationId, [given], manager);
      return withConsent;
    });
  }

  /**
   * Records the answer of a customer created in the transaction of `manager` (the bulk import):
   * same rules as `give` (the consent must exist and be active, one answer per consent), no access
   * check since the profile is new in the same transaction.
   */
  async giveWithin(
    manager: EntityManager,
    caller: Pick<RequestCaller, 'organisationId' | 'clientId'>,
    input: NewGivenConsent,
    by: ChangedBy,
  ): Promise<void> {
    await this.insertFirstAnswer(
      manager,
      caller,
      input,
      by,
      () => `Consent ${input.consentId} is answered twice for the same customer`,
    );
  }

  /** The given consent now, or (with `at`) as it stood at that moment: 404 before it existed. */
  async get(caller: RequestCaller, id: number, at?: Date): Promise<GivenConsent> {
    const { organisationId } = caller;
    const manager = this.dataSource.manager;
    const given = await this.requireGiven(manager, organisationId, id);
    if (!at) {
      return given;
    }
    const entry = await this.history.findAt(organisationId, id, at, manager);
    if (!entry) {
      throw new NotFoundDomainException(`Given consent ${id} at ${at.toISOString()}`);
    }
    return {
      ...given,
      revision: entry.revision,
      consentChoice: entry.consentChoice,
      distributionChannel: entry.distributionChannel,
      expirationDate: entry.expirationDate,
      changedAt: entry.recordedAt,
      changedBy: entry.changedBy,
      changedByChannel: entry.changedByChannel,
    };
  }

  async listOfCustomer(
    caller: RequestCaller,
    customerNumber: number,
    page?: Page,
  ): Promise<GivenConsent[]> {
    const { organisationId } = caller;
    const manager = this.dataSource.manager;
    await this.profileAccess.require(organisationId, customerNumber, manager);
    return this.given.listOfCustomer(organisationId, customerNumber, page, manager);
  }

  async change(
    caller: RequestCaller,
    id: number,
    change: GivenConsentChange,
    by: ChangedBy,
  ): Promise<GivenConsent> {
    const { organisationId } = caller;
    return this.dataSource.transaction(async (manager) => {
      const given = await this.requireGiven(manager, organisationId, id, true);
      const resultingChoice = change.consentChoice ?? given.consentChoice;
      await this.profileAccess.requireForChange(
        organisationId,
        given.customerNumber,
        consentIntent(change.consentChoice, resultingChoice),
        manager,
      );
      return this.applyChange(manager, caller, given, change, by);
    });
  }

  /** A withdrawal is a change of the choice to false, recorded as WITHDRAWN; the record stays. */
  withdraw(caller: RequestCaller, id: number, by: ChangedBy): Promise<GivenConsent> {
    return this.change(caller, id, { consentChoice: false }, by);
  }

  async historyOf(caller: RequestCaller, id: number): Promise<GivenConsentHistoryEntry[]> {
    const { organisationId } = caller;
    const manager = this.dataSource.manager;
    await this.requireGiven(manager, organisationId, id);
    return this.history.list(organisationId, id, manager);
  }

  /**
   * The legacy model: one choice per customer and consent code. Sets the customer's answer to the
   * organisation's current consent for that code, creating the given consent if needed.
   */
  async setChoiceForCode(
    caller: RequestCaller,
    customerNumber: number,
    consentCode: string,
    consentChoice: boolean,
    by: ChangedBy,
  ): Promise<GivenConsent> {
    const { organisationId } = caller;
    return this.dataSource.transaction(async (manager) => {
      await this.profileAccess.requireForChange(
        organisationId,
        customerNumber,
        consentIntent(consentChoice, consentChoice),
        manager,
      );
      const consent = await this.consents.currentForCode(organisationId, consentCode, manager);
      if (!consent) {
        throw new NotFoundDomainException(`Consent ${consentCode}`);
      }
      const existing = await this.given.findOfCustomerForUpdate(
        organisationId,
        customerNumber,
        consent.id,
        manager,
      );
      if (existing) {
        return this.applyChange(manager, caller, existing, { consentChoice }, by);
      }
      const channel = by.changedByChannel ?? 'unknown';
      return this.insert(
        manager,
        caller,
        consent,
        { customerNumber, consentId: consent.id, consentChoice, distributionChannel: channel },
        by,
      );
    });
  }

  /** Per consent code, the customer's most recent choice (whichever consent version holds it). */
  async latestChoicesByCode(
    caller: RequestCaller,
    customerNumber: number,
  ): Promise<GivenConsent[]> {
    const all = await this.listOfCustomer(caller, customerNumber);
    const byCode = new Map<string, GivenConsent>();
    for (const given of all) {
      const seen = byCode.get(given.consentCode);
      if (!seen || given.changedAt > seen.changedAt) {
        byCode.set(given.consentCode, given);
      }
    }
    return [...byCode.values()].sort((a, b) => a.consentCode.localeCompare(b.consentCode));
  }

  /**
   * Moves a customer's given consents to another customer of the organisation, in the caller's
   * transaction (which holds both profiles' locks). A record moves with its history untouched.
   * Where both answered the same consent, the more recent choice wins: when it is the moved
   * customer's, the survivor's record takes it as a new revision of its own history (by `by`);
   * the moved customer's record of that consent is then deleted with its history, as a purge
   * would delete it.
   */
  async transferAll(
    manager: EntityManager,
    caller: Pick<RequestCaller, 'organisationId' | 'clientId'>,
    from: number,
    to: number,
    by: ChangedBy,
  ): Promise<{ moved: number; combined: number }> {
    const { organisationId } = caller;
    const moving = await this.given.listOfCustomerForUpdate(organisationId, from, manager);
    const kept = await this.given.listOfCustomerForUpdate(organisationId, to, manager);
    const keptByConsent = new Map(kept.map((g) => [g.consentId, g]));
    let moved = 0;
    let combined = 0;
    for (const given of moving) {
      const survivor = keptByConsent.get(given.consentId);
      if (!survivor) {
        await this.given.moveToCustomer(organisationId, given.id, to, manager);
        await this.recordEvent(
          manager,
          organisationId,
          { ...given, customerNumber: to },
          'UPDATE',
          ['customerNumber'],
        );
        moved++;
        continue;
      }
      if (given.changedAt > survivor.changedAt) {
        await this.applyChange(
          manager,
          caller,
          survivor,
          {
            consentChoice: given.consentChoice,
            distributionChannel: given.distributionChannel,
            expirationDate: given.expirationDate,
          },
          by,
        );
      }
      await this.given.delete(organisationId, given.id, manager);
      await this.recordEvent(manager, organisationId, given, 'DELETE', []);
      combined++;
    }
    return { moved, combined };
  }

  /** Each given consent with the consent (and its base) it answers. */
  async withConsents(
    organisationId: number,
    given: GivenConsent[],
    manager: EntityManager = this.dataSource.manager,
  ): Promise<GivenConsentWithConsent[]> {
    const ids = [...new Set(given.map((g) => g.consentId))];
    const consents = await this.consents.findWithBases(organisationId, ids, manager);
    const byId = new Map(consents.map((c) => [c.id, c]));
    return given.map((g) => ({ ...g, consent: byId.get(g.consentId)! }));
  }

  /** All of a customer's given consents, read with `manager`; the caller has checked access. */
  listAllOfCustomerWithin(
    manager: EntityManager,
    organisationId: number,
    customerNumber: number,
  ): Promise<GivenConsent[]> {
    return this.given.listOfCustomer(organisationId, customerNumber, undefined, manager);
  }

  /** A given consent's history, read with `manager`; the caller has checked access. */
  historyWithin(
    manager: EntityManager,
    organisationId: number,
    id: number,
  ): Promise<GivenConsentHistoryEntry[]> {
    return this.history.list(organisationId, id, manager);
  }

  /** Records the customer's first answer to a consent of the organisation (409 after that). */
  private async insertFirstAnswer(
    manager: EntityManager,
    caller: Pick<RequestCaller, 'organisationId' | 'clientId'>,
    input: NewGivenConsent,
    by: ChangedBy,
    answeredAlready: (existing: GivenConsent) => string,
  ): Promise<GivenConsent> {
    const { organisationId } = caller;
    const consent = await this.consents.require(organisationId, input.consentId, manager);
    const existing = await this.given.findOfCustomerForUpdate(
      organisationId,
      input.customerNumber,
      input.consentId,
      manager,
    );
    if (existing) {
      throw new ConflictDomainException(answeredAlready(existing));
    }
    return this.insert(manager, caller, consent, input, by);
  }

  private async insert(
    manager: EntityManager,
    caller: Pick<RequestCaller, 'organisationId' | 'clientId'>,
    consent: Consent,
    input: NewGivenConsent,
    by: ChangedBy,
  ): Promise<GivenConsent> {
    const { organisationId, clientId } = caller;
    const now = this.clock.now();
    if (!isConsentActive(consent, now)) {
      throw new ConflictDomainException(`Consent ${consent.id} is not active`);
    }
    const id = await this.given.insert(
      organisationId,
      {
        customerNumber: input.customerNumber,
        consentId: consent.id,
        consentChoice: input.consentChoice,
        distributionChannel: input.distributionChannel,
        expirationDate: input.expirationDate ?? null,
        email: input.email ?? null,
        countryCode: input.countryCode ?? null,
        telephoneNumber: input.telephoneNumber ?? null,
        createdAt: now,
        createdBy: by.changedBy ?? null,
        changedAt: now,
        changedBy: by.changedBy ?? null,
        changedByChannel: by.changedByChannel ?? null,
      },
      clientId,
      manager,
    );
    const given = (await this.given.find(organisationId, id, manager))!;
    await this.history.append(
      organisationId,
      given,
      given.consentChoice ? 'GIVEN' : 'DECLINED',
      clientId,
      manager,
    );
    await this.recordEvent(
      manager,
      organisationId,
      given,
      'CREATE',
      GIVEN_FIELDS.filter((f) => given[f] !== null),
    );
    return given;
  }

  private async applyChange(
    manager: EntityManager,
    caller: Pick<RequestCaller, 'organisationId' | 'clientId'>,
    given: GivenConsent,
    change: GivenConsentChange,
    by: ChangedBy,
  ): Promise<GivenConsent> {
    const { organisationId, clientId } = caller;
    const next: GivenConsent = {
      ...given,
      ...Object.fromEntries(Object.entries(change).filter(([, v]) => v !== undefined)),
    };
    const changed = GIVEN_FIELDS.filter((f) => next[f] !== given[f]);
    if (!changed.length) {
      return given;
    }
    next.revision = given.revision + 1;
    next.changedAt = strictlyAfter(this.clock.now(), given.changedAt);
    next.changedBy = by.changedBy ?? null;
    next.changedByChannel = by.changedByChannel ?? null;
    await this.given.update(organisationId, next, clientId, manager);
    await this.history.append(
      organisationId,
      next,
      eventOf(given.consentChoice, next.consentChoice),
      clientId,
      manager,
    );
    await this.recordEvent(manager, organisationId, next, 'UPDATE', changed);
    return next;
  }

  private recordEvent(
    manager: EntityManager,
    organisationId: number,
    given: GivenConsent,
    operation: ChangeOperation,
    changedFields: string[],
  ): Promise<void> {
    return this.events.append(manager, [
      {
        organisationId,
        type: EVENT_TYPES.givenConsent,
        subject: String(given.customerNumber),
        operation,
        change: `GIVEN_CONSENT_${operation}D`,
        customerNumber: given.customerNumber,
        changedFields,
        version: given.revision,
        ids: { givenConsentId: given.id, consentId: given.consentId },
      },
    ]);
  }

  /** A given consent of the organisation whose customer is still readable (not expired). */
  private async requireGiven(
    manager: EntityManager,
    organisationId: number,
    id: number,
    forUpdate = false,
  ): Promise<GivenConsent> {
    const given = forUpdate
      ? await this.given.findForUpdate(organisationId, id, manager)
      : await this.given.find(organisationId, id, manager);
    if (!given) {
      throw new NotFoundDomainException(`Given consent ${id}`);
    }
    try {
      await this.profileAccess.require(organisationId, given.customerNumber, manager);
    } catch (error) {
      // The customer is gone (expired): so is the answer. Anything else, a timeout say, goes on.
      if (error instanceof NotFoundDomainException) {
        throw new NotFoundDomainException(`Given consent ${id}`);
      }
      throw error;
    }
    return given;
  }
}

function eventOf(before: boolean, after: boolean): GivenConsentEvent {
  if (before === after) {
    return 'CHANGED';
  }
  return after ? 'GIVEN' : 'WITHDRAWN';
}

/** History timestamps strictly increase per given consent, so `at=` is never ambiguous. */
function strictlyAfter(now: Date, previous: Date): Date {
  return now > previous ? now : new Date(previous.getTime() + 1);
}
