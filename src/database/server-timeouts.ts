import { Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { server } from './server.repository';

const TIMEOUTS = ['statement_timeout', 'lock_timeout', 'idle_in_transaction_session_timeout'];

/**
 * Behind a transaction pooler the service cannot set its sessions' timeouts (the pooler refuses
 * them as start-up parameters), so they are the server's: set them with `ALTER ROLE … SET` or the
 * pooler's `connect_query`. A timeout that is off there means a stuck query holds its server
 * session until the request timeout gives up on it; say so once at start-up.
 */
export async function warnOfMissingServerTimeouts(dataSource: DataSource): Promise<void> {
  const off = await server.settingsOff(dataSource, TIMEOUTS);
  if (off.length > 0) {
    new Logger('Database').warn(
      { off },
      'DATABASE_POOL_MODE=transaction: these server timeouts are off; set them on the role or ' +
        "in the pooler's connect_query (DATABASE_*_TIMEOUT_MS cannot reach pooled sessions)",
    );
  }
}
