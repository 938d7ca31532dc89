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
  POSTAL_ADDRESSES,
  PostalAddressRequestDto,
  PostalAddressResponseDto,
} from './postal-address.dto';
import { ApiClientHeaders } from '../../common/http/api-client-headers.decorator';

@ApiTags('Profile postal addresses')
@ApiClientHeaders()
@Controller(`${PROFILE_RESOURCES_BASE}/postal-addresses`)
export class PostalAddressesController {
  constructor(private readonly store: ProfileResourceStore) {}

  @ListResources({
    operationId: 'listPostalAddresses',
    summary: "List a customer's postal addresses",
    type: PostalAddressResponseDto,
  })
  list(
    @CurrentAuth() auth: AuthContext,
    @Param('customerNumber', CustomerNumberPipe) customerNumber: number,
  ): Promise<PostalAddressResponseDto[]> {
    return this.store.list(POSTAL_ADDRESSES, auth, customerNumber);
  }

  @AddResource({
    operationId: 'addPostalAddress',
    summary: 'Add a postal address to a customer',
    type: PostalAddressResponseDto,
  })
  async add(
    @CurrentAuth() auth: AuthContext,
    @CorrelationId() correlationId: string,
    @Param('customerNumber', CustomerNumberPipe) customerNumber: number,
    @Body() body: PostalAddressRequestDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<PostalAddressResponseDto> {
    const created = await this.store.add(
      POSTAL_ADDRESSES,
      { auth, correlationId },
      customerNumber,
      body,
    );
    void reply.header(
      'location',
      `/customers/v2/profiles/${customerNumber}/postal-addresses/${created.id}`,
    );
    return created;
  }

  @UpdateResource({
    operationId: 'updatePostalAddress',
    summary: 'Replace a postal address of a customer',
    type: PostalAddressResponseDto,
  })
  update(
    @CurrentAuth() auth: AuthContext,
    @CorrelationId() correlationId: string,
    @Param('customerNumber', CustomerNumberPipe) customerNumber: number,
    @Param('id', ResourceIdPipe) id: number,
    @Body() body: PostalAddressRequestDto,
  ): Promise<PostalAddressResponseDto> {
    return this.store.update(POSTAL_ADDRESSES, { auth, correlationId }, customerNumber, id, body);
  }

  @RemoveResource({
    operationId: 'removePostalAddress',
    summary: 'Remove a postal address of a customer',
  })
  remove(
    @CurrentAuth() auth: AuthContext,
    @CorrelationId() correlationId: string,
    @Param('customerNumber', CustomerNumberPipe) customerNumber: number,
    @Param('id', ResourceIdPipe) id: number,
  ): Promise<void> {
    return this.store.remove(POSTAL_ADDRESSES, { auth, correlationId }, customerNumber, id);
  }
}
