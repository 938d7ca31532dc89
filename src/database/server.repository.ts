/** Whatever TypeORM runs statements on: a data source, an entity manager or a query runner. */
interface Queryable {
  query(sql: string, params?: unknown[]): Promise<unknown>;
}

/**
 * Replay lag in ms: 0 when everything received is replayed (an idle primary is no lag), else the
 * age of the last replayed transaction. A restarted standby's WAL receiver reports its start
 * point (the beginning of a segment, before what it has already replayed) until new WAL comes, so
 * a receive position at or before the replay position is no lag either.
 */
const REPLICA_STATE = `
  SELECT pg_is_in_recovery() AS standby,
         CASE WHEN pg_last_wal_replay_lsn() >= pg_last_wal_receive_lsn() THEN 0
              ELSE COALESCE(EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()) * 1000, 0)
         END::float8 AS lag_ms`;

async function one<T>(db: Queryable, sql: string, params?: unknown[]): Promise<T> {
  const rows = (await db.query(sql, params)) as T[];
  return rows[0];
}

/**
 * The statements about the server and the session rather than a table: advisory locks, the
 * availability probe, settings and replication state. Functions, not a provider: migrations use
 * them before the application exists.
 */
export const server = {
  /** A session-level advisory lock, if free; held until `unlock` on the same connection. */
  async tryLock(db: Queryable, key: number): Promise<boolean> {
    return (await one<{ locked: boolean }>(db, 'SELECT pg_try_advisory_lock($1) AS locked', [key]))
      .locked;
  },

  async unlock(db: Queryable, key: number): Promise<void> {
    await db.query('SELECT pg_advisory_unlock($1)', [key]);
  },

  /** A transaction-scoped advisory lock, if free; released by the commit or the rollback. */
  async tryTransactionLock(db: Queryable, key: number): Promise<boolean> {
    const row = await one<{ locked: boolean }>(
      db,
      'SELECT pg_try_advisory_xact_lock($1) AS locked',
      [key],
    );
    return row.locked;
  },

  /** Waits for a transaction-scoped advisory lock, with no statement or lock timeout meanwhile. */
  async waitTransactionLockUntimed(db: Queryable, key: number): Promise<void> {
    await db.query('SET LOCAL statement_timeout = 0');
    await db.query('SET LOCAL lock_timeout = 0');
    await db.query('SELECT pg_advisory_xact_lock($1)', [key]);
  },

  async ping(db: Queryable): Promise<void> {
    await db.query('SELECT 1');
  },

  /** Which of these settings are 0 (off) on the server. */
  async settingsOff(db: Queryable, names: string[]): Promise<string[]> {
    const rows = (await db.query(`SELECT name, setting FROM pg_settings WHERE name = ANY($1)`, [
      names,
    ])) as { name: string; setting: string }[];
    return rows.filter((row) => row.setting === '0').map((row) => row.name);
  },

  /** Whether the server is a standby, and how far its replay is behind what it received. */
  async replicaState(db: Queryable): Promise<{ standby: boolean; lagMs: number }> {
    const row = await one<{ standby: boolean; lag_ms: number }>(db, REPLICA_STATE);
    return { standby: row.standby, lagMs: row.lag_ms };
  },
};
