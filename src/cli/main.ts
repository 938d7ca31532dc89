import 'reflect-metadata';
import { CommandFactory } from 'nest-commander';
import { configOrExit } from '../config/app-config';
import { CliError } from './cli-output';
import { CliModule } from './cli.module';

/**
 * `npm run cli -- <command>` (in the image: `node dist/src/cli/main.js <command>`): administration
 * on the configured database. Exit codes: 0 done, 1 refused (usage, bad argument, unknown id,
 * conflict), 2 invalid configuration, 3 unexpected failure.
 */
async function main(): Promise<void> {
  const config = configOrExit(2);
  await CommandFactory.run(CliModule.forConfig(config), {
    cliName: 'npm run cli --',
    logger: ['error'],
    // Unknown command or option: commander has printed why; --help exits 0.
    errorHandler: (error) => {
      process.exit((error as { exitCode?: number }).exitCode === 0 ? 0 : 1);
    },
    serviceErrorHandler: (error) => {
      process.stderr.write(`${error.message}\n`);
      process.exitCode = error instanceof CliError ? 1 : 3;
    },
  });
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(3);
});
