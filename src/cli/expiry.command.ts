import { Presets, SingleBar } from 'cli-progress';
import { Command, CommandRunner, SubCommand } from 'nest-commander';
import { DataSource } from 'typeorm';
import { ExpiryService } from '../expiry/expiry.service';
import { CliError, CliOutput } from './cli-output';

@SubCommand({
  name: 'run-now',
  description: 'Delete now the expired temporary profiles and the deactivated ones due for purge',
})
export class ExpiryRunNowCommand extends CommandRunner {
  constructor(
    private readonly expiry: ExpiryService,
    private readonly dataSource: DataSource,
    private readonly out: CliOutput,
  ) {
    super();
  }

  async run(): Promise<void> {
    const now = new Date();
    const due = await this.expiry.countDue(this.dataSource.manager, now);
    const total = due.temporary + due.deactivated;
    // A bar on a terminal only: in a pipe or a log it would be noise.
    const bar = process.stderr.isTTY
      ? new SingleBar(
          { format: 'purging {bar} {value}/{total} profiles', stream: process.stderr },
          Presets.shades_classic,
        )
      : undefined;
    bar?.start(total, 0);
    const result = await this.expiry
      .expireDue(now, { onBatch: (_kind, deleted) => bar?.increment(deleted) })
      .finally(() => bar?.stop());
    if (!result.ran) {
      throw new CliError('Another instance is running the expiry job right now; try again later');
    }
    this.out.line(
      `Deleted ${result.temporary} expired temporary and ${result.deactivated} deactivated profile(s) in ${result.durationMs} ms`,
    );
  }
}

@Command({
  name: 'expiry',
  description: 'The expiry/purge job',
  subCommands: [ExpiryRunNowCommand],
})
export class ExpiryCommand extends CommandRunner {
  async run(): Promise<void> {
    this.command.help({ error: true });
  }
}
