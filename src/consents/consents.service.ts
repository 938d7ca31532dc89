import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Clock } from '../common/clock/clock';
import {
  ConflictDomainException,
  NotFoundDomainException,
  ValidationDomainException,
} from '../common/errors/domain.exception';
import { RequestCaller } from '../common/http/request-caller';
import { ChangeOperation, EVENT_TYPES } from '../events/change-event';
import { EventsRepository } from '../events/events.repository';
import { IdempotencyService } from '../idempotency/idempotency.service';
import { ConsentBasesService } from './bases/consent-bases.service';
import { Consent, ConsentBase, ConsentQuery, ConsentWithBase } from './consent.model';
import { ConsentSettings, ConsentsRepository } from './consents.repository';

export interface ConsentInput {
  consentCode: string;
  consentBaseVersion?: number;
  isSmsSupported?: boolean;
  isEmailSupported?: boolean;
  validFrom?: Date;
  validTo?: Date | null;
}

export type ConsentChange = Partial<ConsentSettings>;

/**
 * An organisation's consents: each uses one active consent base version, with its channels and
 * validity. A change appends its event to the outbox in the change's transaction.
 */
@Injectable()
export class ConsentsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly consents: ConsentsRepository,
    private readonly bases: ConsentBasesService,
    private readonly clock: Clock,
    private readonly idempotency: IdempotencyService,
    private readonly events: EventsRepository,
  ) {}

  list(caller: RequestCaller, query: ConsentQuery): Promise<Consent[]> {
    return this.consents.list(caller.organisationId, query, this.clock.now());
  }

  get(caller: RequestCaller, id: number): Promise<Consent> {
    return this.require(caller.organisationId, id);
  }

  /** Uses an active base version: the one given, else the latest active one. */
  async create(caller: RequestCaller, input: ConsentInput): Promise<ConsentWithBase> {
    const { organisationId } = caller;
    return this.idempotency.transaction(async (manager) => {
      const base = await this.activeBaseFor(input, manager);
      const now = this.clock.now();
      const validFrom = input.validFrom ?? now;
      assertValidity(validFrom, input.validTo ?? null);
      const consent = await this.consents.insert(
        organisationId,
        {
          consentCode: base.consentCode,
          consentBaseVersion: base.version,
          isSmsSupported: input.isSmsSupported ?? false,
          isEmailSupported: input.isEmailSupported ?? false,
          validFrom,
          validTo: input.validTo ?? null,
        },
        caller.clientId,
        now,
        manager,
      );
      await this.recordEvent(manager, organisationId, consent.id, 'CREATE', [
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
  async update(caller: RequestCaller, id: number, change: ConsentChange): Promise<Consent> {
    const { organisationId } = caller;
    return this.dataSource.transaction(async (manager) => {
      const current = await this.consents.findForUpdate(organisationId, id, manager);
      if (!current) {
        throw new NotFoundDomainException(`Consent ${id}`);
      }
      const next: ConsentSettings = {
        isSmsSupported: change.isSmsSupported ?? current.isSmsSupported,
        isEmailSupported: change.isEmailSupported ?? current.isEmailSupported,
        validFrom: change.validFrom ?? current.validFrom,
        validTo: change.validTo === undefined ? current.validTo : change.validTo,
      };
      assertValidity(next.validFrom, next.validTo);
      const updated = await this.consents.update(
        organisationId,
        id,
        next,
        caller.clientId,
        this.clock.now(),
        manager,
      );
      const changed = (Object.keys(next) as (keyof ConsentSettings)[]).filter(
        (f) => String(next[f]) !== String(current[f]),
      );
      await this.recordEvent(manager, organisationId, id, 'UPDATE', changed);
      return updated;
    });
  }

  /** Each consent with the base version it uses, so a client can show the terms. */
  async withBases(
    consents: Consent[],
    manager: EntityManager = this.dataSource.manager,
  ): Promise<ConsentWithBase[]> {
    const keys = [...new Map(consents.map((c) => [baseKey(c), c])).values()].map((c) => ({
      consentCode: c.consentCode,
      version: c.consentBaseVersion,
    }));
    const bases = await this.bases.findMany(keys, manager);
    const byKey = new Map(
      bases.map((b) => [baseKey({ consentCode: b.consentCode, consentBaseVersion: b.version }), b]),
    );
    return consents.map((consent) => ({ ...consent, base: byKey.get(baseKey(consent))! }));
  }

  /** Consents of the organisation by id, each with its base version. */
  async findWithBases(
    organisationId: number,
    ids: number[],
    manager: EntityManager = this.dataSource.manager,
  ): Promise<ConsentWithBase[]> {
    return this.withBases(await this.consents.findMany(organisationId, ids, manager), manager);
  }

  /** A consent of the organisation, else 404. */
  async require(
    organisationId: number,
    id: number,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<Consent> {
    const consent = await this.consents.find(organisationId, id, manager);
    if (!consent) {
      throw new NotFoundDomainException(`Consent ${id}`);
    }
    return consent;
  }

  /** The organisation's active consent for the code on the highest base version, if any. */
  async currentForCode(
    organisationId: number,
    consentCode: string,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<Consent | undefined> {
    const [consent] = await this.consents.list(
      organisationId,
      { consentCodes: [consentCode], versions: { kind: 'CURRENT' }, includeInactive: false },
      this.clock.now(),
      manager,
    );
    return consent;
  }

  private async activeBaseFor(input: ConsentInput, manager: EntityManager): Promise<ConsentBase> {
    const versions = await this.bases.versionsOf(input.consentCode, manager);
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
    return base;
  }

  private recordEvent(
    manager: EntityManager,
    organisationId: number,
    consentId: number,
    operation: ChangeOperation,
    changedFields: string[],
  ): Promise<void> {
    return this.events.append(manager, [
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
}

function baseKey(consent: Pick<Consent, 'consentCode' | 'consentBaseVersion'>): string {
  return `${consent.consentCode}@${consent.consentBaseVersion}`;
}

function assertValidity(validFrom: Date, validTo: Date | null): void {
  if (validTo && validTo <= validFrom) {
    throw new ValidationDomainException('validTo must be after validFrom', [
      { field: 'validTo', message: 'validTo must be after validFrom' },
    ]);
  }
}
