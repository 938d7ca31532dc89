import { EntityManager } from 'typeorm';
import { AdvisoryLockService } from '../../src/database/advisory-lock.service';
import { createDatabaseSlice, DatabaseSlice } from '../utils/database-slice';
import { behindTransactionPooler, onPostgres } from '../utils/test-app';

const KEY = 0x74657374; // "test"

const advisoryLocksHeld = async (db: Pick<EntityManager, 'query'>): Promise<number> => {
  const [{ n }] = await db.query(
    `SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND objid = $1`,
    [KEY],
  );
  return n;
};

/**
 * Behind a transaction pooler a lock must not outlive its run: a session lock would stay on the
 * pooled server session that took it. So there the lock is transaction-scoped, with the work
 * inside that transaction. Session mode needs connections that keep their server session, so it
 * runs only when the suite's database is not behind a transaction pooler.
 */
const poolModes = behindTransactionPooler ? ['transaction'] : ['session', 'transaction'];

describe.each(poolModes)('AdvisoryLockService, pool mode %s', (poolMode) => {
  let slice: DatabaseSlice;
  let locks: AdvisoryLockService;

  beforeAll(async () => {
    slice = await createDatabaseSlice([], { DATABASE_POOL_MODE: poolMode });
    locks = slice.moduleRef.get(AdvisoryLockService);
  });
  afterAll(() => slice?.close());

  it('should run the work holding the lock, and hold nothing after', async () => {
    const run = await locks.tryWithLock(KEY, async (manager) => ({
      inTransaction: manager.queryRunner?.isTransactionActive ?? false,
      held: await advisoryLocksHeld(manager),
    }));
    expect(run).toEqual({
      ran: true,
      result: { inTransaction: poolMode === 'transaction', held: 1 },
    });
    expect(await advisoryLocksHeld(slice.dataSource)).toBe(0);
  });

  // The embedded database has one connection: a second run would wait for it, not for the lock.
  if (onPostgres) {
    it('should not run the work while another run holds the lock', async () => {
      const inner = await locks.tryWithLock(KEY, () => locks.tryWithLock(KEY, async () => 'ran'));
      expect(inner).toEqual({ ran: true, result: { ran: false } });
      expect(await advisoryLocksHeld(slice.dataSource)).toBe(0);
    });
  }
});
