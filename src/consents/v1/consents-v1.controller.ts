import { Body, Controller, Get, Param, Put } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentCaller } from '../../auth/decorators/current-caller.decorator';
import { RequirePermissions } from '../../auth/decorators/require-permissions.decorator';
import { Permission } from '../../auth/permissions';
import { ApiProblemResponses } from '../../common/http/api-problem-responses.decorator';
import { DEPRECATION_RESPONSE_HEADERS, DeprecatedRoute } from '../../common/http/deprecation';
import { RequestCaller } from '../../common/http/request-caller';
import { changedByOf } from '../consent.model';
import { GivenConsentsService } from '../given/given-consents.service';
import { DEACTIVATED_PROFILE_RULE } from '../../profiles/profile-lifecycle';
import { CustomerNumberPipe } from '../../common/http/parse-positive-id.pipe';
import { fromLegacyChoice, toCustomerConsentV1 } from './consents-v1.mapper';
import { CustomerConsentV1Dto, PutCustomerConsentV1Dto } from './dto/customer-consent.dto';
import { ApiClientHeaders } from '../../common/http/api-client-headers.decorator';

/**
 * The legacy consents model, served at both of its historical bases, as a thin adapter over the v2
 * store: a v1 write is a given consent of the organisation's current consent for the code.
 */
@ApiTags('Legacy consents (deprecated)')
@ApiClientHeaders()
@Controller(['customers/v2/consents/v1/customers', 'customers/v1/consents/customers'])
export class ConsentsV1Controller {
  constructor(private readonly givenConsents: GivenConsentsService) {}

  @Get(':customerNumber')
  @RequirePermissions(Permission.ConsentsRead)
  @DeprecatedRoute('/customers/v2/consents/given-consents?customerNumber=:customerNumber')
  @ApiOperation({
    summary: "A customer's consent choices, one per consent code (deprecated)",
    description: 'Use GET /customers/v2/consents/given-consents?customerNumber=… instead.',
    operationId: 'getCustomerConsentsV1',
    deprecated: true,
  })
  @ApiOkResponse({ type: [CustomerConsentV1Dto], headers: DEPRECATION_RESPONSE_HEADERS })
  @ApiProblemResponses(400, 404)
  async list(
    @CurrentCaller() caller: RequestCaller,
    @Param('customerNumber', CustomerNumberPipe) customerNumber: number,
  ): Promise<CustomerConsentV1Dto[]> {
    const choices = await this.givenConsents.latestChoicesByCode(caller, customerNumber);
    return choices.map(toCustomerConsentV1);
  }

  @Put(':customerNumber/:consentCode')
  @RequirePermissions(Permission.ConsentsWrite)
  @DeprecatedRoute('/customers/v2/consents/given-consents')
  @ApiOperation({
    summary: "Set a customer's choice for a consent code (deprecated)",
    description:
      "Answers the organisation's current consent for the code (404 if it has none). " +
      'Use POST/PATCH /customers/v2/consents/given-consents instead. ' +
      DEACTIVATED_PROFILE_RULE,
    operationId: 'putCustomerConsentV1',
    deprecated: true,
  })
  @ApiOkResponse({ type: CustomerConsentV1Dto, headers: DEPRECATION_RESPONSE_HEADERS })
  @ApiProblemResponses(400, 404, 409)
  async put(
    @CurrentCaller() caller: RequestCaller,
    @Param('customerNumber', CustomerNumberPipe) customerNumber: number,
    @Param('consentCode') consentCode: string,
    @Body() body: PutCustomerConsentV1Dto,
  ): Promise<CustomerConsentV1Dto> {
    const given = await this.givenConsents.setChoiceForCode(
      caller,
      customerNumber,
      consentCode,
      fromLegacyChoice(body.consentChoice),
      changedByOf(body),
    );
    return toCustomerConsentV1(given);
  }
}
