import { randomInt } from 'node:crypto';
import { TestingModule } from '@nestjs/testing';
import { CommandTestFactory } from 'nest-commander-testing';
import { DataSource } from 'typeorm';
import { CliOutput } from '../../src/cli/cli-output';
import { CliModule } from '../../src/cli/cli.module';
import { AppConfig } from '../../src/config/app-config';
import { testDatabaseEnv } from '../utils/test-app';

/** The admin CLI's commands on a real database (in-memory PGlite, or TEST_DATABASE_URL). */
class CapturedOutput extends CliOutput {
  lines: string[] = [];
  written = '';
  override line(text: string): void {
    this.lines.push(text);
  }
  override async write(chunk: string): Promise<void> {
    this.written += chunk;
  }
}

describe('admin CLI', () => {
  let cli: TestingModule;
  const output = new CapturedOutput();
  const failures: Error[] = [];
  // High ids: suites sharing one PostgreSQL never collide.
  const organisationId = randomInt(1_000_000, 2_000_000_000);

  beforeAll(async () => {
    const config = AppConfig.fromEnvironment({
      ...testDatabaseEnv(),
      PGLITE_DATA_DIR: 'memory://',
      LOG_LEVEL: 'silent',
    });
    cli = await CommandTestFactory.createTestingCommand(
      { imports: [CliModule.forConfig(config)] },
      { serviceErrorHandler: (error: Error) => void failures.push(error) },
    )
      .overrideProvider(CliOutput)
      .useValue(output)
      .compile();
  });
  afterAll(() => cli.close());

  async function run(...args: string[]): Promise<string[]> {
    output.lines = [];
    output.written = '';
    failures.length = 0;
    await CommandTestFactory.runWithoutClosing(cli, args);
    return output.lines;
  }

  it('should add, list and deactivate an organisation', async () => {
    expect(await run('organisations', 'add', String(organisationId), 'Vy', 'Buss')).toEqual([
      `Registered organisation ${organisationId} (Vy Buss)`,
    ]);
    const listed = await run('organisations', 'list');
    expect(listed[0]).toMatch(/^id\s+name\s+active$/);
    expect(listed).toContainEqual(
      expect.stringMatching(new RegExp(`^${organisationId}\\s+Vy Buss\\s+yes$`)),
    );

    expect(await run('organisations', 'deactivate', String(organisationId))).toEqual([
      `Deactivated organisation ${organisationId}`,
    ]);
    const [row] = await cli
      .get(DataSource)
      .query('SELECT active FROM organisations WHERE id = $1', [organisationId]);
    expect(row.active).toBe(false);
  });

  it.each([
    [['organisations', 'add', 'abc', 'Name'], 'id must be a positive integer, not "abc"'],
    [['organisations', 'add', '0', 'Name'], 'id must be a positive integer, not "0"'],
    [['organisations', 'deactivate', '2147483647'], 'Organisation 2147483647 was not found'],
  ])('should refuse %j with a reason and change nothing', async (args, reason) => {
    expect(await run(...args)).toEqual([]);
    expect(failures.map((e) => e.message)).toEqual([expect.stringContaining(reason)]);
  });

  it('should refuse an organisation that exists', async () => {
    await run('organisations', 'add', String(organisationId + 1), 'First');
    await run('organisations', 'add', String(organisationId + 1), 'Second');
    expect(failures.map((e) => e.message)).toEqual([
      `Organisation ${organisationId + 1} already exists`,
    ]);
  });

  it('should list the development clients with only the public demo secrets', async () => {
    const lines = await run('dev-clients', 'list');
    expect(lines[0]).toMatch(/^client\s+secret\s+organisation\s+permissions$/);
    expect(lines).toContainEqual(
      expect.stringMatching(/^demo-1\s+demo-1-secret\s+1\s+customers:read/),
    );
  });

  // Before any export: the commands are parsed by one program, which keeps option values.
  it.each([
    [['profiles', 'export'], '--organisation is required'],
    [['profiles', 'export', '--organisation', 'x'], '--organisation must be a positive integer'],
    [
      ['profiles', 'export', '--organisation', '1', '--changed-since', 'yesterday'],
      '--changed-since must be an ISO 8601 date-time',
    ],
  ])('should refuse the export %j with a reason', async (args, reason) => {
    await run(...args);
    expect(output.written).toBe('');
    expect(failures.map((e) => e.message)).toEqual([expect.stringContaining(reason)]);
  });

  it("should write an organisation's profiles as NDJSON, in customerNumber order", async () => {
    const exporting = organisationId + 2;
    await run('organisations', 'add', String(exporting), 'Export');
    const inserted: { customer_number: string }[] = await cli.get(DataSource).query(
      `INSERT INTO profiles (organisation_id, uuid, customer_ref, profile_type, first_name, surname,
         created_by, created_by_channel, changed_by, changed_by_channel)
       SELECT $1::integer, md5(random()::text || n), 'cli-export-' || n, 'S', 'Kari', 'Eksport',
              'cli', 'cli', 'cli', 'cli'
         FROM generate_series(1, 3) AS n
       RETURNING customer_number`,
      [exporting],
    );
    await run('profiles', 'export', '--organisation', String(exporting));
    expect(failures).toEqual([]);
    const lines = output.written.split('\n');
    expect(lines.pop()).toBe('');
    const profiles = lines.map((line) => JSON.parse(line));
    expect(profiles.map((p) => p.customerNumber)).toEqual(
      inserted.map((r) => Number(r.customer_number)).sort((a, b) => a - b),
    );
    expect(profiles.every((p) => p.organisationId === exporting && p.surname === 'Eksport')).toBe(
      true,
    );
    await run(
      'profiles',
      'export',
      '--organisation',
      String(exporting),
      '--changed-since',
      new Date(Date.now() + 3_600_000).toISOString(),
    );
    expect(output.written).toBe('');
  });

  it('should purge what is due now and say how much', async () => {
    const [line] = await run('expiry', 'run-now');
    expect(failures).toEqual([]);
    expect(line).toMatch(
      /^Deleted \d+ expired temporary and \d+ deactivated profile\(s\) in \d+ ms$/,
    );
  });
});
