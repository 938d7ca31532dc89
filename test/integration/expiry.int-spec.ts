import { Clock } from '../../src/common/clock/clock';
import { ExpiryModule } from '../../src/expiry/expiry.module';
import { ExpiryService } from '../../src/expiry/expiry.service';
import { ProfilesModule } from '../../src/profiles/profiles.module';
import { ProfilesService } from '../../src/profiles/profiles.service';
import { TemporaryProfilesModule } from '../../src/temporary-profiles/temporary-profiles.module';
import { TemporaryProfilesService } from '../../src/temporary-profiles/temporary-profiles.service';
import { profileBody, uniqueEmail } from '../factories/profile.factory';
import { callerOf, createDatabaseSlice, DatabaseSlice } from '../utils/database-slice';

const DAY_MS = 86_400_000;

/**
 * The expiry batch below HTTP, on a real database. On PostgreSQL other suites' profiles share the
 * database, so the checks follow this file's own customers rather than totals.
 */
describe('ExpiryService on the database', () => {
  let slice: DatabaseSlice;
  let expiry: ExpiryService;
  let now: Date;
  const org1 = callerOf(1);

  beforeAll(async () => {
    slice = await createDatabaseSlice([ProfilesModule, TemporaryProfilesModule, ExpiryModule]);
    expiry = slice.moduleRef.get(ExpiryService);
    now = slice.moduleRef.get(Clock).now();
  });
  afterAll(() => slice?.close());

  const dateIn = (days: number) =>
    new Date(now.getTime() + days * DAY_MS).toISOString().slice(0, 10);

  const customerNumberOf = async (email: string): Promise<string> => {
    const [row] = await slice.dataSource.query(
      `SELECT customer_number FROM profiles WHERE organisation_id = 1 AND email = $1`,
      [email],
    );
    return row.customer_number;
  };

  const createTemporary = async (expirationDate: string) => {
    const email = uniqueEmail();
    await slice.moduleRef.get(TemporaryProfilesService).create(org1, {
      expirationDate,
      email,
      createdBy: 'slice',
      createdByChannel: 'test',
    });
    return customerNumberOf(email);
  };

  const createDeactivated = async () => {
    const profiles = slice.moduleRef.get(ProfilesService);
    const row = await profiles.create(org1, profileBody({ password: undefined }));
    await profiles.deactivate(org1, Number(row.customer_number), { expirationDate: dateIn(3) });
    return row.customer_number;
  };

  const existing = async (customerNumbers: string[]): Promise<string[]> => {
    const rows = await slice.dataSource.query(
      `SELECT customer_number FROM profiles
        WHERE organisation_id = 1 AND customer_number = ANY($1::bigint[]) ORDER BY 1`,
      [customerNumbers],
    );
    return rows.map((r: { customer_number: string }) => r.customer_number);
  };

  const auditedPurges = async (customerNumbers: string[]) => {
    const rows = await slice.dataSource.query(
      `SELECT customer_number, operation FROM audit_events
        WHERE organisation_id = 1 AND customer_number = ANY($1::bigint[])
          AND operation IN ('TEMPORARY_EXPIRED', 'PURGED')`,
      [customerNumbers],
    );
    return rows as { customer_number: string; operation: string }[];
  };

  it('deletes only what is due, in batches, and audits each purge once', async () => {
    const dueTemporary = [
      await createTemporary(dateIn(1)),
      await createTemporary(dateIn(1)),
      await createTemporary(dateIn(2)),
    ];
    const laterTemporary = await createTemporary(dateIn(30));
    const dueDeactivated = await createDeactivated();
    const active = (
      await slice.moduleRef.get(ProfilesService).create(org1, profileBody({ password: undefined }))
    ).customer_number;

    const batchSizes: number[] = [];
    const result = await expiry.expireDue(new Date(now.getTime() + 10 * DAY_MS), {
      batchSize: 2,
      onBatch: (_kind, deleted) => batchSizes.push(deleted),
    });

    expect(result.ran).toBe(true);
    expect(result.temporary).toBeGreaterThanOrEqual(3);
    expect(result.deactivated).toBeGreaterThanOrEqual(1);
    expect(Math.max(...batchSizes)).toBeLessThanOrEqual(2);
    expect(await existing([...dueTemporary, dueDeactivated])).toEqual([]);
    expect(await existing([laterTemporary, active])).toEqual([laterTemporary, active].sort());
    const purges = await auditedPurges([...dueTemporary, dueDeactivated]);
    expect(purges).toHaveLength(4);
    expect(purges.filter((p) => p.operation === 'TEMPORARY_EXPIRED')).toHaveLength(3);
    expect(purges.find((p) => p.customer_number === dueDeactivated)?.operation).toBe('PURGED');
  });

  it('purges each due profile exactly once when runs overlap', async () => {
    const due = await Promise.all([1, 2, 3, 4, 5].map(() => createTemporary(dateIn(1))));
    const later = new Date(now.getTime() + 10 * DAY_MS);
    const runs = await Promise.all([1, 2, 3].map(() => expiry.expireDue(later, { batchSize: 2 })));

    expect(runs.some((r) => r.ran)).toBe(true);
    expect(await existing(due)).toEqual([]);
    const purges = await auditedPurges(due);
    expect(purges.map((p) => p.customer_number).sort()).toEqual([...due].sort());
  });

  it('deletes nothing when nothing is due', async () => {
    const notDue = await createTemporary(dateIn(5));
    await expiry.expireDue(now);
    expect(await existing([notDue])).toEqual([notDue]);
  });
});
