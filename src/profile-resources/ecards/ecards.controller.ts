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
import { ECARDS, EcardRequestDto, EcardResponseDto } from './ecard.dto';
import { ApiClientHeaders } from '../../common/http/api-client-headers.decorator';

@ApiTags('Profile ecards')
@ApiClientHeaders()
@Controller(`${PROFILE_RESOURCES_BASE}/ecards`)
export class EcardsController {
  constructor(private readonly store: ProfileResourceStore) {}

  @ListResources({
    operationId: 'listEcards',
    summary: "List a customer's ecards",
    type: EcardResponseDto,
  })
  list(
    @CurrentAuth() auth: AuthContext,
    @Param('customerNumber', CustomerNumberPipe) customerNumber: number,
  ): Promise<EcardResponseDto[]> {
    return this.store.list(ECARDS, auth, customerNumber);
  }

  @AddResource({
    operationId: 'addEcard',
    summary: 'Add an ecard to a customer',
    description:
      'A temporary profile cannot have ecards: 409 until it is converted to a permanent profile.',
    type: EcardResponseDto,
  })
  async add(
    @CurrentAuth() auth: AuthContext,
    @CorrelationId() correlationId: string,
    @Param('customerNumber', CustomerNumberPipe) customerNumber: number,
    @Body() body: EcardRequestDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<EcardResponseDto> {
    const created = await this.store.add(ECARDS, { auth, correlationId }, customerNumber, body);
    void reply.header('location', `/customers/v2/profiles/${customerNumber}/ecards/${created.id}`);
    return created;
  }

  @UpdateResource({
    operationId: 'updateEcard',
    summary: 'Replace an ecard of a customer',
    type: EcardResponseDto,
  })
  update(
    @CurrentAuth() auth: AuthContext,
    @CorrelationId() correlationId: string,
    @Param('customerNumber', CustomerNumberPipe) customerNumber: number,
    @Param('id', ResourceIdPipe) id: number,
    @Body() body: EcardRequestDto,
  ): Promise<EcardResponseDto> {
    return this.store.update(ECARDS, { auth, correlationId }, customerNumber, id, body);
  }

  @RemoveResource({
    operationId: 'removeEcard',
    summary: 'Remove an ecard of a customer',
  })
  remove(
    @CurrentAuth() auth: AuthContext,
    @CorrelationId() correlationId: string,
    @Param('customerNumber', CustomerNumberPipe) customerNumber: number,
    @Param('id', ResourceIdPipe) id: number,
  ): Promise<void> {
    return this.store.remove(ECARDS, { auth, correlationId }, customerNumber, id);
  }
}
