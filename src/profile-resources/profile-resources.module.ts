import { Module } from '@nestjs/common';
import { ProfilesModule } from '../profiles/profiles.module';
import { CustomerAccountsController } from './customer-accounts/customer-accounts.controller';
import { EcardsController } from './ecards/ecards.controller';
import { LoyaltyProgramsController } from './loyalty-programs/loyalty-programs.controller';
import { NotesController } from './notes/notes.controller';
import { PostalAddressesController } from './postal-addresses/postal-addresses.controller';
import { PreferenceCatalogueService } from './preferences/preference-catalogue.service';
import { PreferenceDefinitionsController } from './preferences/preference-definitions.controller';
import { PreferenceDefinitionsRepository } from './preferences/preference-definitions.repository';
import { PreferencesController } from './preferences/preferences.controller';
import { ProfileResourceStore } from './profile-resource.store';
import { ProfileResourcesRepository } from './profile-resources.repository';

/**
 * A profile's postal addresses, preferences, ecards, loyalty programs, customer accounts and
 * notes, and the preference catalogue that customers' preferences are checked against.
 */
@Module({
  imports: [ProfilesModule],
  controllers: [
    PostalAddressesController,
    PreferencesController,
    EcardsController,
    LoyaltyProgramsController,
    CustomerAccountsController,
    PreferenceDefinitionsController,
    NotesController,
  ],
  providers: [
    ProfileResourceStore,
    ProfileResourcesRepository,
    PreferenceCatalogueService,
    PreferenceDefinitionsRepository,
  ],
  exports: [ProfileResourceStore, ProfileResourcesRepository, PreferenceCatalogueService],
})
export class ProfileResourcesModule {}
