import { ProfileResourceController } from '../profile-resource.controller';
import {
  CUSTOMER_ACCOUNTS,
  CustomerAccountRequestDto,
  CustomerAccountResponseDto,
} from './customer-account.dto';

export class CustomerAccountsController extends ProfileResourceController({
  path: 'customer-accounts',
  tag: 'Profile customer accounts',
  definition: CUSTOMER_ACCOUNTS,
  body: CustomerAccountRequestDto,
  response: CustomerAccountResponseDto,
  list: { operationId: 'listCustomerAccounts', summary: "List a customer's customer accounts" },
  add: { operationId: 'addCustomerAccount', summary: 'Add a customer account to a customer' },
  update: {
    operationId: 'updateCustomerAccount',
    summary: 'Replace a customer account of a customer',
  },
  remove: {
    operationId: 'removeCustomerAccount',
    summary: 'Remove a customer account of a customer',
  },
}) {}
