import { AuditService } from '../../src/audit/audit.service';
import { eraseCustomerTraces } from '../../src/audit/customer-erasure';
import { IdempotencyKeysRepository } from '../../src/idempotency/idempotency-keys.repository';
import { ProfilesModule } from '../../src/profiles/profiles.module';
import { ProfilesService } from '../../src/profiles/profiles.service';
import { profileBody, unique } from '../factories/profile.factory';
import { callerOf, createDatabaseSlice, DatabaseSlice } from '../utils/database-slice';

/** What a customer's erasure leaves of the trail (audit rows, idempotency records), on a real database. */
describe('customer erasure on the database', () => {
  let slice: DatabaseSlice;
  let audit: AuditService;
  let keys: IdempotencyKeysRepository;
  const org1 = callerOf(1);

  beforeAll(async () => {
    slice = await createDatabaseSlice([ProfilesModule]);
    audit = slice.moduleRef.get(AuditService);
    keys = slice.moduleRef.get(IdempotencyKeysRepository);
  });
  afterAll(() => slice?.close());

  /** A customer with an audited change and a stored idempotent answer. */
  const tracedCustomer = async () => {
    const row = await slice.moduleRef
      .get(ProfilesService)
      .create(org1, profileBody({ password: undefined }));
    const customerNumber = Number(row.customer_number);
    await slice.dataSource.transaction((m) =>
      audit.record(m, {
        organisationId: 1,
        customerNumber,
        operation: 'NOTE_ADDED',
        fields: ['text'],
        clientId: org1.clientId,
        clientName: 'a client',
        actor: 'a person',
        channel: 'a channel',
        correlationId: org1.correlationId,
      }),
    );
    const scope = { organisationId: 1, clientId: org1.clientId, key: unique('key') };
    await keys.insert({
      scope,
      requestHash: 'hash',
      customerNumber,
      statusCode: 201,
      body: '{}',
      headers: {},
      createdAt: new Date(),
    });
    return { customerNumber, scope };
  };

  const auditOf = (customerNumber: number) =>
    slice.dataSource.query(
      `SELECT operation, fields, client_id, client_name, actor, channel, correlation_id
         FROM audit_events WHERE organisation_id = 1 AND customer_number = $1 ORDER BY id`,
      [customerNumber],
    );

  it("deletes the customer's stored answers, clears the free text of its audit and audits the erasure", async () => {
    const erased = await tracedCustomer();
    const kept = await tracedCustomer();

    await slice.dataSource.transaction((m) =>
      eraseCustomerTraces(
        m,
        audit,
        [{ organisationId: 1, customerNumber: String(erased.customerNumber) }],
        'PURGED',
      ),
    );

    expect(await keys.findAnswered(erased.scope)).toBeNull();
    const trail = await auditOf(erased.customerNumber);
    expect(trail.filter((r: { operation: string }) => r.operation === 'NOTE_ADDED')).toEqual([
      {
        operation: 'NOTE_ADDED',
        fields: [],
        client_id: org1.clientId,
        client_name: null,
        actor: null,
        channel: null,
        correlation_id: null,
      },
    ]);
    expect(trail[trail.length - 1]).toMatchObject({ operation: 'PURGED', client_id: null });

    expect(await keys.findAnswered(kept.scope)).not.toBeNull();
    expect(await auditOf(kept.customerNumber)).toContainEqual(
      expect.objectContaining({ operation: 'NOTE_ADDED', actor: 'a person', fields: ['text'] }),
    );
  });
});
