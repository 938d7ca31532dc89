import { ScheduledRunsRepository } from '../../src/database/scheduled-runs.repository';
import { unique } from '../factories/profile.factory';
import { createDatabaseSlice, DatabaseSlice } from '../utils/database-slice';

describe('ScheduledRunsRepository on the database', () => {
  let slice: DatabaseSlice;
  let runs: ScheduledRunsRepository;

  beforeAll(async () => {
    slice = await createDatabaseSlice();
    runs = slice.moduleRef.get(ScheduledRunsRepository);
  });
  afterAll(() => slice?.close());

  it('should give each tick to exactly one of many instances claiming it at once', async () => {
    const job = unique('job');
    const tick = new Date('2026-06-01T12:00:00Z');
    const claims = await Promise.all(Array.from({ length: 10 }, () => runs.claim(job, tick)));
    expect(claims.filter(Boolean)).toHaveLength(1);
    // The next tick is a new claim; the same tick again is not.
    expect(await runs.claim(job, new Date('2026-06-01T12:01:00Z'))).toBe(true);
    expect(await runs.claim(job, tick)).toBe(false);
  });

  it('should keep the ticks of different jobs apart', async () => {
    const tick = new Date('2026-06-01T13:00:00Z');
    expect(await runs.claim(unique('a'), tick)).toBe(true);
    expect(await runs.claim(unique('b'), tick)).toBe(true);
  });

  it('should prune claims older than a day when it claims a tick', async () => {
    const job = unique('job');
    await runs.claim(job, new Date('2026-06-01T00:00:00Z'));
    await runs.claim(job, new Date('2026-06-03T00:00:00Z'));
    const rows = await slice.dataSource.query(`SELECT tick FROM scheduled_runs WHERE job = $1`, [
      job,
    ]);
    expect(rows).toHaveLength(1);
  });
});
