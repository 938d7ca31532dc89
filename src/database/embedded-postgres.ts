import { mkdirSync } from 'node:fs';
import type { PGlite } from '@electric-sql/pglite';
import type { PGLiteSocketServer } from '@electric-sql/pglite-socket';

/**
 * PostgreSQL in-process (PGlite) behind a loopback socket, so the service reaches it with the same
 * `pg` driver, SQL and migrations as a real server. PGlite is a single session: callers must use a
 * pool of one connection that resets the session when it connects (see resetEmbeddedSession).
 */
export class EmbeddedPostgres {
  private constructor(
    private readonly db: PGlite,
    private readonly server: PGLiteSocketServer,
    readonly url: string,
  ) {}

  /** `dataDir` is a folder, or `memory://` for a throw-away database. */
  static async start(dataDir: string): Promise<EmbeddedPostgres> {
    if (!dataDir.startsWith('memory://')) {
      mkdirSync(dataDir, { recursive: true });
    }
    // Loaded only when used: a service on PostgreSQL does not pay for it at start-up. The contrib
    // extensions the migrations create must be loaded into the WASM build first.
    const { PGlite } = await import('@electric-sql/pglite');
    const { pg_trgm } = await import('@electric-sql/pglite/contrib/pg_trgm');
    const { PGLiteSocketServer } = await import('@electric-sql/pglite-socket');
    const db = await PGlite.create(dataDir, { extensions: { pg_trgm } });
    const server = new PGLiteSocketServer({
      db,
      host: '127.0.0.1',
      port: 0,
      // The pool's next connection can arrive before the server has seen its idle predecessor close.
      maxConnections: 2,
    });
    await server.start();
    const address = server.getServerConn();
    return new EmbeddedPostgres(db, server, `postgresql://postgres@${address}/postgres`);
  }

  async stop(): Promise<void> {
    await this.server.stop();
    await this.db.close();
  }
}
