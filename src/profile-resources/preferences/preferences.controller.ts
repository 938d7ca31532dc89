import { Inject } from '@nestjs/common';
import { ProfileResourceController } from '../profile-resource.controller';
import { ProfileResourceStore } from '../profile-resource.store';
import { PreferenceCatalogueService } from './preference-catalogue.service';
import { PREFERENCES, PreferenceRequestDto, PreferenceResponseDto } from './preference.dto';

const CATALOGUE_RULE =
  'The preferenceCode may be any code: one that the preference catalogue ' +
  '(/customers/v2/preferences) holds as inactive is refused with 409; one it does not hold is ' +
  "the organisation's own preference and is accepted.";

export class PreferencesController extends ProfileResourceController({
  path: 'preferences',
  tag: 'Profile preferences',
  definition: PREFERENCES,
  body: PreferenceRequestDto,
  response: PreferenceResponseDto,
  list: { operationId: 'listPreferences', summary: "List a customer's preferences" },
  add: {
    operationId: 'addPreference',
    summary: 'Add a preference to a customer',
    description: CATALOGUE_RULE,
  },
  update: {
    operationId: 'updatePreference',
    summary: 'Replace a preference of a customer',
    description: CATALOGUE_RULE,
  },
  remove: { operationId: 'removePreference', summary: 'Remove a preference of a customer' },
}) {
  // @Inject declares the parameters to Nest: this class has no decorator of its own.
  constructor(
    @Inject(ProfileResourceStore) store: ProfileResourceStore,
    @Inject(PreferenceCatalogueService) catalogue: PreferenceCatalogueService,
  ) {
    super(store);
    // A customer's preference is written only with a code the catalogue has not retired.
    this.definition = {
      ...PREFERENCES,
      checkWrite: (manager, body) =>
        catalogue.assertCodeWritable(manager, (body as PreferenceRequestDto).preferenceCode),
    };
  }
}
