import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '../../audit/audit.service';
import { Clock } from '../../common/clock/clock';
import {
  ConflictDomainException,
  NotFoundDomainException,
} from '../../common/errors/domain.exception';
import { assertVersion } from '../../profiles/if-match';
import { RequestCaller } from '../../common/http/request-caller';
import {
  PreferenceDefinition,
  PreferenceDefinitionFields,
  PreferenceDefinitionsRepository,
} from './preference-definitions.repository';

export const DEFINITION = 'preference definition';

/**
 * The preference catalogue (Entur's "Preferences admin"): definitions that administrators manage
 * and partners read. A customer's preference may carry any code; a code the catalogue holds as
 * inactive is refused on write, a code it does not hold is an organisation's own preference.
 */
@Injectable()
export class PreferenceCatalogueService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly repository: PreferenceDefinitionsRepository,
    private readonly clock: Clock,
    private readonly auditService: AuditService,
  ) {}

  list(isActive?: boolean): Promise<PreferenceDefinition[]> {
    return this.repository.list(this.dataSource.manager, isActive);
  }

  async get(id: number): Promise<PreferenceDefinition> {
    return this.require(this.dataSource.manager, id);
  }

  /** A taken preferenceCode answers 409, also for two creates at once (the unique constraint). */
  create(caller: RequestCaller, fields: PreferenceDefinitionFields): Promise<PreferenceDefinition> {
    return this.dataSource.transaction(async (m) => {
      const created = await this.repository.insert(m, fields, this.clock.now());
      await this.audit(m, caller, 'PREFERENCE_DEFINITION_CREATED', Object.keys(fields));
      return created;
    });
  }

  /** Sets every field; the code of a definition in use cannot change (409). */
  replace(
    caller: RequestCaller,
    id: number,
    fields: PreferenceDefinitionFields,
    expectedVersion?: number,
  ): Promise<PreferenceDefinition> {
    return this.dataSource.transaction(async (m) => {
      const current = await this.require(m, id, true);
      assertVersion(expectedVersion, current.version, DEFINITION);
      if (
        fields.preferenceCode !== current.preferenceCode &&
        (await this.repository.isCodeInUse(m, current.preferenceCode))
      ) {
        throw new ConflictDomainException(
          `Preference definition ${id} is in use by customers' preferences, so its preferenceCode ` +
            `${current.preferenceCode} cannot change; add a new definition and set this one's isActive to false`,
          {
            errorCode: undefined,
            errors: [{ field: 'preferenceCode', message: 'The code is in use and cannot change' }],
          },
        );
      }
      const replaced = await this.repository.replace(m, id, fields, this.clock.now());
      await this.audit(m, caller, 'PREFERENCE_DEFINITION_REPLACED', Object.keys(fields));
      return replaced;
    });
  }

  /** A definition that customers' preferences use is not deleted (409): deactivate it instead. */
  async remove(caller: RequestCaller, id: number, expectedVersion?: number): Promise<void> {
    await this.dataSource.transaction(async (m) => {
      const current = await this.require(m, id, true);
      assertVersion(expectedVersion, current.version, DEFINITION);
      if (await this.repository.isCodeInUse(m, current.preferenceCode)) {
        throw new ConflictDomainException(
          `Preference definition ${id} (${current.preferenceCode}) is in use by customers' ` +
            'preferences and is not deleted; set its isActive to false instead',
        );
      }
      await this.repository.delete(m, id);
      await this.audit(m, caller, 'PREFERENCE_DEFINITION_DELETED', []);
    });
  }

  /**
   * Refuses a customer's preference written with a code the catalogue holds as inactive. Runs in
   * the write's transaction and share-locks the definition until it commits.
   */
  async assertCodeWritable(m: EntityManager, preferenceCode: string): Promise<void> {
    const definition = await this.repository.findByCodeForShare(m, preferenceCode);
    if (definition && !definition.isActive) {
      const message = `preferenceCode ${preferenceCode} is inactive in the preference catalogue`;
      throw new ConflictDomainException(
        `${message}; a customer's preference cannot be written with it`,
        { errorCode: undefined, errors: [{ field: 'preferenceCode', message }] },
      );
    }
  }

  private async require(
    m: EntityManager,
    id: number,
    forUpdate = false,
  ): Promise<PreferenceDefinition> {
    const definition = await this.repository.findById(m, id, forUpdate);
    if (!definition) {
      throw new NotFoundDomainException(`Preference definition ${id}`);
    }
    return definition;
  }

  /** Catalogue changes are platform changes: no customer, the administrator's organisation. */
  private audit(m: EntityManager, caller: RequestCaller, operation: string, fields: string[]) {
    return this.auditService.record(m, {
      organisationId: caller.organisationId,
      customerNumber: null,
      operation,
      fields,
      clientId: caller.clientId,
      clientName: caller.clientName,
      correlationId: caller.correlationId,
    });
  }
}
