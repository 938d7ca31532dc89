import { Command, CommandRunner, SubCommand } from 'nest-commander';
import { AppConfig, DEFAULT_DEV_CLIENTS } from '../config/app-config';
import { CliOutput } from './cli-output';

@SubCommand({
  name: 'list',
  description: 'List the clients of the development token issuer (DEV_CLIENTS)',
})
export class ListDevClientsCommand extends CommandRunner {
  constructor(
    private readonly config: AppConfig,
    private readonly out: CliOutput,
  ) {
    super();
  }

  async run(): Promise<void> {
    const { enabled, clients } = this.config.auth.devIssuer;
    if (!enabled) {
      this.out.line('The development token issuer is off (AUTH_ISSUER is set): it has no clients.');
      return;
    }
    this.out.table(
      ['client', 'secret', 'organisation', 'permissions'],
      clients.map((c) => [
        c.clientId,
        // Only the built-in demo secrets are public.
        DEFAULT_DEV_CLIENTS.some(
          (d) => d.clientId === c.clientId && d.clientSecret === c.clientSecret,
        )
          ? c.clientSecret
          : '(as configured)',
        c.organisationId,
        c.permissions.join(' '),
      ]),
    );
    return Promise.resolve();
  }
}

@Command({
  name: 'dev-clients',
  description: 'The development token issuer',
  subCommands: [ListDevClientsCommand],
})
export class DevClientsCommand extends CommandRunner {
  async run(): Promise<void> {
    this.command.help({ error: true });
  }
}
