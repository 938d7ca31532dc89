import { Readable } from 'node:stream';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Clock } from '../common/clock/clock';
import { Page } from '../common/http/page-query.dto';
import {
  ConflictDomainException,
  NotFoundDomainException,
  ValidationDomainException,
} from '../common/errors/domain.exception';
import { ProfileAccessService } from '../profiles/profile-access.service';
import { consentIntent } from '../profiles/profile-lifecycle';
import {
  Actor,
  Consent,
  ConsentBase,
  ConsentQuery,
  ConsentTerm,
  ConsentWithBase,
  CrmExportOptions,
  GivenConsent,
  GivenConsentChange,
  GivenConsentWithConsent,
  GivenConsentEvent,
  GivenConsentHistoryEntry,
  isConsentActive,
  NewGivenConsent,
} from './consent.model';
import { ConsentsRepository } from './consents.repository';
import { IdempotencyService } from '../idempotency/idempotency.service';
import { ChangeOperation, EVENT_TYPES } from '../events/change-event';
import { EventsRepository } from '../events/events.repository';

/** What a customer's answer holds; a change event names those that changed. */
const GIVEN_FIELDS = [
  'consentChoice',
  'distributionChannel',
  'expirationDate',
  'email',
  'countryCode',
  'telephoneNumber',
] as const;

/** Rows fetched per round trip while streaming the CRM export. */
const CRM_BATCH_SIZE = 1000;

export interface ConsentBaseInput {
  terms: ConsentTerm[];
  internalDescription?: string | null;
}

export interface ConsentInput {
  consentCode: string;
  consentBaseVersion?: number;
  isSmsSupported?: boolean;
  isEmailSupported?: boolean;
  validFrom?: Date;
  validTo?: Date | null;
}

export type ConsentChange = Partial<
  Pick<Consent, 'isSmsSupported' | 'isEmailSupported' | 'validFrom' | 'validTo'>
>;

/** A row of the CRM export, as the DTO maps it (rows are never collected into an array). */
export type CrmRow = Record<string, unknown>;

/**
 * The one consents domain service: consent bases, an organisation's consents, the choices its
 * customers give with their append-only history, and the CRM export. Version-agnostic: the v2
 * controllers and the legacy v1 adapters both call it.
 */
@Injectable()
export class ConsentsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly repository: ConsentsRepository,
    private readonly profileAccess: ProfileAccessService,
    private readonly clock: Clock,
    private readonly idempotency: IdempotencyService,
    private readonly events: EventsRepository,
  ) {}

  // Consent bases (platform data, customers:admin)

  listBases(): Promise<ConsentBase[]> {
    return this.repository.listLatestBases(this.dataSource.manager);
  }

  async listBaseVersions(consentCode: string): Promise<ConsentBase[]> {
    const versions = await this.repository.listBaseVersions(this.dataSource.manager, consentCode);
    if (!versions.length) {
      throw new NotFoundDomainException(`Consent base ${consentCode}`);
    }
    return versions;
  }

  async getBase(consentCode: string, version: number): Promise<ConsentBase> {
    const base = await this.repository.findBase(this.dataSource.manager, consentCode, version);
    if (!base) {
      throw new NotFoundDomainException(`Consent base ${consentCode} version ${version}`);
    }
    return base;
  }

  /** Version 1 of a new base, as a draft. The code is unique system-wide. */
  async createBase(
    ownerOrganisationId: number,
    consentCode: string,
    input: ConsentBaseInput,
    actor: Actor,
  ): Promise<ConsentBase> {
    return this.dataSource.transaction(async (m) => {
      if (await this.repository.findBase(m, consentCode, 1)) {
        throw new ConflictDomainException(`Consent base ${consentCode} already exists`);
      }
      return this.repository.insertBase(
        m,
        {
          organisationId: ownerOrganisationId,
          consentCode,
          version: 1,
          terms: input.terms,
          internalDescription: input.internalDescription ?? null,
        },
        actor.clientId,
        this.clock.now(),
      );
    });
  }

  /** Drafts are editable; an active version is immutable (a change needs a new version). */
  async updateDraftBase(
    consentCode: string,
    version: number,
    input: ConsentBaseInput,
    actor: Actor,
  ): Promise<ConsentBase> {
    return this.dataSource.transaction(async (m) => {
      const base = await this.requireBase(m, consentCode, version);
      if (base.activatedAt) {
        throw new ConflictDomainException(
          `Consent base ${consentCode} version ${version} is active and cannot change; create a new version`,
        );
      }
      return this.repository.updateDraftBase(
        m,
        consentCode,
        version,
        { terms: input.terms, internalDescription: input.internalDescription ?? null },
        actor.clientId,
        this.clock.now(),
      );
    });
  }

  async activateBase(consentCode: string, version: number, actor: Actor): Promise<ConsentBase> {
    return this.dataSource.transaction(async (m) => {
      const base = await this.requireBase(m, consentCode, version);
      if (base.activatedAt) {
        throw new ConflictDomainException(
          `Consent base ${consentCode} version ${version} is already active`,
        );
      }
      return this.repository.activateBase(
        m,
        consentCode,
        version,
        actor.clientId,
        this.clock.now(),
      );
    });
  }

  /** The next version of a base whose latest version is active, as a new draft. */
  async createBaseVersion(
    consentCode: string,
    input: ConsentBaseInput,
    actor: Actor,
  ): Promise<ConsentBase> {
    return this.dataSource.transaction(async (m) => {
      const versions = await this.repository.listBaseVersions(m, consentCode);
      const latest = versions.at(-1);
      if (!latest) {
        throw new NotFoundDomainException(`Consent base ${consentCode}`);
      }
      if (!latest.activatedAt) {
        throw new ConflictDomainException(
          `Consent base ${consentCode} version ${latest.version} is still a draft; edit it instead`,
        );
      }
      return this.repository.insertBase(
        m,
        {
          organisationId: latest.organisationId,
          consentCode,
          version: latest.version + 1,
          terms: input.terms,
          internalDescription: input.internalDescription ?? latest.internalDescription,
        },
        actor.clientId,
        this.clock.now(),
      );
    });
  }

  // Consents (an organisation's use of a base version)

  listConsents(organisationId: number, query: ConsentQuery): Promise<Consent[]> {
    return this.repository.listConsents(
      this.dataSource.manager,
      organisationId,
      query,
      this.clock.now(),
    );
  }

  async getConsent(organisationId: number, id: number): Promise<Consent> {
    return this.requireConsent(this.dataSource.manager, organisationId, id);
  }

  /** Uses an active base version: the one given, else the latest active one. */
  async createConsent(
    organisationId: number,
    input: ConsentInput,
    actor: Actor,
  ): Promise<ConsentWithBase> {
    return this.idempotency.transaction(async (m) => {
      const versions = await this.repository.listBaseVersions(m, input.consentCode);
      const base =
        input.consentBaseVersion === undefined
          ? versions.filter((v) => v.activatedAt).at(-1)
          : versions.find((v) => v.version === input.consentBaseVersion);
      if (!base) {
        throw new ValidationDomainException('No such active consent base version', [
          {
            field: input.consentBaseVersion === undefined ? 'consentCode' : 'consentBaseVersion',
            message: `Consent base ${input.consentCode} has no ${
              input.consentBaseVersion === undefined
                ? 'active version'
                : `version ${input.consentBaseVersion}`
            }`,
          },
        ]);
      }
      if (!base.activatedAt) {
        throw new ConflictDomainException(
          `Consent base ${base.consentCode} version ${base.version} is a draft; activate it first`,
        );
      }
      const now = this.clock.now();
      const validFrom = input.validFrom ?? now;
      assertValidity(validFrom, input.validTo ?? null);
      const consent = await this.repository.insertConsent(
        m,
        organisationId,
        {
          consentCode: base.consentCode,
          consentBaseVersion: base.version,
          isSmsSupported: input.isSmsSupported ?? false,
          isEmailSupported: input.isEmailSupported ?? false,
          validFrom,
          validTo: input.validTo ?? null,
        },
        actor.clientId,
        now,
      );
      await this.recordConsentEvent(m, organisationId, consent.id, 'CREATE', [
        'consentCode',
        'consentBaseVersion',
        'isSmsSupported',
        'isEmailSupported',
        'validFrom',
        ...(consent.validTo ? ['validTo'] : []),
      ]);
      return { ...consent, base };
    });
  }

  /** Channels and validity; set `validTo` to retire a consent. */
  async updateConsent(
    organisationId: number,
    id: number,
    change: ConsentChange,
    actor: Actor,
  ): Promise<Consent> {
    return this.dataSource.transaction(async (m) => {
      const current = await this.requireConsent(m, organisationId, id, true);
      const next = {
        isSmsSupported: change.isSmsSupported ?? current.isSmsSupported,
        isEmailSupported: change.isEmailSupported ?? current.isEmailSupported,
        validFrom: change.validFrom ?? current.validFrom,
        validTo: change.validTo === undefined ? current.validTo : change.validTo,
      };
      assertValidity(next.validFrom, next.validTo);
      const updated = await this.repository.updateConsent(
        m,
        organisationId,
        id,
        next,
        actor.clientId,
        this.clock.now(),
      );
      const changed = (Object.keys(next) as (keyof typeof next)[]).filter(
        (f) => String(next[f]) !== String(current[f]),
      );
      await this.recordConsentEvent(m, organisationId, id, 'UPDATE', changed);
      return updated;
    });
  }

  /** Each consent with the base version it uses, so a client can show the terms. */
  async withBases(
    consents: Consent[],
    m: EntityManager = this.dataSource.manager,
  ): Promise<ConsentWithBase[]> {
    const keys = [...new Map(consents.map((c) => [baseKey(c), c])).values()].map((c) => ({
      consentCode: c.consentCode,
      version: c.consentBaseVersion,
    }));
    const bases = await this.repository.findBases(m, keys);
    const byKey = new Map(
      bases.map((b) => [baseKey({ consentCode: b.consentCode, consentBaseVersion: b.version }), b]),
    );
    return consents.map((consent) => ({ ...consent, base: byKey.get(baseKey(consent))! }));
  }

  /** Each given consent with the consent (and its base) it answers. */
  async withConsents(
    organisationId: number,
    given: GivenConsent[],
    m: EntityManager = this.dataSource.manager,
  ): Promise<GivenConsentWithConsent[]> {
    const ids = [...new Set(given.map((g) => g.consentId))];
    const consents = await this.withBases(
      await this.repository.findConsents(m, organisationId, ids),
      m,
    );
    const byId = new Map(consents.map((c) => [c.id, c]));
    return given.map((g) => ({ ...g, consent: byId.get(g.consentId)! }));
  }

  // Given consents

  async giveConsent(
    organisationId: number,
    input: NewGivenConsent,
    actor: Actor,
  ): Promise<GivenConsentWithConsent> {
    return this.idempotency.transaction(async (m) => {
      await this.profileAccess.requireForChange(
        organisationId,
        input.customerNumber,
        consentIntent(input.consentChoice, input.consentChoice),
        m,
      );
      const consent = await this.requireConsent(m, organisationId, input.consentId);
      const existing = await this.repository.findGivenConsentOfCustomer(
        m,
        organisationId,
        input.customerNumber,
        input.consentId,
      );
      if (existing) {
        throw new ConflictDomainException(
          `Customer ${input.customerNumber} has already answered consent ${input.consentId} (given consent ${existing.id}); change that one`,
        );
      }
      const given = await this.insertGiven(m, organisationId, consent, input, actor);
      // In the create's transaction: with an Idempotency-Key it holds the only embedded connection.
      const [withConsent] = await this.withConsents(organisationId, [given], m);
      return withConsent;
    });
  }

  /**
   * Records the answer of a customer created in the caller's transaction `m` (the bulk import):
   * same rules as giveConsent (the consent must exist and be active, one answer per consent), no
   * access check since the profile is new in the same transaction.
   */
  async giveConsentWithin(
    m: EntityManager,
    organisationId: number,
    input: NewGivenConsent,
    actor: Actor,
  ): Promise<void> {
    const consent = await this.requireConsent(m, organisationId, input.consentId);
    const existing = await this.repository.findGivenConsentOfCustomer(
      m,
      organisationId,
      input.customerNumber,
      input.consentId,
    );
    if (existing) {
      throw new ConflictDomainException(
        `Consent ${input.consentId} is answered twice for the same customer`,
      );
    }
    await this.insertGiven(m, organisationId, consent, input, actor);
  }

  /** The given consent now, or (with `at`) as it stood at that moment: 404 before it existed. */
  async getGivenConsent(organisationId: number, id: number, at?: Date): Promise<GivenConsent> {
    const m = this.dataSource.manager;
    const given = await this.requireGiven(m, organisationId, id);
    if (!at) {
      return given;
    }
    const entry = await this.repository.historyAt(m, organisationId, id, at);
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

  async listGivenConsentsOfCustomer(
    organisationId: number,
    customerNumber: number,
    page?: Page,
  ): Promise<GivenConsent[]> {
    const m = this.dataSource.manager;
    await this.profileAccess.require(organisationId, customerNumber, m);
    return this.repository.listGivenConsentsOfCustomer(
      m,
      organisationId,
      customerNumber,
      false,
      page,
    );
  }

  async changeGivenConsent(
    organisationId: number,
    id: number,
    change: GivenConsentChange,
    actor: Actor,
  ): Promise<GivenConsent> {
    return this.dataSource.transaction(async (m) => {
      const given = await this.requireGiven(m, organisationId, id, true);
      const resultingChoice = change.consentChoice ?? given.consentChoice;
      await this.profileAccess.requireForChange(
        organisationId,
        given.customerNumber,
        consentIntent(change.consentChoice, resultingChoice),
        m,
      );
      return this.applyChange(m, organisationId, given, change, actor);
    });
  }

  /**
   * Moves a customer's given consents to another customer of the organisation, in the caller's
   * transaction (which holds both profiles' locks). A record moves with its history untouched.
   * Where both answered the same consent, the more recent choice wins: when it is the moved
   * customer's, the survivor's record takes it as a new revision of its own history (by
   * `actor`); the moved customer's record of that consent is then deleted with its history, as
   * a purge would delete it.
   */
  async transferGivenConsents(
    m: EntityManager,
    organisationId: number,
    from: number,
    to: number,
    actor: Actor,
  ): Promise<{ moved: number; combined: number }> {
    const moving = await this.repository.listGivenConsentsOfCustomer(m, organisationId, from, true);
    const kept = await this.repository.listGivenConsentsOfCustomer(m, organisationId, to, true);
    const keptByConsent = new Map(kept.map((g) => [g.consentId, g]));
    let moved = 0;
    let combined = 0;
    for (const given of moving) {
      const survivor = keptByConsent.get(given.consentId);
      if (!survivor) {
        await this.repository.moveGivenConsent(m, organisationId, given.id, to);
        await this.recordGivenEvent(m, organisationId, { ...given, customerNumber: to }, 'UPDATE', [
          'customerNumber',
        ]);
        moved++;
        continue;
      }
      if (given.changedAt > survivor.changedAt) {
        await this.applyChange(
          m,
          organisationId,
          survivor,
          {
            consentChoice: given.consentChoice,
            distributionChannel: given.distributionChannel,
            expirationDate: given.expirationDate,
          },
          actor,
        );
      }
      await this.repository.deleteGivenConsent(m, organisationId, given.id);
      await this.recordGivenEvent(m, organisationId, given, 'DELETE', []);
      combined++;
    }
    return { moved, combined };
  }

  /** A withdrawal is a change of the choice to false, recorded as WITHDRAWN; the record stays. */
  withdrawGivenConsent(organisationId: number, id: number, actor: Actor): Promise<GivenConsent> {
    return this.changeGivenConsent(organisationId, id, { consentChoice: false }, actor);
  }

  async getHistory(organisationId: number, id: number): Promise<GivenConsentHistoryEntry[]> {
    const m = this.dataSource.manager;
    await this.requireGiven(m, organisationId, id);
    return this.repository.listHistory(m, organisationId, id);
  }

  /**
   * The legacy model: one choice per customer and consent code. Sets the customer's answer to the
   * organisation's current consent for that code, creating the given consent if needed.
   */
  async setChoiceForCode(
    organisationId: number,
    customerNumber: number,
    consentCode: string,
    consentChoice: boolean,
    actor: Actor,
  ): Promise<GivenConsent> {
    return this.dataSource.transaction(async (m) => {
      await this.profileAccess.requireForChange(
        organisationId,
        customerNumber,
        consentIntent(consentChoice, consentChoice),
        m,
      );
      const [consent] = await this.repository.listConsents(
        m,
        organisationId,
        { consentCodes: [consentCode], versions: { kind: 'CURRENT' }, includeInactive: false },
        this.clock.now(),
      );
      if (!consent) {
        throw new NotFoundDomainException(`Consent ${consentCode}`);
      }
      const existing = await this.repository.findGivenConsentOfCustomer(
        m,
        organisationId,
        customerNumber,
        consent.id,
      );
      if (existing) {
        return this.applyChange(m, organisationId, existing, { consentChoice }, actor);
      }
      const channel = actor.changedByChannel ?? 'unknown';
      return this.insertGiven(
        m,
        organisationId,
        consent,
        { customerNumber, consentId: consent.id, consentChoice, distributionChannel: channel },
        actor,
      );
    });
  }

  /** Per consent code, the customer's most recent choice (whichever consent version holds it). */
  async latestChoicesByCode(
    organisationId: number,
    customerNumber: number,
  ): Promise<GivenConsent[]> {
    const all = await this.listGivenConsentsOfCustomer(organisationId, customerNumber);
    const byCode = new Map<string, GivenConsent>();
    for (const given of all) {
      const seen = byCode.get(given.consentCode);
      if (!seen || given.changedAt > seen.changedAt) {
        byCode.set(given.consentCode, given);
      }
    }
    return [...byCode.values()].sort((a, b) => a.consentCode.localeCompare(b.consentCode));
  }

  // CRM export

  /**
   * The organisation's given consents as one JSON array, streamed from a server-side cursor in
   * batches: memory stays flat whatever the row count. The cursor holds one connection (and one
   * snapshot) until the stream ends or the client goes away.
   */
  exportForCrm(
    organisationId: number,
    options: CrmExportOptions,
    toJson: (row: CrmRow) => unknown,
  ): Readable {
    const { sql, params } = this.repository.crmExportQuery(
      organisationId,
      options,
      this.clock.now(),
    );
    return Readable.from(this.crmChunks(sql, params, toJson), { objectMode: false });
  }

  /** One page of the export (`options.page`), as rows: bounded, so read at once. */
  async crmPage(organisationId: number, options: CrmExportOptions): Promise<CrmRow[]> {
    const { sql, params } = this.repository.crmExportQuery(
      organisationId,
      options,
      this.clock.now(),
    );
    return this.dataSource.query(sql, params);
  }

  private async *crmChunks(
    sql: string,
    params: unknown[],
    toJson: (row: CrmRow) => unknown,
  ): AsyncGenerator<string> {
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      await runner.startTransaction('REPEATABLE READ');
      await runner.query(`DECLARE crm_export NO SCROLL CURSOR FOR ${sql}`, params);
      yield '[';
      let separator = '';
      for (;;) {
        const rows: CrmRow[] = await runner.query(`FETCH ${CRM_BATCH_SIZE} FROM crm_export`);
        if (!rows.length) {
          break;
        }
        yield separator + rows.map((row) => JSON.stringify(toJson(row))).join(',');
        separator = ',';
      }
      yield ']';
      await runner.commitTransaction();
    } finally {
      if (runner.isTransactionActive) {
        await runner.rollbackTransaction();
      }
      await runner.release();
    }
  }

  // Helpers

  private async insertGiven(
    m: EntityManager,
    organisationId: number,
    consent: Consent,
    input: NewGivenConsent,
    actor: Actor,
  ): Promise<GivenConsent> {
    const now = this.clock.now();
    if (!isConsentActive(consent, now)) {
      throw new ConflictDomainException(`Consent ${consent.id} is not active`);
    }
    const id = await this.repository.insertGivenConsent(
      m,
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
        createdBy: actor.changedBy ?? null,
        changedAt: now,
        changedBy: actor.changedBy ?? null,
        changedByChannel: actor.changedByChannel ?? null,
      },
      actor.clientId,
    );
    const given = (await this.repository.findGivenConsent(m, organisationId, id))!;
    await this.repository.appendHistory(
      m,
      organisationId,
      given,
      given.consentChoice ? 'GIVEN' : 'DECLINED',
      actor.clientId,
    );
    await this.recordGivenEvent(
      m,
      organisationId,
      given,
      'CREATE',
      GIVEN_FIELDS.filter((f) => given[f] !== null),
    );
    return given;
  }

  private async applyChange(
    m: EntityManager,
    organisationId: number,
    given: GivenConsent,
    change: GivenConsentChange,
    actor: Actor,
  ): Promise<GivenConsent> {
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
    next.changedBy = actor.changedBy ?? null;
    next.changedByChannel = actor.changedByChannel ?? null;
    await this.repository.updateGivenConsent(m, organisationId, next, actor.clientId);
    await this.repository.appendHistory(
      m,
      organisationId,
      next,
      eventOf(given.consentChoice, next.consentChoice),
      actor.clientId,
    );
    await this.recordGivenEvent(m, organisationId, next, 'UPDATE', changed);
    return next;
  }

  private recordGivenEvent(
    m: EntityManager,
    organisationId: number,
    given: GivenConsent,
    operation: ChangeOperation,
    changedFields: string[],
  ): Promise<void> {
    return this.events.append(m, [
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

  private recordConsentEvent(
    m: EntityManager,
    organisationId: number,
    consentId: number,
    operation: ChangeOperation,
    changedFields: string[],
  ): Promise<void> {
    return this.events.append(m, [
      {
        organisationId,
        type: EVENT_TYPES.consent,
        subject: `consents/${consentId}`,
        operation,
        change: `CONSENT_${operation}D`,
        customerNumber: null,
        changedFields,
        ids: { consentId },
      },
    ]);
  }

  private async requireBase(
    m: EntityManager,
    consentCode: string,
    version: number,
  ): Promise<ConsentBase> {
    const base = await this.repository.findBase(m, consentCode, version, true);
    if (!base) {
      throw new NotFoundDomainException(`Consent base ${consentCode} version ${version}`);
    }
    return base;
  }

  private async requireConsent(
    m: EntityManager,
    organisationId: number,
    id: number,
    forUpdate = false,
  ): Promise<Consent> {
    const consent = await this.repository.findConsent(m, organisationId, id, forUpdate);
    if (!consent) {
      throw new NotFoundDomainException(`Consent ${id}`);
    }
    return consent;
  }

  /** A given consent of the organisation whose customer is still readable (not expired). */
  private async requireGiven(
    m: EntityManager,
    organisationId: number,
    id: number,
    forUpdate = false,
  ): Promise<GivenConsent> {
    const given = await this.repository.findGivenConsent(m, organisationId, id, forUpdate);
    if (!given) {
      throw new NotFoundDomainException(`Given consent ${id}`);
    }
    try {
      await this.profileAccess.require(organisationId, given.customerNumber, m);
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

function baseKey(consent: Pick<Consent, 'consentCode' | 'consentBaseVersion'>): string {
  return `${consent.consentCode}@${consent.consentBaseVersion}`;
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

function assertValidity(validFrom: Date, validTo: Date | null): void {
  if (validTo && validTo <= validFrom) {
    throw new ValidationDomainException('validTo must be after validFrom', [
      { field: 'validTo', message: 'validTo must be after validFrom' },
    ]);
  }
}
