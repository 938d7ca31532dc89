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
  LOYALTY_PROGRAMS,
  LoyaltyProgramRequestDto,
  LoyaltyProgramResponseDto,
} from './loyalty-program.dto';
import { ApiClientHeaders } from '../../common/http/api-client-headers.decorator';

@ApiTags('Profile loyalty programs')
@ApiClientHeaders()
@Controller(`${PROFILE_RESOURCES_BASE}/loyalty-programs`)
export class LoyaltyProgramsController {
  constructor(private readonly store: ProfileResourceStore) {}

  @ListResources({
    operationId: 'listLoyaltyPrograms',
    summary: "List a customer's loyalty programs",
    type: LoyaltyProgramResponseDto,
  })
  list(
    @CurrentAuth() auth: AuthContext,
    @Param('customerNumber', CustomerNumberPipe) customerNumber: number,
  ): Promise<LoyaltyProgramResponseDto[]> {
    return this.store.list(LOYALTY_PROGRAMS, auth, customerNumber);
  }

  @AddResource({
    operationId: 'addLoyaltyProgram',
    summary: 'Add a loyalty program to a customer',
    description:
      'A temporary profile cannot have loyalty programs: 409 until it is converted to a permanent profile.',
    type: LoyaltyProgramResponseDto,
  })
  async add(
    @CurrentAuth() auth: AuthContext,
    @CorrelationId() correlationId: string,
    @Param('customerNumber', CustomerNumberPipe) customerNumber: number,
    @Body() body: LoyaltyProgramRequestDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<LoyaltyProgramResponseDto> {
    const created = await this.store.add(
      LOYALTY_PROGRAMS,
      { auth, correlationId },
      customerNumber,
      body,
    );
    void reply.header(
      'location',
      `/customers/v2/profiles/${customerNumber}/loyalty-programs/${created.id}`,
    );
    return created;
  }

  @UpdateResource({
    operationId: 'updateLoyaltyProgram',
    summary: 'Replace a loyalty program of a customer',
    type: LoyaltyProgramResponseDto,
  })
  update(
    @CurrentAuth() auth: AuthContext,
    @CorrelationId() correlationId: string,
    @Param('customerNumber', CustomerNumberPipe) customerNumber: number,
    @Param('id', ResourceIdPipe) id: number,
    @Body() body: LoyaltyProgramRequestDto,
  ): Promise<LoyaltyProgramResponseDto> {
    return this.store.update(LOYALTY_PROGRAMS, { auth, correlationId }, customerNumber, id, body);
  }

  @RemoveResource({
    operationId: 'removeLoyaltyProgram',
    summary: 'Remove a loyalty program of a customer',
  })
  remove(
    @CurrentAuth() auth: AuthContext,
    @CorrelationId() correlationId: string,
    @Param('customerNumber', CustomerNumberPipe) customerNumber: number,
    @Param('id', ResourceIdPipe) id: number,
  ): Promise<void> {
    return this.store.remove(LOYALTY_PROGRAMS, { auth, correlationId }, customerNumber, id);
  }
}
