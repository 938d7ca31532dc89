import { Body, Controller, HttpCode, Param, Post, Put, Res } from '@nestjs/common';
import {
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import { FastifyReply } from 'fastify';
import { CurrentCaller } from '../auth/decorators/current-caller.decorator';
import { RequestCaller } from '../common/http/request-caller';
import { RequirePermissions } from '../auth/decorators/require-permissions.decorator';
import { Permission } from '../auth/permissions';
import { ApiProblemResponses } from '../common/http/api-problem-responses.decorator';
import { DEACTIVATED_PROFILE_RULE } from '../profiles/profile-lifecycle';
import { CustomerNumberPipe } from '../common/http/parse-positive-id.pipe';
import { ProfileResponseDto } from '../profiles/dto/profile-response.dto';
import { withEtag } from '../profiles/profile.mapper';
import { CredentialsService } from './credentials.service';
import { AuthenticateRequestDto } from './dto/authenticate.dto';
import { ChangePasswordRequestDto } from './dto/change-password.dto';
import { GeneratedPasswordResponseDto } from './dto/generated-password.dto';
import { SIGN_IN_LIMITS } from './sign-in-limiter';
import { ApiClientHeaders } from '../common/http/api-client-headers.decorator';

const { perAccount, perClient } = SIGN_IN_LIMITS;

/** A problem+json answer of this controller's own, beside the token's 401/403/429. */
function ApiCredentialsProblem(status: number, description: string) {
  return ApiResponse({
    status,
    description,
    content: {
      'application/problem+json': { schema: { $ref: '#/components/schemas/ProblemResponseDto' } },
    },
  });
}

@ApiTags('Authentication admin')
@ApiClientHeaders()
@Controller('customers/v2/profiles')
export class CredentialsController {
  constructor(private readonly credentials: CredentialsService) {}

  @Post('authenticate')
  @HttpCode(200)
  @RequirePermissions(Permission.CustomersWrite)
  @ApiOperation({
    operationId: 'authenticateProfile',
    summary: "Verify a customer's e-mail and password",
    description:
      "Finds the customer by e-mail within the token's organisation, checks the password and " +
      'records `lastSignInFrom` and the time. An unknown e-mail, a wrong password, a profile ' +
      'without password and a deactivated profile all answer the same 401. After ' +
      `${perAccount.maxFailures} failures for one e-mail within ${perAccount.windowSeconds / 60} ` +
      `minutes, or ${perClient.maxFailures} failures of one client within ` +
      `${perClient.windowSeconds / 60} minutes, attempts answer 429 with Retry-After; a success ` +
      "resets the e-mail's count. Needs customers:write: it records the sign-in, and read-only " +
      'clients should not be able to test passwords.',
  })
  @ApiOkResponse({ type: ProfileResponseDto, description: 'The signed-in profile' })
  @ApiProblemResponses(400, 415)
  @ApiCredentialsProblem(401, 'Or: the e-mail or password is incorrect (one body for every cause)')
  @ApiCredentialsProblem(429, 'Or: too many failed sign-ins for this e-mail or this client')
  async authenticate(
    @CurrentCaller() caller: RequestCaller,
    @Body() body: AuthenticateRequestDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ProfileResponseDto> {
    const row = await this.credentials.authenticate(caller, body);
    return withEtag(reply, row);
  }

  @Put(':customerNumber/password')
  @HttpCode(204)
  @RequirePermissions(Permission.CustomersWrite, Permission.CustomersAdmin)
  @ApiOperation({
    operationId: 'changeProfilePassword',
    summary: "Set a customer's password",
    description:
      'Policy: 7 to 128 characters (errorCode 600). `currentPassword` is required when the ' +
      'profile already has a password, except for tokens with customers:admin; a wrong one ' +
      'answers 401 and counts against the sign-in limits (429). Temporary profiles cannot have ' +
      'a password (409). ' +
      DEACTIVATED_PROFILE_RULE,
  })
  @ApiParam({ name: 'customerNumber', schema: { type: 'integer', format: 'int64', minimum: 1 } })
  @ApiNoContentResponse({ description: 'Password changed' })
  @ApiProblemResponses(400, 404, 409, 415)
  @ApiCredentialsProblem(401, 'Or: the current password is incorrect')
  @ApiCredentialsProblem(429, 'Or: too many wrong current passwords for this profile or client')
  async changePassword(
    @CurrentCaller() caller: RequestCaller,
    @Param('customerNumber', CustomerNumberPipe) customerNumber: number,
    @Body() body: ChangePasswordRequestDto,
  ): Promise<void> {
    await this.credentials.changePassword(caller, customerNumber, body);
  }

  @Post(':customerNumber/password/generate')
  @HttpCode(200)
  @RequirePermissions(Permission.CustomersWrite, Permission.CustomersAdmin)
  @ApiOperation({
    operationId: 'generateProfilePassword',
    summary: 'Generate a one-time password for a customer',
    description:
      'Replaces the password with a generated one (16 letters and digits, from a CSPRNG; it ' +
      'satisfies the password policy) and answers it once, with Cache-Control: no-store. It is ' +
      'stored only as an argon2id hash, never logged or audited, and cannot be read again; the ' +
      'old password stops working at once. A first password may be generated with ' +
      'customers:write; replacing an existing one needs customers:admin (403 otherwise). Not ' +
      'idempotent: a retry generates another password, and the last one answered is the one ' +
      'that works. Temporary profiles cannot have a password (409). ' +
      DEACTIVATED_PROFILE_RULE,
  })
  @ApiParam({ name: 'customerNumber', schema: { type: 'integer', format: 'int64', minimum: 1 } })
  @ApiOkResponse({
    type: GeneratedPasswordResponseDto,
    description: 'The new password, shown this once',
    headers: {
      'Cache-Control': {
        description: 'Always no-store: the password must not be kept by any cache',
        schema: { type: 'string', enum: ['no-store'] },
      },
    },
  })
  @ApiProblemResponses(400, 404, 409)
  async generatePassword(
    @CurrentCaller() caller: RequestCaller,
    @Param('customerNumber', CustomerNumberPipe) customerNumber: number,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<GeneratedPasswordResponseDto> {
    // Before the work, so an error answer carries it too.
    void reply.header('cache-control', 'no-store');
    const password = await this.credentials.generatePassword(caller, customerNumber);
    return { password };
  }
}
