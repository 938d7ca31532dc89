import { Command, CommandRunner, SubCommand } from 'nest-commander';
import { DomainException } from '../common/errors/domain.exception';
import { OrganisationsService } from '../organisations/organisations.service';
import { CliError, CliOutput, positiveId } from './cli-output';

/** Domain errors (conflict, not found) are the operator's to fix: their detail, exit code 1. */
async function asCliError<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw error instanceof DomainException ? new CliError(error.detail) : error;
  }
}

@SubCommand({ name: 'list', description: 'List the registered organisations' })
export class ListOrganisationsCommand extends CommandRunner {
  constructor(
    private readonly organisations: OrganisationsService,
    private readonly out: CliOutput,
  ) {
    super();
  }

  async run(): Promise<void> {
    const all = await this.organisations.list();
    this.out.table(
      ['id', 'name', 'active'],
      all.map((o) => [o.id, o.name, o.active ? 'yes' : 'no']),
    );
  }
}

@SubCommand({
  name: 'add',
  arguments: '<id> <name>',
  description: 'Register an organisation (its id is the value of the token claim)',
})
export class AddOrganisationCommand extends CommandRunner {
  constructor(
    private readonly organisations: OrganisationsService,
    private readonly out: CliOutput,
  ) {
    super();
  }

  async run([id, ...name]: string[]): Promise<void> {
    const organisationId = positiveId(id, 'id');
    const fullName = name.join(' ').trim();
    if (!fullName || fullName.length > 200) {
      throw new CliError('name must be 1 to 200 characters');
    }
    const created = await asCliError(() => this.organisations.create(organisationId, fullName));
    this.out.line(`Registered organisation ${created.id} (${created.name})`);
  }
}

@SubCommand({
  name: 'deactivate',
  arguments: '<id>',
  description: "Deactivate an organisation: its clients' tokens get 403 from then on",
})
export class DeactivateOrganisationCommand extends CommandRunner {
  constructor(
    private readonly organisations: OrganisationsService,
    private readonly out: CliOutput,
  ) {
    super();
  }

  async run([id]: string[]): Promise<void> {
    const organisationId = positiveId(id, 'id');
    await asCliError(() => this.organisations.update(organisationId, { active: false }));
    this.out.line(`Deactivated organisation ${organisationId}`);
  }
}

@Command({
  name: 'organisations',
  description: 'The organisation registry',
  subCommands: [ListOrganisationsCommand, AddOrganisationCommand, DeactivateOrganisationCommand],
})
export class OrganisationsCommand extends CommandRunner {
  async run(): Promise<void> {
    this.command.help({ error: true });
  }
}
