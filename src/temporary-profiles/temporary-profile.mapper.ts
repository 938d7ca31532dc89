import { toProfileResponse } from '../profiles/profile.mapper';
import { ProfileRow } from '../profiles/profile-row';
import { TemporaryProfileResponseDto } from './dto/temporary-profile-response.dto';

/** A temporary profile's response: the profile's, without what only permanent profiles have. */
export function toTemporaryProfileResponse(row: ProfileRow): TemporaryProfileResponseDto {
  const profile = toProfileResponse(row);
  return {
    customerNumber: profile.customerNumber,
    uuid: profile.uuid,
    organisationId: profile.organisationId,
    customerRef: profile.customerRef,
    status: profile.status,
    profileType: profile.profileType,
    expirationDate: profile.expirationDate!,
    firstName: profile.firstName,
    surname: profile.surname,
    email: profile.email,
    countryCode: profile.countryCode,
    telephoneNumberNoCountryCode: profile.telephoneNumberNoCountryCode,
    telephoneNumber: profile.telephoneNumber,
    landlineNumber: profile.landlineNumber,
    dateOfBirth: profile.dateOfBirth,
    languagePreference: profile.languagePreference,
    version: profile.version,
    createdAt: profile.createdAt,
    createdBy: profile.createdBy,
    createdByChannel: profile.createdByChannel,
    changedAt: profile.changedAt,
    changedBy: profile.changedBy,
    changedByChannel: profile.changedByChannel,
  };
}
