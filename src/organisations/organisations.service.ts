import { OrganisationStatus } from '../auth/organisation-status';
import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import {
  ConflictDomainException,
  NotFoundDomainException,
} from '../common/errors/domain.exception';
import { AppConfig } from '../config/app-config';
import { Organisation } from './organisation.entity';

/**
 * How long a partner's organisation status is trusted before it is read again. The instance that
 * changes the registry forgets it at once; every other instance within this time.
 */
export const STATUS_CACHE_MS = 5_000;

@Injectable()
export class OrganisationsService implements OnApplicationBootstrap, OrganisationStatus {
  private readonly logger = new Logger(OrganisationsService.name);
  private readonly statusCache = new Map<number, { active: boolean; until: number }>();

  constructor(
    @InjectRepository(Organisation) private readonly organisations: Repository<Organisation>,
    private readonly config: AppConfig,
  ) {}

  /** Registers the configured organisations that are missing; existing ones are left as they are. */
  async onApplicationBootstrap(): Promise<void> {
    for (const { id, name } of this.config.organisations) {
      const result = await this.organisations
        .createQueryBuilder()
        .insert()
        .values({ id, name })
        .orIgnore()
        .execute();
      if (result.raw?.length) {
        this.logger.log(`Registered organisation ${id}`);
      }
    }
  }

  /** Hot path (every partner request): answered from a short-lived cache. */
  async isActive(id: number): Promise<boolean> {
    const cached = this.statusCache.get(id);
    if (cached && cached.until > Date.now()) {
      return cached.active;
    }
    const found = await this.organisations.findOne({
      where: { id },
      select: { id: true, active: true },
    });
    const active = found?.active ?? false;
    this.statusCache.set(id, { active, until: Date.now() + STATUS_CACHE_MS });
    return active;
  }

  list(): Promise<Organisation[]> {
    return this.organisations.find({ order: { id: 'ASC' } });
  }

  async get(id: number): Promise<Organisation> {
    const found = await this.organisations.findOneBy({ id });
    if (!found) {
      throw new NotFoundDomainException(`Organisation ${id}`);
    }
    return found;
  }

  async create(id: number, name: string): Promise<Organisation> {
    const result = await this.organisations
      .createQueryBuilder()
      .insert()
      .values({ id, name })
      .orIgnore()
      .returning('*')
      .execute();
    if (!result.raw?.length) {
      throw new ConflictDomainException(`Organisation ${id} already exists`);
    }
    this.statusCache.delete(id);
    return this.get(id);
  }

  async update(id: number, changes: { name?: string; active?: boolean }): Promise<Organisation> {
    const result = await this.organisations.update({ id }, { ...changes, changedAt: new Date() });
    if (!result.affected) {
      throw new NotFoundDomainException(`Organisation ${id}`);
    }
    this.statusCache.delete(id);
    return this.get(id);
  }
}
