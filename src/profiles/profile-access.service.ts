import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { NotFoundDomainException } from '../common/errors/domain.exception';
import { Clock } from '../common/clock/clock';
import { assertLifecycleAllows, LifecycleIntent } from './profile-lifecycle';
import { ProfileType } from './profile-row';
import { AccessibleProfile, ProfilesRepository } from './profiles.repository';

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
    private readonly profiles: ProfilesRepository,
    private readonly clock: Clock,
  ) {}

  async require(
    organisationId: number,
    customerNumber: number,
    manager?: EntityManager,
  ): Promise<ProfileRef> {
    const found = await this.profiles.findAccessible(
      organisationId,
      customerNumber,
      this.clock.now(),
      manager,
    );
    return toRef(organisationId, customerNumber, found);
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
    const found = await this.profiles.findAccessible(
      organisationId,
      customerNumber,
      this.clock.now(),
      manager,
      true,
    );
    const profile = toRef(organisationId, customerNumber, found);
    assertLifecycleAllows(profile, intent);
    return profile;
  }
}

function toRef(
  organisationId: number,
  customerNumber: number,
  found: AccessibleProfile | null,
): ProfileRef {
  if (!found) {
    throw new NotFoundDomainException(`Profile ${customerNumber}`);
  }
  return { organisationId, customerNumber, profileType: found.profile_type, status: found.status };
}
