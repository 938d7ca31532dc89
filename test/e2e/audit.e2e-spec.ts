import { createProfile, uniqueEmail } from '../factories/profile.factory';
import { createTestApp, TestApp } from '../utils/test-app';

const BASE = '/customers/v2/profiles';

describe('audit trail', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('should record who changed which fields, in order, never the values', async () => {
    const token = t.issuer.partner(2, undefined, 'partner-backend');
    const p = await createProfile(t, { password: 'abcD123', surname: 'Hemmelig' }, 2);
    const newEmail = uniqueEmail();
    const patched = await t.http.patch(`${BASE}/${p.customerNumber}`, {
      token,
      headers: { 'et-client-name': 'vy-webshop', 'x-correlation-id': 'corr-audit-1' },
      body: {
        email: newEmail,
        surname: 'Annen',
        firstName: 'Ola',
        changedBy: 'crm-user-17',
        changedByChannel: 'crm',
      },
    });
    expect(patched.status).toBe(200);
    const put = await t.http.put(`${BASE}/${p.customerNumber}`, {
      token,
      body: {
        firstName: 'Ola',
        surname: 'Annen',
        email: newEmail,
        changedBy: 'crm-user-18',
        changedByChannel: 'crm',
        dateOfBirth: '1999-09-09',
      },
    });
    expect(put.status).toBe(200);
    expect((await t.http.delete(`${BASE}/${p.customerNumber}`, { token })).status).toBe(200);

    const res = await t.http.get(`${BASE}/${p.customerNumber}/audit`, { token: t.issuer.admin() });
    expect(res.status).toBe(200);
    expect(res.body.map((e: { operation: string }) => e.operation)).toEqual([
      'PROFILE_CREATED',
      'PROFILE_UPDATED',
      'PROFILE_REPLACED',
      'PROFILE_DEACTIVATED',
    ]);
    const [created, updated, replaced, deactivated] = res.body;
    expect(created).toMatchObject({
      organisationId: 2,
      customerNumber: p.customerNumber,
      actor: 'test',
      channel: 'test',
      clientId: 'client-2',
    });
    expect(created.fields).toEqual(
      expect.arrayContaining(['email', 'firstName', 'surname', 'password']),
    );
    expect(updated).toMatchObject({
      fields: ['email', 'surname'],
      clientId: 'partner-backend',
      clientName: 'vy-webshop',
      actor: 'crm-user-17',
      channel: 'crm',
      correlationId: 'corr-audit-1',
    });
    expect(replaced.fields).toEqual(['dateOfBirth', 'languagePreference']);
    expect(deactivated.fields).toEqual(expect.arrayContaining(['status', 'email']));

    const text = res.text;
    for (const value of [
      p.email,
      newEmail,
      'Hemmelig',
      'Annen',
      'abcD123',
      '1999-09-09',
      'argon2',
    ]) {
      expect(text).not.toContain(value);
    }
    const rows: { row: string }[] = await t.dataSource.query(
      `SELECT row_to_json(a)::text AS row FROM audit_events a WHERE customer_number = $1`,
      [p.customerNumber],
    );
    expect(rows).toHaveLength(4);
    for (const { row } of rows) {
      expect(row).not.toContain('Hemmelig');
      expect(row).not.toContain('abcD123');
      expect(row).not.toContain(newEmail);
    }
  });

  it('should roll the audit row back with a failed change', async () => {
    const a = await createProfile(t);
    const b = await createProfile(t);
    const res = await t.http.patch(`${BASE}/${b.customerNumber}`, {
      token: t.issuer.partner(1),
      body: { email: a.email, changedBy: 'x', changedByChannel: 'x' },
    });
    expect(res.status).toBe(409);
    const trail = await t.http.get(`${BASE}/${b.customerNumber}/audit`, {
      token: t.issuer.admin(),
    });
    expect(trail.body.map((e: { operation: string }) => e.operation)).toEqual(['PROFILE_CREATED']);
  });

  it('should need customers:admin, and answer 404 for a customer without a trail', async () => {
    const p = await createProfile(t);
    const partner = await t.http.get(`${BASE}/${p.customerNumber}/audit`, {
      token: t.issuer.partner(1),
    });
    expect(partner.status).toBe(403);
    const none = await t.http.get(`${BASE}/999999999997/audit`, { token: t.issuer.admin() });
    expect(none.status).toBe(404);
    const bad = await t.http.get(`${BASE}/abc/audit`, { token: t.issuer.admin() });
    expect(bad.status).toBe(400);
  });
});
