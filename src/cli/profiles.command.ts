import { Presets, SingleBar } from 'cli-progress';
import { isISO8601 } from 'class-validator';
import { Command, CommandRunner, Option, SubCommand } from 'nest-commander';
import { ExportProfilesQueryDto } from '../customer-export/dto/export-profiles-query.dto';
import { ProfilesExportService } from '../customer-export/profiles-export.service';
import { CliError, CliOutput, positiveId } from './cli-output';

interface ExportOptions {
  organisation?: number;
  changedSince?: string;
  includeTemporary?: boolean;
}

@SubCommand({
  name: 'export',
  description:
    "Write an organisation's active permanent profiles to stdout as NDJSON, one per line " +
    '(as the API returns them), in customerNumber order',
})
export class ProfilesExportCommand extends CommandRunner {
  constructor(
    private readonly exports: ProfilesExportService,
    private readonly out: CliOutput,
  ) {
    super();
  }

  @Option({ flags: '--organisation <id>', description: 'the organisation (required)' })
  parseOrganisation(value: string): number {
    return positiveId(value, '--organisation');
  }

  @Option({
    flags: '--changed-since <date-time>',
    description: 'only profiles changed at or after this ISO 8601 moment',
  })
  parseChangedSince(value: string): string {
    if (!isISO8601(value, { strict: true, strictSeparator: true })) {
      throw new CliError(`--changed-since must be an ISO 8601 date-time, not "${value}"`);
    }
    return value;
  }

  @Option({ flags: '--include-temporary', description: 'temporary profiles too' })
  parseIncludeTemporary(): boolean {
    return true;
  }

  async run(_: string[], options: ExportOptions = {}): Promise<void> {
    if (options.organisation === undefined) {
      throw new CliError('--organisation is required');
    }
    const query: ExportProfilesQueryDto = {
      changedSince: options.changedSince,
      includeTemporary: options.includeTemporary,
    };
    // A bar on a terminal only: stdout is the export, the bar goes to stderr.
    const bar = process.stderr.isTTY
      ? new SingleBar(
          { format: 'exporting {bar} {value}/{total} profiles', stream: process.stderr },
          Presets.shades_classic,
        )
      : undefined;
    bar?.start(await this.exports.count(options.organisation, query), 0);
    try {
      for await (const chunk of this.exports.export(options.organisation, query)) {
        const text = String(chunk);
        await this.out.write(text);
        bar?.increment(text.split('\n').length - 1);
      }
    } finally {
      bar?.stop();
    }
  }
}

@Command({
  name: 'profiles',
  description: 'Profiles in bulk',
  subCommands: [ProfilesExportCommand],
})
export class ProfilesCommand extends CommandRunner {
  async run(): Promise<void> {
    this.command.help({ error: true });
  }
}
