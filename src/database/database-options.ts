import { ClientBase } from 'pg';
import { DataSourceOptions } from 'typeorm';
import { MIGRATIONS } from '../../migrations';
import { DatabaseSettings, DEFAULT_DATABASE_SETTINGS } from '../config/database-settings';

/**
 * Options shared by the service and the scripts: migrations only, never `synchronize`. `embedded`:
 * the URL is the embedded database, one session shared by every connection made to it.
 */
export function databaseOptions(
  url: string,
  poolSize: number,
  settings: DatabaseSettings = DEFAULT_DATABASE_SETTINGS,
  embedded = false,
): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    poolSize,
    synchronize: false,
    migrationsRun: false,
    migrations: MIGRATIONS,
    migrationsTableName: 'schema_migrations',
    // Read by pg's Pool and Client.
    extra: {
      application_name: 'customers',
      connectionTimeoutMillis: settings.acquireTimeoutMs,
      idleTimeoutMillis: settings.idleTimeoutMs,
      ...sessionTimeouts(settings),
      ...(embedded ? { onConnect: resetEmbeddedSession } : {}),
    },
  };
}

/**
 * The timeouts, sent as parameters of every new session. A transaction pooler refuses such
 * parameters (its server sessions are shared), so behind one they are the server's or the
 * pooler's (`connect_query`) settings instead; see warnOfMissingServerTimeouts.
 */
function sessionTimeouts(settings: DatabaseSettings): Record<string, number> {
  if (settings.poolMode === 'transaction') {
    return {};
  }
  return {
    statement_timeout: settings.statementTimeoutMs,
    lock_timeout: settings.lockTimeoutMs,
    idle_in_transaction_session_timeout: settings.idleInTransactionTimeoutMs,
  };
}

/**
 * The embedded database keeps ONE session for every connection made to it: a new connection finds
 * the previous one's prepared statements, advisory locks, settings and temporary tables. Starting
 * each connection from a clean session keeps pg's per-connection bookkeeping true.
 */
export async function resetEmbeddedSession(client: ClientBase): Promise<void> {
  // A transaction left open by a connection that died (warns harmlessly when there is none).
  await client.query('ROLLBACK');
  await client.query('DISCARD ALL');
}
