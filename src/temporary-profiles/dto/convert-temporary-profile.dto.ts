import { CreateProfileDto } from '../../profiles/dto/create-profile.dto';

/**
 * The body of a conversion is a permanent profile's create body, validated by the same rules
 * (names, e-mail, password policy); uniqueness is enforced by the database as for a create.
 */
export class ConvertTemporaryProfileDto extends CreateProfileDto {}
