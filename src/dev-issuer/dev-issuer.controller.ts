import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import { RouteConfig } from '@nestjs/platform-fastify';
import {
  ApiConsumes,
  ApiExcludeController,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { Public } from '../auth/decorators/public.decorator';
import { ACCEPTS_FORM_FIELDS } from '../bootstrap/body-parsers';
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
  // OAuth 2.0 clients send form fields (RFC 6749 §4.4.2); JSON is accepted as Auth0 does.
  @RouteConfig(ACCEPTS_FORM_FIELDS)
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
