import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { NotFoundDomainException } from '../common/errors/domain.exception';
import { Clock } from '../common/clock/clock';
import { ProfileType } from './profile.entity';

export interface ProfileRef {
  organisationId: number;
  customerNumber: number;
  profileType: ProfileType;
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
    const rows: { profile_type: ProfileType }[] = await manager.query(
      `SELECT profile_type FROM profiles
        WHERE organisation_id = $1 AND customer_number = $2
          AND (expires_at IS NULL OR expires_at > $3)`,
      [organisationId, customerNumber, this.clock.now()],
    );
    if (!rows.length) {
      throw new NotFoundDomainException(`Profile ${customerNumber}`);
    }
    return { organisationId, customerNumber, profileType: rows[0].profile_type };
  }
}
