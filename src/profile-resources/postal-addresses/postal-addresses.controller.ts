import { ProfileResourceController } from '../profile-resource.controller';
import {
  POSTAL_ADDRESSES,
  PostalAddressRequestDto,
  PostalAddressResponseDto,
} from './postal-address.dto';

export class PostalAddressesController extends ProfileResourceController({
  path: 'postal-addresses',
  tag: 'Profile postal addresses',
  definition: POSTAL_ADDRESSES,
  body: PostalAddressRequestDto,
  response: PostalAddressResponseDto,
  list: { operationId: 'listPostalAddresses', summary: "List a customer's postal addresses" },
  add: { operationId: 'addPostalAddress', summary: 'Add a postal address to a customer' },
  update: {
    operationId: 'updatePostalAddress',
    summary: 'Replace a postal address of a customer',
  },
  remove: { operationId: 'removePostalAddress', summary: 'Remove a postal address of a customer' },
}) {}
