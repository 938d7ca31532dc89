import { OmitType } from '@nestjs/swagger';
import { CreateProfileDto } from '../../dto/create-profile.dto';
import { ProfileResponseDto } from '../../dto/profile-response.dto';
import { SearchProfilesQueryDto } from '../../dto/search-profiles-query.dto';
import { UpdateProfileDto } from '../../dto/update-profile.dto';

/*
 * The v1 contract of profiles: the same fields and rules as v2 (inherited, so there is no second
 * copy of any rule), under v1 names so the v1 document can evolve apart from v2.
 */

/** A customer, as v1 clients read it. */
export class CustomerV1ResponseDto extends ProfileResponseDto {}

export class CreateCustomerV1Dto extends CreateProfileDto {}

export class UpdateCustomerV1Dto extends UpdateProfileDto {}

/** v1 has no paging: its answers carry no Link to a next page. */
export class SearchCustomersV1QueryDto extends OmitType(SearchProfilesQueryDto, [
  'cursor',
  'consistency',
]) {}
