import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Clock } from '../common/clock/clock';
import {
  ConflictDomainException,
  NotFoundDomainException,
} from '../common/errors/domain.exception';
import { RequestCaller } from '../common/http/request-caller';
import { ProfileAccessService } from '../profiles/profile-access.service';
import { AuditService } from '../audit/audit.service';
import { IdempotencyService } from '../idempotency/idempotency.service';
import { ProfileResourcesRepository } from './profile-resources.repository';
import { ResourceDefinition, Row } from './resource-definition';

/**
 * Organisation-scoped storage of a profile's sub-resources. Every operation first asks
 * ProfileAccessService for the profile (404 for another organisation's, a missing or an expired
 * one), then touches rows only through `organisation_id` + `customer_number` + `id`, so an id of
 * another organisation or another customer answers the same 404 as a missing one. Writes also
 * pass the profile's lifecycle rule (a deactivated profile takes none).
 */
@Injectable()
export class ProfileResourceStore {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly resources: ProfileResourcesRepository,
    private readonly access: ProfileAccessService,
    private readonly clock: Clock,
    private readonly auditService: AuditService,
    private readonly idempotency: IdempotencyService,
  ) {}

  async list<T>(
    def: ResourceDefinition<T>,
    caller: RequestCaller,
    customerNumber: number,
  ): Promise<T[]> {
    await this.access.require(caller.organisationId, customerNumber);
    const rows = await this.resources.list(def, caller.organisationId, customerNumber);
    return rows.map((row) => def.toResponse(row));
  }

  async get<T>(
    def: ResourceDefinition<T>,
    caller: RequestCaller,
    customerNumber: number,
    id: number,
  ): Promise<T> {
    await this.access.require(caller.organisationId, customerNumber);
    const row = await this.resources.find(def, caller.organisationId, customerNumber, id);
    if (!row) {
      throw new NotFoundDomainException(`${def.noun} ${id}`);
    }
    return def.toResponse(row);
  }

  async add<T>(
    def: ResourceDefinition<T>,
    caller: RequestCaller,
    customerNumber: number,
    body: object,
  ): Promise<T> {
    const stored = def.onAdd?.(body) ?? body;
    return this.idempotency.transaction(async (manager) => {
      const profile = await this.access.requireForChange(
        caller.organisationId,
        customerNumber,
        'write',
        manager,
      );
      if (def.notForTemporaryProfiles && profile.profileType === 'T') {
        throw new ConflictDomainException(
          `A temporary profile cannot have ${def.noun.toLowerCase()}s; convert it to a permanent profile first`,
        );
      }
      await def.checkWrite?.(manager, stored);
      await this.clearExclusiveFlag(def, manager, caller.organisationId, customerNumber, stored);
      const row = await this.resources.insert(
        def,
        caller.organisationId,
        customerNumber,
        stored,
        this.clock.now(),
        manager,
      );
      await this.audit(manager, caller, {
        operation: `${def.auditName}_ADDED`,
        customerNumber,
        fields: givenFields(stored),
      });
      return def.toResponse(row);
    });
  }

  /**
   * Adds a row to a profile created in the caller's transaction (the bulk import): the same
   * columns and rules as add, no access check and no audit row (the import audits the profile).
   */
  async addWithin<T>(
    def: ResourceDefinition<T>,
    manager: EntityManager,
    organisationId: number,
    customerNumber: number,
    body: object,
  ): Promise<void> {
    const stored = def.onAdd?.(body) ?? body;
    await def.checkWrite?.(manager, stored);
    await this.clearExclusiveFlag(def, manager, organisationId, customerNumber, stored);
    await this.resources.insert(
      def,
      organisationId,
      customerNumber,
      stored,
      this.clock.now(),
      manager,
    );
  }

  async update<T>(
    def: ResourceDefinition<T>,
    caller: RequestCaller,
    customerNumber: number,
    id: number,
    body: object,
  ): Promise<T> {
    return this.dataSource.transaction(async (manager) => {
      await this.access.requireForChange(caller.organisationId, customerNumber, 'write', manager);
      await def.checkWrite?.(manager, body);
      await this.clearExclusiveFlag(def, manager, caller.organisationId, customerNumber, body, id);
      const row = await this.resources.update(
        def,
        caller.organisationId,
        customerNumber,
        id,
        body,
        this.clock.now(),
        manager,
      );
      if (!row) {
        throw new NotFoundDomainException(`${def.noun} ${id}`);
      }
      await this.audit(manager, caller, {
        operation: `${def.auditName}_UPDATED`,
        customerNumber,
        fields: givenFields(body),
      });
      return def.toResponse(row);
    });
  }

  async remove<T>(
    def: ResourceDefinition<T>,
    caller: RequestCaller,
    customerNumber: number,
    id: number,
  ): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      await this.access.requireForChange(caller.organisationId, customerNumber, 'write', manager);
      if (!(await this.resources.delete(def, caller.organisationId, customerNumber, id, manager))) {
        throw new NotFoundDomainException(`${def.noun} ${id}`);
      }
      await this.audit(manager, caller, {
        operation: `${def.auditName}_REMOVED`,
        customerNumber,
        fields: [],
      });
    });
  }

  private audit(
    manager: EntityManager,
    caller: RequestCaller,
    entry: { operation: string; customerNumber: number; fields: string[] },
  ): Promise<void> {
    return this.auditService.record(manager, {
      ...entry,
      organisationId: caller.organisationId,
      clientId: caller.clientId,
      clientName: caller.clientName,
      correlationId: caller.correlationId,
    });
  }

  /** Making one row primary makes the customer's other rows non-primary, in the same transaction. */
  private async clearExclusiveFlag<T>(
    def: ResourceDefinition<T>,
    manager: EntityManager,
    organisationId: number,
    customerNumber: number,
    body: object,
    exceptId?: number,
  ): Promise<void> {
    const flag = def.exclusiveFlag;
    if (flag && (body as Row)[flag.field] === true) {
      await this.resources.clearExclusiveFlag(
        def,
        organisationId,
        customerNumber,
        exceptId,
        manager,
      );
    }
  }
}

/** Field names only: an audit entry never carries values. */
function givenFields(body: object): string[] {
  return Object.entries(body)
    .filter(([, value]) => value !== undefined)
    .map(([field]) => field)
    .sort();
}
