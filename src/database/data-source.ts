import { cliDataSource } from './cli-data-source';

/**
 * The TypeORM CLI's data source (`npm run migration:show`, `migration:revert`): compiled to
 * dist/src/database/data-source.js, so the built image runs the CLI without a build. Importing it
 * opens the database; nothing else imports it.
 */
export const dataSource = cliDataSource();
