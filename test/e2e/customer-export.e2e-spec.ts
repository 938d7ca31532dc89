import { createProfile, unique } from '../factories/profile.factory';
import { ApiResponse } from '../utils/http-client';
import { createTestApp, TestApp } from '../utils/test-app';
import { activeConsent, createTemporaryProfile } from './consents.fixtures';

const PROFILES = '/customers/v2/profiles';
const GIVEN = '/customers/v2/consents/given-consents';
const expectProblem = (res: ApiResponse, status: number) => {
  expect(res.status).toBe(status);
  expect(res.headers.get('content-type')).toContain('application/problem+json');
};
const exportOf = (customerNumber: number | string) => `${PROFILES}/${customerNumber}/export`;

describe('access export of one customer (GDPR articles 15 and 20)', () => {
  let t: TestApp;
  let org1: string;
  beforeAll(async () => {
    t = await createTestApp();
    org1 = t.issuer.partner(1);
  });
  afterAll(() => t.close());

  /** A customer with one of every sub-resource and a consent answered three times. */
  async function fullCustomer(): Promise<{ customerNumber: number; email: string }> {
    const profile = await createProfile(t, { password: 'abcD123' });
    const customerNumber: number = profile.customerNumber;
    const sub = (path: string, body: Record<string, unknown>) =>
      t.http.post(`${PROFILES}/${customerNumber}/${path}`, { token: org1, body });
    const created = await Promise.all([
      sub('postal-addresses', { addressLine1: 'Storgata 1', postCode: '0150', city: 'Oslo' }),
      sub('preferences', {
        preferenceCode: `WHEELCHAIR-${unique()}`,
        preferenceType: 'ASSISTANCE',
      }),
      sub('ecards', {
        ecardNumber16digits: String(Math.floor(Math.random() * 9e15) + 1e15),
        ecardOperator: 'RUTER',
        startOfOwnership: '2026-01-15T10:00:00.000Z',
      }),
      sub('loyalty-programs', {
        loyaltyProgramType: 'TIMED',
        programId: `STUDENT-${unique()}`,
        validFrom: '2026-01-01T00:00:00.000Z',
      }),
      sub('customer-accounts', { accountId: `ACC-${unique()}`, alias: `alias-${unique()}` }),
      sub('notes', { text: 'Asked for an export', createdBy: 'agent-1' }),
    ]);
    expect(created.map((r) => r.status)).toEqual([201, 201, 201, 201, 201, 201]);
    const { id: consentId } = await activeConsent(t, org1);
    const given = await t.http.post(GIVEN, {
      token: org1,
      body: { customerNumber, consentId, consentChoice: true, distributionChannel: 'app' },
    });
    expect(given.status).toBe(201);
    const withdrawn = await t.http.delete(`${GIVEN}/${given.body.id}`, { token: org1 });
    expect(withdrawn.status).toBe(200);
    const regiven = await t.http.patch(`${GIVEN}/${given.body.id}`, {
      token: org1,
      body: { consentChoice: true, distributionChannel: 'web' },
    });
    expect(regiven.status).toBe(200);
    const patched = await t.http.patch(`${PROFILES}/${customerNumber}`, {
      token: org1,
      headers: { 'content-type': 'application/merge-patch+json' },
      body: { surname: 'Eksportert', changedBy: 'crm-user', changedByChannel: 'crm' },
    });
    expect(patched.status).toBe(200);
    return { customerNumber, email: profile.email };
  }

  it('should hold the profile, every sub-resource, each consent with its history and the audit trail', async () => {
    const { customerNumber } = await fullCustomer();
    const neighbour = await fullCustomer();

    const res = await t.http.get(exportOf(customerNumber), { token: org1 });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const doc = res.body;
    expect(doc).toMatchObject({
      organisationId: 1,
      customerNumber,
      hasPassword: true,
      profile: { customerNumber, surname: 'Eksportert', profileType: 'S' },
    });
    expect(doc.profile.postalAddresses).toHaveLength(1);
    for (const section of [
      'postalAddresses',
      'preferences',
      'ecards',
      'loyaltyPrograms',
      'customerAccounts',
      'notes',
    ]) {
      expect({ section, rows: doc[section].length }).toEqual({ section, rows: 1 });
    }
    expect(doc.givenConsents).toHaveLength(1);
    const [consent] = doc.givenConsents;
    expect(consent.consent.consentBase.terms.length).toBeGreaterThan(0);
    expect(consent.history.map((h: { consentChoice: boolean }) => h.consentChoice)).toEqual([
      true,
      false,
      true,
    ]);
    const operations = doc.auditTrail.map((e: { operation: string }) => e.operation);
    expect(operations[0]).toBe('PROFILE_CREATED');
    expect(operations).toContain('PROFILE_UPDATED');
    expect(operations).toContain('POSTAL_ADDRESS_ADDED');
    for (const entry of doc.auditTrail) {
      expect(entry).toMatchObject({ organisationId: 1, customerNumber });
    }
    // The change events about them, as CloudEvents in order, given consents included.
    const events: { type: string; subject: string; data: Record<string, unknown> }[] = doc.events;
    expect(events.map((e) => [e.type, e.data.change]).slice(0, 1)).toEqual([
      ['customers.customer.changed', 'PROFILE_CREATED'],
    ]);
    expect(events.map((e) => e.type)).toContain('customers.given-consent.changed');
    expect(events.map((e) => e.data.change)).toEqual(
      expect.arrayContaining(['POSTAL_ADDRESS_ADDED', 'PROFILE_UPDATED']),
    );
    expect(events.map((e) => e.data.sequence)).toEqual(events.map((_, i) => i + 1));
    for (const event of events) {
      expect(event).toMatchObject({
        specversion: '1.0',
        subject: String(customerNumber),
        data: { organisationId: 1, customerNumber },
      });
    }
    const [{ n: neighbourEvents }] = await t.dataSource.query(
      `SELECT count(*)::int AS n FROM events WHERE subject = $1`,
      [String(neighbour.customerNumber)],
    );
    expect(neighbourEvents).toBeGreaterThan(0);
    // Nothing of another customer, and never a password or its hash.
    const text = res.text;
    expect(text).not.toContain(neighbour.email);
    expect(text).not.toContain(`"customerNumber":${neighbour.customerNumber}`);
    expect(text).not.toMatch(/argon2|password_hash|passwordHash|abcD123/);
  });

  it('should record the export itself in the audit trail', async () => {
    const { customerNumber } = await createProfile(t);
    expect((await t.http.get(exportOf(customerNumber), { token: org1 })).status).toBe(200);
    const trail = await t.http.get(`${PROFILES}/${customerNumber}/audit`, {
      token: t.issuer.admin(),
    });
    expect(trail.body.map((e: { operation: string }) => e.operation)).toEqual([
      'PROFILE_CREATED',
      'PROFILE_EXPORTED',
    ]);
    const again = await t.http.get(exportOf(customerNumber), { token: org1 });
    expect(again.body.auditTrail.at(-1).operation).toBe('PROFILE_EXPORTED');
  });

  it('should stream a long audit trail whole, in order, page after page', async () => {
    const { customerNumber } = await createProfile(t);
    await t.dataSource.query(
      `INSERT INTO audit_events (organisation_id, customer_number, operation, fields, client_id)
       SELECT 1, $1, 'PROFILE_UPDATED', ARRAY['surname'], 'bulk-' || n
         FROM generate_series(1, 1234) AS n`,
      [customerNumber],
    );
    const res = await t.http.get(exportOf(customerNumber), { token: org1 });
    expect(res.status).toBe(200);
    const ids: number[] = res.body.auditTrail.map((e: { id: number }) => e.id);
    // PROFILE_CREATED, 1,234 updates, and this export's own row.
    expect(ids).toHaveLength(1236);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort((a, b) => a - b)).toEqual(ids);
  });

  it('should export a temporary profile', async () => {
    const customerNumber = await createTemporaryProfile(t, 1);
    const res = await t.http.get(exportOf(customerNumber), { token: org1 });
    expect(res.status).toBe(200);
    expect(res.body.profile).toMatchObject({ customerNumber, profileType: 'T' });
    expect(res.body.hasPassword).toBe(false);
  });

  it('should show the life of a converted temporary profile in its audit trail', async () => {
    const customerNumber = await createTemporaryProfile(t, 1);
    const converted = await t.http.post(`${PROFILES}/temporary/${customerNumber}/convert`, {
      token: org1,
      body: { firstName: 'Kari', surname: 'Nordmann', createdBy: 'c', createdByChannel: 'c' },
    });
    expect(converted.status).toBe(200);
    const res = await t.http.get(exportOf(customerNumber), { token: org1 });
    expect(res.body.profile.profileType).toBe('S');
    expect(res.body.auditTrail.map((e: { operation: string }) => e.operation)).toEqual([
      'TEMPORARY_CREATED',
      'TEMPORARY_CONVERTED',
      'PROFILE_EXPORTED',
    ]);
  });

  it("should answer 404 for another organisation's customer and one that does not exist, writing nothing", async () => {
    const { customerNumber } = await createProfile(t);
    expectProblem(await t.http.get(exportOf(customerNumber), { token: t.issuer.partner(2) }), 404);
    expectProblem(await t.http.get(exportOf(999_999_999), { token: org1 }), 404);
    const rows: unknown[] = await t.dataSource.query(
      `SELECT 1 FROM audit_events WHERE customer_number = $1 AND operation = 'PROFILE_EXPORTED'`,
      [customerNumber],
    );
    expect(rows).toHaveLength(0);
  });

  it('should answer 400 for a bad customer number and 403 without customers:export', async () => {
    expectProblem(await t.http.get(exportOf('abc'), { token: org1 }), 400);
    const { customerNumber } = await createProfile(t);
    const readOnly = t.issuer.partner(1, ['customers:read', 'customers:write', 'consents:read']);
    expectProblem(await t.http.get(exportOf(customerNumber), { token: readOnly }), 403);
  });
});
