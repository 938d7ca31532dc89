import { ApiProperty } from '@nestjs/swagger';
import { GENERATED_PASSWORD_LENGTH } from '../password-generator';

export class GeneratedPasswordResponseDto {
  @ApiProperty({
    example: 'k7Qm2xRtpW9eHs4a',
    format: 'password',
    minLength: GENERATED_PASSWORD_LENGTH,
    maxLength: GENERATED_PASSWORD_LENGTH,
    description:
      'The new one-time password: shown only in this answer and stored only as an argon2id hash',
  })
  password: string;
}
