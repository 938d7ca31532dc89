import { ProfilesModule } from '../../src/profiles/profiles.module';
import { ProfilesService } from '../../src/profiles/profiles.service';
import { profileBody } from '../factories/profile.factory';
import { callerOf, createDatabaseSlice, DatabaseSlice } from '../utils/database-slice';

/** Profile writes below HTTP: the service and its repository on a real database. */
describe('ProfilesService on the database', () => {
  let slice: DatabaseSlice;
  let profiles: ProfilesService;
  const org1 = callerOf(1);
  const org2 = callerOf(2);

  beforeAll(async () => {
    slice = await createDatabaseSlice([ProfilesModule]);
    profiles = slice.moduleRef.get(ProfilesService);
  });
  afterAll(() => slice?.close());

  const create = (overrides = {}) =>
    profiles.create(org1, profileBody({ password: undefined, ...overrides }));

  /** A merge patch as the API takes it: who changes it is part of the body. */
  const patch = (fields: Record<string, unknown>) =>
    ({ changedBy: 'slice', changedByChannel: 'test', ...fields }) as never;

  const stored = async (customerNumber: string) => {
    const [row] = await slice.dataSource.query(
      `SELECT first_name, surname, email, telephone_number, country_code, version
         FROM profiles WHERE organisation_id = 1 AND customer_number = $1`,
      [customerNumber],
    );
    return row;
  };

  it('changes only the members a merge patch names, and clears those set to null', async () => {
    const created = await create({ firstName: 'Kari', surname: 'Hansen' });
    const patched = await profiles.patch(
      org1,
      Number(created.customer_number),
      patch({
        firstName: 'Kaja',
        surname: null,
      }),
    );
    expect(patched.version).toBe(created.version + 1);
    const row = await stored(created.customer_number);
    expect(row).toMatchObject({ first_name: 'Kaja', surname: null, email: created.email });
  });

  it('merges a patched phone field with the stored ones into one number', async () => {
    const created = await create({
      countryCode: '+47',
      telephoneNumberNoCountryCode: '41234567',
    });
    await profiles.patch(
      org1,
      Number(created.customer_number),
      patch({
        telephoneNumberNoCountryCode: '98765432',
      }),
    );
    const row = await stored(created.customer_number);
    expect(row).toMatchObject({ country_code: '+47', telephone_number: '+4798765432' });
  });

  it('refuses a patch for a stale version and changes nothing', async () => {
    const created = await create();
    await expect(
      profiles.patch(org1, Number(created.customer_number), patch({ firstName: 'Late' }), 99),
    ).rejects.toMatchObject({ status: 412 });
    expect(await stored(created.customer_number)).toMatchObject({
      first_name: created.first_name,
      version: created.version,
    });
  });

  it("answers 404 for another organisation's profile and leaves it unchanged", async () => {
    const created = await create();
    await expect(
      profiles.patch(org2, Number(created.customer_number), patch({ firstName: 'Intruder' })),
    ).rejects.toMatchObject({ status: 404 });
    expect(await stored(created.customer_number)).toMatchObject({ first_name: created.first_name });
  });

  it('writes the audit row and the change event in the change transaction', async () => {
    const created = await create();
    await profiles.patch(org1, Number(created.customer_number), patch({ surname: 'Berg' }));
    const audit = await slice.dataSource.query(
      `SELECT operation FROM audit_events
        WHERE organisation_id = 1 AND customer_number = $1 ORDER BY id`,
      [created.customer_number],
    );
    expect(audit.map((a: { operation: string }) => a.operation)).toEqual([
      'PROFILE_CREATED',
      'PROFILE_UPDATED',
    ]);
    const events = await slice.dataSource.query(
      `SELECT data->>'operation' AS operation FROM events
        WHERE organisation_id = 1 AND subject = $1 ORDER BY sequence`,
      [created.customer_number],
    );
    expect(events.map((e: { operation: string }) => e.operation)).toEqual(['CREATE', 'UPDATE']);
  });
});
