import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import {
  ApiConsumes,
  ApiExcludeController,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { Public } from '../auth/decorators/public.decorator';
import { ApiProblemResponses } from '../common/http/api-problem-responses.decorator';
import { DevIssuerService } from './dev-issuer.service';
import { TokenRequestDto, TokenResponseDto } from './dto/token-request.dto';

@ApiTags('Development token issuer')
@ApiExcludeController()
@Public()
@Controller()
export class DevIssuerController {
  constructor(private readonly issuer: DevIssuerService) {}

  @Post('oauth/token')
  @HttpCode(200)
  @ApiOperation({ summary: 'Client-credentials token (development issuer only)' })
  @ApiConsumes('application/json', 'application/x-www-form-urlencoded')
  @ApiOkResponse({ type: TokenResponseDto })
  @ApiProblemResponses(400, 401)
  token(@Body() body: TokenRequestDto): TokenResponseDto {
    return this.issuer.issueToken(body.client_id, body.client_secret, body.audience);
  }

  @Get('.well-known/jwks.json')
  jwks() {
    return this.issuer.jwks();
  }
}
