import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Clock } from '../../common/clock/clock';
import {
  ConflictDomainException,
  NotFoundDomainException,
} from '../../common/errors/domain.exception';
import { RequestCaller } from '../../common/http/request-caller';
import { ConsentBase, ConsentTerm } from '../consent.model';
import { ConsentBasesRepository } from './consent-bases.repository';

export interface ConsentBaseInput {
  terms: ConsentTerm[];
  internalDescription?: string | null;
}

/**
 * Consent bases: the versioned terms a customer agrees to. Platform data, written with
 * `customers:admin`; a version is a draft until activated, and immutable from then on.
 */
@Injectable()
export class ConsentBasesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly bases: ConsentBasesRepository,
    private readonly clock: Clock,
  ) {}

  /** The latest version of each base. */
  list(): Promise<ConsentBase[]> {
    return this.bases.listLatest();
  }

  async listVersions(consentCode: string): Promise<ConsentBase[]> {
    const versions = await this.bases.listVersions(consentCode);
    if (!versions.length) {
      throw new NotFoundDomainException(`Consent base ${consentCode}`);
    }
    return versions;
  }

  async get(consentCode: string, version: number): Promise<ConsentBase> {
    const base = await this.bases.find(consentCode, version);
    if (!base) {
      throw new NotFoundDomainException(`Consent base ${consentCode} version ${version}`);
    }
    return base;
  }

  /** Version 1 of a new base, as a draft, owned by the caller's organisation. Codes are unique. */
  async create(
    caller: RequestCaller,
    consentCode: string,
    input: ConsentBaseInput,
  ): Promise<ConsentBase> {
    return this.dataSource.transaction(async (manager) => {
      if (await this.bases.find(consentCode, 1, manager)) {
        throw new ConflictDomainException(`Consent base ${consentCode} already exists`);
      }
      return this.bases.insert(
        {
          organisationId: caller.organisationId,
          consentCode,
          version: 1,
          terms: input.terms,
          internalDescription: input.internalDescription ?? null,
        },
        caller.clientId,
        this.clock.now(),
        manager,
      );
    });
  }

  /** Drafts are editable; an active version is immutable (a change needs a new version). */
  async updateDraft(
    caller: RequestCaller,
    consentCode: string,
    version: number,
    input: ConsentBaseInput,
  ): Promise<ConsentBase> {
    return this.dataSource.transaction(async (manager) => {
      const base = await this.requireForUpdate(manager, consentCode, version);
      if (base.activatedAt) {
        throw new ConflictDomainException(
          `Consent base ${consentCode} version ${version} is active and cannot change; create a new version`,
        );
      }
      return this.bases.updateDraft(
        consentCode,
        version,
        { terms: input.terms, internalDescription: input.internalDescription ?? null },
        caller.clientId,
        this.clock.now(),
        manager,
      );
    });
  }

  async activate(
    caller: RequestCaller,
    consentCode: string,
    version: number,
  ): Promise<ConsentBase> {
    return this.dataSource.transaction(async (manager) => {
      const base = await this.requireForUpdate(manager, consentCode, version);
      if (base.activatedAt) {
        throw new ConflictDomainException(
          `Consent base ${consentCode} version ${version} is already active`,
        );
      }
      return this.bases.activate(consentCode, version, caller.clientId, this.clock.now(), manager);
    });
  }

  /** The next version of a base whose latest version is active, as a new draft. */
  async createVersion(
    caller: RequestCaller,
    consentCode: string,
    input: ConsentBaseInput,
  ): Promise<ConsentBase> {
    return this.dataSource.transaction(async (manager) => {
      const latest = (await this.bases.listVersions(consentCode, manager)).at(-1);
      if (!latest) {
        throw new NotFoundDomainException(`Consent base ${consentCode}`);
      }
      if (!latest.activatedAt) {
        throw new ConflictDomainException(
          `Consent base ${consentCode} version ${latest.version} is still a draft; edit it instead`,
        );
      }
      return this.bases.insert(
        {
          organisationId: latest.organisationId,
          consentCode,
          version: latest.version + 1,
          terms: input.terms,
          internalDescription: input.internalDescription ?? latest.internalDescription,
        },
        caller.clientId,
        this.clock.now(),
        manager,
      );
    });
  }

  /** Every version of a base, oldest first (none for an unknown code). */
  versionsOf(
    consentCode: string,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<ConsentBase[]> {
    return this.bases.listVersions(consentCode, manager);
  }

  /** The given base versions, in one round trip. */
  findMany(
    keys: { consentCode: string; version: number }[],
    manager: EntityManager = this.dataSource.manager,
  ): Promise<ConsentBase[]> {
    return this.bases.findMany(keys, manager);
  }

  private async requireForUpdate(
    manager: EntityManager,
    consentCode: string,
    version: number,
  ): Promise<ConsentBase> {
    const base = await this.bases.findForUpdate(consentCode, version, manager);
    if (!base) {
      throw new NotFoundDomainException(`Consent base ${consentCode} version ${version}`);
    }
    return base;
  }
}
