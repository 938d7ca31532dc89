import { ApiProperty } from '@nestjs/swagger';
import { Equals, IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';

export class TokenRequestDto {
  @ApiProperty({ example: 'client_credentials' })
  @Equals('client_credentials', { message: 'grant_type must be client_credentials' })
  grant_type: string;

  @ApiProperty({ example: 'demo-1' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  client_id: string;

  @ApiProperty({ example: 'demo-1-secret' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  client_secret: string;

  @ApiProperty({ example: 'https://api.customers.local', required: false })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  audience?: string;
}

export class TokenResponseDto {
  @ApiProperty() access_token: string;
  @ApiProperty({ example: 'Bearer' }) token_type: 'Bearer';
  @ApiProperty({ example: 86400 }) expires_in: number;
}
