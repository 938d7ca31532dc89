import { createHash, randomUUID } from 'node:crypto';
import { createServer, IncomingMessage, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { Pool, PoolClient, QueryResult } from 'pg';
import { EntityManager } from 'typeorm';
import { EventsRepository } from '../../src/events/events.repository';
import { AuditEventsRepository } from '../../src/audit/audit-events.repository';
import { AuditService } from '../../src/audit/audit.service';
import { resolveProfileSearch } from '../../src/profiles/profile-search';
import { newProfileUuid } from '../../src/profiles/profile-uuid';
import {
  profileColumns,
  profileSearchStatement,
  ProfilesRepository,
} from '../../src/profiles/profiles.repository';

/**
 * The floor of `npm run bench -- --floor`: a bare node:http server with pg (no framework, no
 * authentication, no validation, no mapping) that answers the bench's requests with the SAME SQL
 * the service sends for them: the lookups' select, the search built by profileSearchStatement, and
 * the create's and PATCH's INSERT/UPDATE plus their audit row in one transaction (the repository
 * and audit classes of the service build the statements). Every statement is a named prepared
 * statement; same pool size as the service. Whatever the service spends beyond this is its own.
 *
 * Started by the bench as `node floor-server.js` with DATABASE_URL and DATABASE_POOL_SIZE; prints
 * `listening <port>` when ready.
 */

const PERMANENT = `p.profile_type <> 'T'`;
const BY_NUMBER = `SELECT ${profileColumns('p')} FROM profiles p
  WHERE p.organisation_id = $1 AND p.customer_number = $2 AND ${PERMANENT}`;
const BY_REF = `SELECT ${profileColumns('p')} FROM profiles p
  WHERE p.organisation_id = $1 AND p.customer_ref = $2 AND ${PERMANENT}`;

const pool = new Pool({
  connectionString: process.env.DATABASE_URL,
  max: Number(process.env.DATABASE_POOL_SIZE ?? 10),
  application_name: 'customers-floor',
});
const names = new Map<string, string>();

/** One name per statement text: pg prepares it once per connection. */
function named(text: string, values: unknown[]) {
  let name = names.get(text);
  if (!name) {
    name = `floor_${createHash('sha1').update(text).digest('hex').slice(0, 16)}`;
    names.set(text, name);
  }
  return { name, text, values };
}

/** The shape of TypeORM's manager.query() the repositories use, on one pg client. */
function managerOf(client: PoolClient): EntityManager {
  return {
    query: async (text: string, values: unknown[]) => {
      const result: QueryResult = await client.query(named(text, values));
      return result.command === 'UPDATE' ? [result.rows, result.rowCount] : result.rows;
    },
  } as unknown as EntityManager;
}

const repository = new ProfilesRepository(
  undefined as never,
  undefined as never,
  undefined as never,
);
// The service's audit row and change event, through the same SQL.
const audit = new AuditService(
  new AuditEventsRepository(undefined as never),
  new EventsRepository(undefined as never),
);

async function rows(text: string, values: unknown[]): Promise<unknown[]> {
  return (await pool.query(named(text, values))).rows;
}

async function transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('START TRANSACTION');
    const result = await work(managerOf(client));
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  } finally {
    client.release();
  }
}

/** The bench's tokens are not verified here; their organisation claim is read once per token. */
const organisations = new Map<string, number>();
function organisationOf(request: IncomingMessage): number {
  const authorization = request.headers.authorization ?? '';
  let id = organisations.get(authorization);
  if (id === undefined) {
    const claims = JSON.parse(
      Buffer.from(authorization.split('.')[1] ?? '', 'base64url').toString() || '{}',
    );
    id = Number(
      claims[process.env.AUTH_ORGANISATION_CLAIM ?? 'https://entur.io/organisationID'] ?? 1,
    );
    organisations.set(authorization, id);
  }
  return id;
}

async function body(request: IncomingMessage): Promise<Record<string, string>> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) {
    chunks.push(chunk as Buffer);
  }
  return JSON.parse(Buffer.concat(chunks).toString('utf8'));
}

function send(response: ServerResponse, status: number, payload: unknown): void {
  const text = JSON.stringify(payload);
  response.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
  });
  response.end(text);
}

const V2 = '/customers/v2/';

async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
  const url = new URL(request.url ?? '/', 'http://floor');
  const organisationId = organisationOf(request);
  const path = url.pathname.startsWith(V2) ? url.pathname.slice(V2.length) : '';
  const segments = path.split('/');
  if (request.method === 'GET' && segments[0] === 'profiles' && segments[1] === 'customer-ref') {
    const found = await rows(BY_REF, [organisationId, decodeURIComponent(segments[2])]);
    return found.length ? send(response, 200, found[0]) : send(response, 404, {});
  }
  if (request.method === 'GET' && segments[0] === 'profiles' && segments.length === 2) {
    const found = await rows(BY_NUMBER, [organisationId, Number(segments[1])]);
    return found.length ? send(response, 200, found[0]) : send(response, 404, {});
  }
  if (request.method === 'GET' && segments[0] === 'profiles-search') {
    const search = resolveProfileSearch(
      organisationId,
      {
        email: url.searchParams.get('email') ?? undefined,
        surname: url.searchParams.get('surname') ?? undefined,
        maxResultSet: Number(url.searchParams.get('maxResultSet') ?? 100),
      },
      new Date(),
    );
    const query = search && profileSearchStatement(search);
    return send(response, 200, query ? await rows(query.sql, query.params) : []);
  }
  if (request.method === 'POST' && path === 'profiles') {
    const dto = await body(request);
    const row = await transaction(async (manager) => {
      const created = await repository.insert(manager, organisationId, {
        first_name: dto.firstName,
        surname: dto.surname,
        email: dto.email?.toLowerCase(),
        country_code: dto.countryCode,
        telephone_number_no_country_code: dto.telephoneNumberNoCountryCode,
        telephone_number: `${dto.countryCode}${dto.telephoneNumberNoCountryCode}`,
        date_of_birth: dto.dateOfBirth,
        language_preference: dto.languagePreference,
        uuid: newProfileUuid(),
        password_hash: null,
        created_by: dto.createdBy,
        created_by_channel: dto.createdByChannel,
        now: new Date(),
      });
      await audit.record(manager, {
        organisationId,
        customerNumber: Number(created.customer_number),
        operation: 'PROFILE_CREATED',
        fields: Object.keys(dto),
        clientId: 'floor',
        actor: dto.createdBy,
        channel: dto.createdByChannel,
        correlationId: randomUUID(),
      });
      return created;
    });
    return send(response, 201, row);
  }
  if (request.method === 'PATCH' && segments[0] === 'profiles' && segments.length === 2) {
    const dto = await body(request);
    const customerNumber = Number(segments[1]);
    const updated = await transaction(async (manager) => {
      const result = await repository.update(
        manager,
        organisationId,
        customerNumber,
        { first_name: dto.firstName, language_preference: dto.languagePreference },
        { changedBy: dto.changedBy, changedByChannel: dto.changedByChannel, now: new Date() },
      );
      if (result) {
        await audit.record(manager, {
          organisationId,
          customerNumber,
          operation: 'PROFILE_UPDATED',
          fields: ['firstName', 'languagePreference'],
          clientId: 'floor',
          actor: dto.changedBy,
          channel: dto.changedByChannel,
          correlationId: randomUUID(),
        });
      }
      return result;
    });
    return updated ? send(response, 200, updated.row) : send(response, 404, {});
  }
  send(response, 404, {});
}

const server = createServer((request, response) => {
  handle(request, response).catch((error: unknown) => {
    send(response, 500, { error: error instanceof Error ? error.message : String(error) });
  });
});
server.keepAliveTimeout = 72_000;
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`listening ${(server.address() as AddressInfo).port}\n`);
});
process.on('SIGTERM', () => {
  server.close();
  void pool.end().then(() => process.exit(0));
});
