import { Body, Controller, Param, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { FastifyReply } from 'fastify';
import { AuthContext } from '../../auth/auth-context';
import { CurrentAuth } from '../../auth/decorators/current-auth.decorator';
import { CorrelationId } from '../../common/http/correlation-id.decorator';
import { CustomerNumberPipe, ResourceIdPipe } from '../../common/http/parse-positive-id.pipe';
import { ProfileResourceStore, ResourceDefinition } from '../profile-resource.store';
import {
  AddResource,
  ListResources,
  PROFILE_RESOURCES_BASE,
  RemoveResource,
  UpdateResource,
} from '../resource-routes';
import { PREFERENCES, PreferenceRequestDto, PreferenceResponseDto } from './preference.dto';
import { ApiClientHeaders } from '../../common/http/api-client-headers.decorator';
import { PreferenceCatalogueService } from './preference-catalogue.service';

const CATALOGUE_RULE =
  'The preferenceCode may be any code: one that the preference catalogue ' +
  '(/customers/v2/preferences) holds as inactive is refused with 409; one it does not hold is ' +
  "the organisation's own preference and is accepted.";

@ApiTags('Profile preferences')
@ApiClientHeaders()
@Controller(`${PROFILE_RESOURCES_BASE}/preferences`)
export class PreferencesController {
  /** The customer's preferences, written only with codes the catalogue has not retired. */
  private readonly preferences: ResourceDefinition<PreferenceResponseDto>;

  constructor(
    private readonly store: ProfileResourceStore,
    catalogue: PreferenceCatalogueService,
  ) {
    this.preferences = {
      ...PREFERENCES,
      checkWrite: (manager, body) =>
        catalogue.assertCodeWritable(manager, (body as PreferenceRequestDto).preferenceCode),
    };
  }

  @ListResources({
    operationId: 'listPreferences',
    summary: "List a customer's preferences",
    type: PreferenceResponseDto,
  })
  list(
    @CurrentAuth() auth: AuthContext,
    @Param('customerNumber', CustomerNumberPipe) customerNumber: number,
  ): Promise<PreferenceResponseDto[]> {
    return this.store.list(PREFERENCES, auth, customerNumber);
  }

  @AddResource({
    operationId: 'addPreference',
    summary: 'Add a preference to a customer',
    description: CATALOGUE_RULE,
    type: PreferenceResponseDto,
  })
  async add(
    @CurrentAuth() auth: AuthContext,
    @CorrelationId() correlationId: string,
    @Param('customerNumber', CustomerNumberPipe) customerNumber: number,
    @Body() body: PreferenceRequestDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<PreferenceResponseDto> {
    const created = await this.store.add(
      this.preferences,
      { auth, correlationId },
      customerNumber,
      body,
    );
    void reply.header(
      'location',
      `/customers/v2/profiles/${customerNumber}/preferences/${created.id}`,
    );
    return created;
  }

  @UpdateResource({
    operationId: 'updatePreference',
    summary: 'Replace a preference of a customer',
    description: CATALOGUE_RULE,
    type: PreferenceResponseDto,
  })
  update(
    @CurrentAuth() auth: AuthContext,
    @CorrelationId() correlationId: string,
    @Param('customerNumber', CustomerNumberPipe) customerNumber: number,
    @Param('id', ResourceIdPipe) id: number,
    @Body() body: PreferenceRequestDto,
  ): Promise<PreferenceResponseDto> {
    return this.store.update(this.preferences, { auth, correlationId }, customerNumber, id, body);
  }

  @RemoveResource({
    operationId: 'removePreference',
    summary: 'Remove a preference of a customer',
  })
  remove(
    @CurrentAuth() auth: AuthContext,
    @CorrelationId() correlationId: string,
    @Param('customerNumber', CustomerNumberPipe) customerNumber: number,
    @Param('id', ResourceIdPipe) id: number,
  ): Promise<void> {
    return this.store.remove(PREFERENCES, { auth, correlationId }, customerNumber, id);
  }
}
