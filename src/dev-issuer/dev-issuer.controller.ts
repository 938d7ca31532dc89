import { Body, Controller, Get, Headers, HttpCode, Post } from '@nestjs/common';
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
import { ValidationDomainException } from '../common/errors/domain.exception';
import { ApiProblemResponses } from '../common/http/api-problem-responses.decorator';
import { DevIssuerService } from './dev-issuer.service';
import { basicCredentials } from './basic-credentials';
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
  token(
    @Body() body: TokenRequestDto,
    @Headers('authorization') authorization?: string,
  ): TokenResponseDto {
    // Client credentials in the body or in HTTP Basic auth, as RFC 6749 2.3.1 allows.
    const basic = basicCredentials(authorization);
    const clientId = basic?.clientId ?? body.client_id;
    const clientSecret = basic?.clientSecret ?? body.client_secret;
    if (!clientId || !clientSecret) {
      throw new ValidationDomainException(
        'client_id and client_secret are required, in the body or in HTTP Basic auth',
        [],
      );
    }
    return this.issuer.issueToken(clientId, clientSecret, body.audience);
  }

  @Get('.well-known/jwks.json')
  jwks() {
    return this.issuer.jwks();
  }
}
