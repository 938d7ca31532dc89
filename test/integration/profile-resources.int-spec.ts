import { NotFoundDomainException } from '../../src/common/errors/domain.exception';
import { NOTES } from '../../src/profile-resources/notes/note.dto';
import { POSTAL_ADDRESSES } from '../../src/profile-resources/postal-addresses/postal-address.dto';
import { ProfileResourceStore } from '../../src/profile-resources/profile-resource.store';
import { ProfileResourcesModule } from '../../src/profile-resources/profile-resources.module';
import { ProfileResourcesRepository } from '../../src/profile-resources/profile-resources.repository';
import { ProfilesModule } from '../../src/profiles/profiles.module';
import { ProfilesService } from '../../src/profiles/profiles.service';
import { profileBody } from '../factories/profile.factory';
import { callerOf, createDatabaseSlice, DatabaseSlice } from '../utils/database-slice';

/** The sub-resource statements and the store's rules below HTTP, on a real database. */
describe('profile sub-resources on the database', () => {
  let slice: DatabaseSlice;
  let repository: ProfileResourcesRepository;
  let store: ProfileResourceStore;
  const org1 = callerOf(1);
  const org2 = callerOf(2);
  const now = new Date();

  beforeAll(async () => {
    slice = await createDatabaseSlice([ProfilesModule, ProfileResourcesModule]);
    repository = slice.moduleRef.get(ProfileResourcesRepository);
    store = slice.moduleRef.get(ProfileResourceStore);
  });
  afterAll(() => slice?.close());

  const customerOf = async (organisationId: number): Promise<number> => {
    const row = await slice.moduleRef
      .get(ProfilesService)
      .create(callerOf(organisationId), profileBody({ password: undefined, organisationId }));
    return Number(row.customer_number);
  };

  const note = (text: string) => ({ text, createdBy: 'slice', changedBy: 'slice' });

  it('reads, replaces and removes a row only through its own organisation and customer', async () => {
    const customer = await customerOf(1);
    const otherCustomer = await customerOf(1);
    const row = await repository.insert(NOTES, 1, customer, note('kept'), now);
    const id = Number(row.id);

    expect(await repository.find(NOTES, 2, customer, id)).toBeNull();
    expect(await repository.find(NOTES, 1, otherCustomer, id)).toBeNull();
    expect(await repository.update(NOTES, 2, customer, id, note('taken'), now)).toBeNull();
    expect(await repository.update(NOTES, 1, otherCustomer, id, note('taken'), now)).toBeNull();
    expect(await repository.delete(NOTES, 2, customer, id)).toBe(false);
    expect(await repository.list(NOTES, 2, customer)).toEqual([]);
    expect((await repository.find(NOTES, 1, customer, id))?.text).toBe('kept');

    const replaced = await repository.update(NOTES, 1, customer, id, note('replaced'), now);
    expect(replaced?.text).toBe('replaced');
    expect(await repository.delete(NOTES, 1, customer, id)).toBe(true);
    expect(await repository.find(NOTES, 1, customer, id)).toBeNull();
  });

  it("answers 404 for another organisation's customer and leaves its rows alone", async () => {
    const customer = await customerOf(1);
    const added = await store.add(NOTES, org1, customer, { text: 'mine', createdBy: 'slice' });

    await expect(store.list(NOTES, org2, customer)).rejects.toThrow(NotFoundDomainException);
    await expect(store.remove(NOTES, org2, customer, added.id)).rejects.toThrow(
      NotFoundDomainException,
    );
    expect(await store.get(NOTES, org1, customer, added.id)).toMatchObject({
      text: 'mine',
      createdBy: 'slice',
      // An added note's changedBy starts as its createdBy.
      changedBy: 'slice',
    });
  });

  it('keeps one primary postal address per customer', async () => {
    const customer = await customerOf(1);
    const address = (addressLine1: string, isPrimary: boolean) => ({
      addressLine1,
      postCode: '0150',
      city: 'Oslo',
      countryCode: 'NO',
      isPrimary,
    });
    const first = await store.add(POSTAL_ADDRESSES, org1, customer, address('First 1', true));
    const second = await store.add(POSTAL_ADDRESSES, org1, customer, address('Second 2', true));
    await store.update(POSTAL_ADDRESSES, org1, customer, first.id, address('First 1', true));

    const primary = (await store.list(POSTAL_ADDRESSES, org1, customer)).map((a) => [
      a.id,
      a.isPrimary,
    ]);
    expect(primary).toEqual([
      [first.id, true],
      [second.id, false],
    ]);
  });

  it('audits each change by field names, with the caller and its correlation id', async () => {
    const customer = await customerOf(1);
    const added = await store.add(NOTES, org1, customer, { text: 'audited', createdBy: 'slice' });
    await store.remove(NOTES, org1, customer, added.id);

    const rows = await slice.dataSource.query(
      `SELECT operation, fields, client_id, correlation_id FROM audit_events
        WHERE organisation_id = 1 AND customer_number = $1 AND operation LIKE 'NOTE_%'
        ORDER BY id`,
      [customer],
    );
    expect(rows).toEqual([
      {
        operation: 'NOTE_ADDED',
        fields: ['changedBy', 'createdBy', 'text'],
        client_id: org1.clientId,
        correlation_id: org1.correlationId,
      },
      {
        operation: 'NOTE_REMOVED',
        fields: [],
        client_id: org1.clientId,
        correlation_id: org1.correlationId,
      },
    ]);
  });
});
