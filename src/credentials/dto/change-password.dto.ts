import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';
import {
  IsPassword,
  PASSWORD_MAX_LENGTH,
  PASSWORD_MIN_LENGTH,
} from '../../passwords/password-policy';

export class ChangePasswordRequestDto {
  @ApiProperty({
    example: 'abcD123',
    format: 'password',
    minLength: PASSWORD_MIN_LENGTH,
    maxLength: PASSWORD_MAX_LENGTH,
    description: `${PASSWORD_MIN_LENGTH} to ${PASSWORD_MAX_LENGTH} characters; a breach answers errorCode 600`,
  })
  @IsPassword()
  newPassword: string;

  @ApiPropertyOptional({
    format: 'password',
    maxLength: PASSWORD_MAX_LENGTH,
    description:
      'Required when the profile has a password, unless the token has customers:admin; a wrong one answers 401',
  })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(PASSWORD_MAX_LENGTH)
  currentPassword?: string;
}
