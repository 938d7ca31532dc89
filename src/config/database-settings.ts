/**
 * `session`: each pooled connection is a server session of its own (PostgreSQL, or PgBouncer in
 * session mode). `transaction`: a pooler (PgBouncer in transaction mode) lends a server session
 * per transaction, so nothing may outlive a transaction: no named prepared statements, no session
 * advisory locks, no session settings (the timeouts come from the server or the pooler).
 */
export type PoolMode = 'session' | 'transaction';

/** How the service uses its database connections; every wait on the database is bounded. */
export interface DatabaseSettings {
  poolMode: PoolMode;
  /** An idle pooled connection is closed after this long (0: never). */
  idleTimeoutMs: number;
  /** Longest wait for a pooled connection (or a new one) before the request fails with 503. */
  acquireTimeoutMs: number;
  /** PostgreSQL's statement_timeout of every connection. */
  statementTimeoutMs: number;
  /** PostgreSQL's lock_timeout of every connection. */
  lockTimeoutMs: number;
  /** PostgreSQL's idle_in_transaction_session_timeout of every connection. */
  idleInTransactionTimeoutMs: number;
  /** Hot lookups as named prepared statements; off behind a transaction-mode connection pooler. */
  preparedStatements: boolean;
}

export const DEFAULT_DATABASE_SETTINGS: DatabaseSettings = {
  poolMode: 'session',
  idleTimeoutMs: 10_000,
  acquireTimeoutMs: 2_000,
  statementTimeoutMs: 10_000,
  lockTimeoutMs: 2_000,
  idleInTransactionTimeoutMs: 30_000,
  preparedStatements: true,
};
