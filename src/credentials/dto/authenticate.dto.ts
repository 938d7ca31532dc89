import { ApiProperty } from '@nestjs/swagger';
import { IsNotEmpty, IsString, MaxLength } from 'class-validator';
import { PASSWORD_MAX_LENGTH } from '../../passwords/password-policy';

export class AuthenticateRequestDto {
  @ApiProperty({ example: 'kari.nordmann@example.com', maxLength: 80, description: 'Login e-mail' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(254)
  email: string;

  @ApiProperty({ example: 'abcD123', format: 'password', maxLength: PASSWORD_MAX_LENGTH })
  @IsString()
  @IsNotEmpty()
  @MaxLength(PASSWORD_MAX_LENGTH)
  password: string;

  @ApiProperty({
    example: 'app',
    maxLength: 100,
    description: 'Where the customer signs in (web, app, ...); kept on the profile',
  })
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  lastSignInFrom: string;
}
