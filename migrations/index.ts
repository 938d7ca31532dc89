import { CreateCoreSchema1764201600000 } from './1764201600000-CreateCoreSchema';

/** Every migration, in order; listed explicitly so the build, the CLI and the tests agree. */
export const MIGRATIONS = [CreateCoreSchema1764201600000];
