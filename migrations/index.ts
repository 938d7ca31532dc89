import { CreateCoreSchema1764201600000 } from './1764201600000-CreateCoreSchema';
import { CreateConsents1764230400000 } from './1764230400000-CreateConsents';
import { CreateProfileResources1795750978702 } from './1795750978702-CreateProfileResources';
import { AddEmailStatistics1795800000000 } from './1795800000000-AddEmailStatistics';
import { StoreIdempotentResponseBytes1796100000000 } from './1796100000000-StoreIdempotentResponseBytes';
import { NormaliseStoredEmails1796100000001 } from './1796100000001-NormaliseStoredEmails';
import { AddContactSearchIndexes1796200000000 } from './1796200000000-AddContactSearchIndexes';
import { NormalisePhoneNumbers1796200000001 } from './1796200000001-NormalisePhoneNumbers';
import { CreateProfileNotes1796400000000 } from './1796400000000-CreateProfileNotes';
import { CreatePreferenceDefinitions1796500000000 } from './1796500000000-CreatePreferenceDefinitions';
import { EnableTrigramSimilarity1796700000000 } from './1796700000000-EnableTrigramSimilarity';
import { CreateImportJobs1796800000000 } from './1796800000000-CreateImportJobs';
import { CreateEventOutbox1796900000000 } from './1796900000000-CreateEventOutbox';
import { CreateWebhooks1797000000000 } from './1797000000000-CreateWebhooks';
import { CreateScheduledRuns1797100000000 } from './1797100000000-CreateScheduledRuns';
import { UniqueWebhookUrls1797200000000 } from './1797200000000-UniqueWebhookUrls';

/** Every migration, in order; listed explicitly so the build, the CLI and the tests agree. */
export const MIGRATIONS = [
  CreateCoreSchema1764201600000,
  CreateConsents1764230400000,
  CreateProfileResources1795750978702,
  AddEmailStatistics1795800000000,
  StoreIdempotentResponseBytes1796100000000,
  NormaliseStoredEmails1796100000001,
  AddContactSearchIndexes1796200000000,
  NormalisePhoneNumbers1796200000001,
  CreateProfileNotes1796400000000,
  CreatePreferenceDefinitions1796500000000,
  EnableTrigramSimilarity1796700000000,
  CreateImportJobs1796800000000,
  CreateEventOutbox1796900000000,
  CreateWebhooks1797000000000,
  CreateScheduledRuns1797100000000,
  UniqueWebhookUrls1797200000000,
];
