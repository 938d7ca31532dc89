import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { NotFoundDomainException } from '../common/errors/domain.exception';
import { Clock } from '../common/clock/clock';
import { assertLifecycleAllows, LifecycleIntent } from './profile-lifecycle';
import { ProfileType } from './profile.entity';

export interface ProfileRef {
  organisationId: number;
  customerNumber: number;
  profileType: ProfileType;
  status: string;
}

/**
 * The one check every per-customer route makes: the profile exists in the caller's organisation
 * and, if temporary, has not expired. Anything else answers the same 404, so another
 * organisation's customers and expired ones are indistinguishable from missing ones.
 */
@Injectable()
export class ProfileAccessService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: Clock,
  ) {}

  async require(
    organisationId: number,
    customerNumber: number,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<ProfileRef> {
    return this.find(organisationId, customerNumber, manager, '');
  }

  /**
   * As {@link require}, for a write in `manager`'s transaction: the profile's lifecycle must allow
   * it (a deactivated profile takes only opt-outs), and the row is share-locked so a concurrent
   * deactivation waits for this write instead of slipping between the check and the write.
   */
  async requireForChange(
    organisationId: number,
    customerNumber: number,
    intent: LifecycleIntent,
    manager: EntityManager,
  ): Promise<ProfileRef> {
    const profile = await this.find(organisationId, customerNumber, manager, 'FOR SHARE');
    assertLifecycleAllows(profile, intent);
    return profile;
  }

  private async find(
    organisationId: number,
    customerNumber: number,
    manager: EntityManager,
    lock: '' | 'FOR SHARE',
  ): Promise<ProfileRef> {
    const rows: { profile_type: ProfileType; status: string }[] = await manager.query(
      `SELECT profile_type, status FROM profiles
        WHERE organisation_id = $1 AND customer_number = $2
          AND (expires_at IS NULL OR expires_at > $3) ${lock}`,
      [organisationId, customerNumber, this.clock.now()],
    );
    if (!rows.length) {
      throw new NotFoundDomainException(`Profile ${customerNumber}`);
    }
    return {
      organisationId,
      customerNumber,
      profileType: rows[0].profile_type,
      status: rows[0].status,
    };
  }
}
