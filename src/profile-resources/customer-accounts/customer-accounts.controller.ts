import { Body, Controller, Param, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { FastifyReply } from 'fastify';
import { AuthContext } from '../../auth/auth-context';
import { CurrentAuth } from '../../auth/decorators/current-auth.decorator';
import { CorrelationId } from '../../common/http/correlation-id.decorator';
import { CustomerNumberPipe, ResourceIdPipe } from '../../common/http/parse-positive-id.pipe';
import { ProfileResourceStore } from '../profile-resource.store';
import {
  AddResource,
  ListResources,
  PROFILE_RESOURCES_BASE,
  RemoveResource,
  UpdateResource,
} from '../resource-routes';
import {
  CUSTOMER_ACCOUNTS,
  CustomerAccountRequestDto,
  CustomerAccountResponseDto,
} from './customer-account.dto';
import { ApiClientHeaders } from '../../common/http/api-client-headers.decorator';

@ApiTags('Profile customer accounts')
@ApiClientHeaders()
@Controller(`${PROFILE_RESOURCES_BASE}/customer-accounts`)
export class CustomerAccountsController {
  constructor(private readonly store: ProfileResourceStore) {}

  @ListResources({
    operationId: 'listCustomerAccounts',
    summary: "List a customer's customer accounts",
    type: CustomerAccountResponseDto,
  })
  list(
    @CurrentAuth() auth: AuthContext,
    @Param('customerNumber', CustomerNumberPipe) customerNumber: number,
  ): Promise<CustomerAccountResponseDto[]> {
    return this.store.list(CUSTOMER_ACCOUNTS, auth, customerNumber);
  }

  @AddResource({
    operationId: 'addCustomerAccount',
    summary: 'Add a customer account to a customer',
    type: CustomerAccountResponseDto,
  })
  async add(
    @CurrentAuth() auth: AuthContext,
    @CorrelationId() correlationId: string,
    @Param('customerNumber', CustomerNumberPipe) customerNumber: number,
    @Body() body: CustomerAccountRequestDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<CustomerAccountResponseDto> {
    const created = await this.store.add(
      CUSTOMER_ACCOUNTS,
      { auth, correlationId },
      customerNumber,
      body,
    );
    void reply.header(
      'location',
      `/customers/v2/profiles/${customerNumber}/customer-accounts/${created.id}`,
    );
    return created;
  }

  @UpdateResource({
    operationId: 'updateCustomerAccount',
    summary: 'Replace a customer account of a customer',
    type: CustomerAccountResponseDto,
  })
  update(
    @CurrentAuth() auth: AuthContext,
    @CorrelationId() correlationId: string,
    @Param('customerNumber', CustomerNumberPipe) customerNumber: number,
    @Param('id', ResourceIdPipe) id: number,
    @Body() body: CustomerAccountRequestDto,
  ): Promise<CustomerAccountResponseDto> {
    return this.store.update(CUSTOMER_ACCOUNTS, { auth, correlationId }, customerNumber, id, body);
  }

  @RemoveResource({
    operationId: 'removeCustomerAccount',
    summary: 'Remove a customer account of a customer',
  })
  remove(
    @CurrentAuth() auth: AuthContext,
    @CorrelationId() correlationId: string,
    @Param('customerNumber', CustomerNumberPipe) customerNumber: number,
    @Param('id', ResourceIdPipe) id: number,
  ): Promise<void> {
    return this.store.remove(CUSTOMER_ACCOUNTS, { auth, correlationId }, customerNumber, id);
  }
}
