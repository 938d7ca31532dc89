import { ExpiryService } from '../../src/expiry/expiry.service';
import { createProfile, unique } from '../factories/profile.factory';
import { ApiResponse } from '../utils/http-client';
import { createTestApp, TestApp } from '../utils/test-app';

const PROFILES = '/customers/v2/profiles';
const TEMPORARY = `${PROFILES}/temporary`;
const notesOf = (n: number) => `${PROFILES}/${n}/notes`;
const inTwoDays = () => new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10);

describe('profile notes', () => {
  let t: TestApp;
  let token: string;

  beforeAll(async () => {
    t = await createTestApp();
    token = t.issuer.partner(1);
  });
  afterAll(() => t.close());

  const customer = async (organisationId = 1) =>
    Number((await createProfile(t, {}, organisationId)).customerNumber);

  const addNote = (n: number, body: Record<string, unknown>, headers = {}) =>
    t.http.post(notesOf(n), { token, body, headers });

  const expectProblem = (res: ApiResponse, status: number, errorCode: number) => {
    expect({ status: res.status, errorCode: res.body?.errorCode }).toEqual({ status, errorCode });
    expect(res.headers.get('content-type')).toContain('application/problem+json');
  };

  it('should add, read, list, replace and remove a note (Entur NoteResponse plus customerNumber)', async () => {
    const n = await customer();
    const created = await addNote(n, {
      text: 'Called about a refund.\nSent the form by e-mail.',
      createdBy: 'crm-user-17',
    });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({
      id: expect.any(Number),
      customerNumber: n,
      customerId: n,
      text: 'Called about a refund.\nSent the form by e-mail.',
      createdAt: expect.any(String),
      createdBy: 'crm-user-17',
      changedAt: created.body.createdAt,
      changedBy: 'crm-user-17',
    });
    const location = created.headers.get('location');
    expect(location).toBe(`${notesOf(n)}/${created.body.id}`);

    const read = await t.http.get(location!, { token });
    expect(read.status).toBe(200);
    expect(read.body).toEqual(created.body);

    const second = await addNote(n, { text: 'Second', createdBy: 'crm-user-18' });
    expect(second.status).toBe(201);
    const list = await t.http.get(notesOf(n), { token });
    expect(list.status).toBe(200);
    expect(list.body.map((note: { id: number }) => note.id)).toEqual([
      created.body.id,
      second.body.id,
    ]);

    const replaced = await t.http.put(location!, {
      token,
      body: { text: 'Refund paid', changedBy: 'crm-user-20' },
    });
    expect(replaced.status).toBe(200);
    expect(replaced.body).toMatchObject({
      id: created.body.id,
      text: 'Refund paid',
      createdBy: 'crm-user-17',
      createdAt: created.body.createdAt,
      changedBy: 'crm-user-20',
    });
    expect(Date.parse(replaced.body.changedAt)).toBeGreaterThanOrEqual(
      Date.parse(created.body.createdAt),
    );

    expect((await t.http.delete(location!, { token })).status).toBe(204);
    expectProblem(await t.http.get(location!, { token }), 404, 617);
    expectProblem(await t.http.delete(location!, { token }), 404, 617);
    expect((await t.http.get(notesOf(n), { token })).body).toHaveLength(1);
  });

  it('should refuse bad input with 400 problem+json and store nothing', async () => {
    const n = await customer();
    const bad: [string, Record<string, unknown>][] = [
      ['text', { createdBy: 'a' }],
      ['text', { text: '', createdBy: 'a' }],
      ['text', { text: '  \n\t ', createdBy: 'a' }],
      ['text', { text: 'x'.repeat(4001), createdBy: 'a' }],
      ['text', { text: 42, createdBy: 'a' }],
      ['createdBy', { text: 'ok' }],
      ['createdBy', { text: 'ok', createdBy: 'x'.repeat(101) }],
      ['unknown', { text: 'ok', createdBy: 'a', unknown: 1 }],
      ['text', { text: 'nul \u0000 inside', createdBy: 'a' }],
    ];
    for (const [field, body] of bad) {
      const res = await addNote(n, body);
      expect({ field, status: res.status }).toEqual({ field, status: 400 });
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    }
    expect((await addNote(n, { text: 'x'.repeat(4000), createdBy: 'a' })).status).toBe(201);
    const created = await addNote(n, { text: 'keep', createdBy: 'a' });
    const put = await t.http.put(`${notesOf(n)}/${created.body.id}`, {
      token,
      body: { text: 'changed', createdBy: 'a' },
    });
    expect(put.status).toBe(400);
    expect((await t.http.get(`${notesOf(n)}/${created.body.id}`, { token })).body.text).toBe(
      'keep',
    );
    expect((await t.http.get(`${notesOf(n)}/abc`, { token })).status).toBe(400);
    expect((await t.http.get(notesOf(n), { token })).body).toHaveLength(2);
  });

  it("should answer 404 for another organisation's customer and note, and for a note of another customer", async () => {
    const n = await customer();
    const other = await customer();
    const note = await addNote(n, { text: 'Mine', createdBy: 'a' });
    const foreign = t.issuer.partner(2);
    expectProblem(await t.http.get(notesOf(n), { token: foreign }), 404, 617);
    expectProblem(await t.http.get(`${notesOf(n)}/${note.body.id}`, { token: foreign }), 404, 617);
    expectProblem(
      await t.http.post(notesOf(n), { token: foreign, body: { text: 'x', createdBy: 'a' } }),
      404,
      617,
    );
    // The note's id under another customer of the same organisation is not found either.
    expectProblem(await t.http.get(`${notesOf(other)}/${note.body.id}`, { token }), 404, 617);
    expectProblem(
      await t.http.put(`${notesOf(other)}/${note.body.id}`, {
        token,
        body: { text: 'x', changedBy: 'a' },
      }),
      404,
      617,
    );
    expectProblem(await t.http.delete(`${notesOf(other)}/${note.body.id}`, { token }), 404, 617);
    expect((await t.http.get(`${notesOf(n)}/${note.body.id}`, { token })).body.text).toBe('Mine');
  });

  it('should need customers:read to read and customers:write to write', async () => {
    const n = await customer();
    const readOnly = t.issuer.partner(1, ['customers:read']);
    expect((await t.http.get(notesOf(n), { token: readOnly })).status).toBe(200);
    const refused = await t.http.post(notesOf(n), {
      token: readOnly,
      body: { text: 'x', createdBy: 'a' },
    });
    expect(refused.status).toBe(403);
  });

  it('should audit each write by field names only, never the text', async () => {
    const n = await customer();
    const correlationId = `corr-${unique()}`;
    const headers = { 'x-correlation-id': correlationId, 'et-client-name': 'acme-crm' };
    const created = await addNote(n, { text: 'Secret remark', createdBy: 'agent-9' }, headers);
    await t.http.put(`${notesOf(n)}/${created.body.id}`, {
      token,
      headers,
      body: { text: 'Another secret', changedBy: 'agent-9' },
    });
    await t.http.delete(`${notesOf(n)}/${created.body.id}`, { token, headers });
    const rows: Record<string, unknown>[] = await t.dataSource.query(
      `SELECT operation, fields, client_id, client_name, correlation_id FROM audit_events
        WHERE organisation_id = 1 AND customer_number = $1 AND operation LIKE 'NOTE_%' ORDER BY id`,
      [n],
    );
    const entry = { client_id: 'client-1', client_name: 'acme-crm', correlation_id: correlationId };
    expect(rows).toEqual([
      { operation: 'NOTE_ADDED', fields: ['changedBy', 'createdBy', 'text'], ...entry },
      { operation: 'NOTE_UPDATED', fields: ['changedBy', 'text'], ...entry },
      { operation: 'NOTE_REMOVED', fields: [], ...entry },
    ]);
    expect(JSON.stringify(rows)).not.toContain('secret');
  });

  it('should replay a create with the same Idempotency-Key instead of adding a second note', async () => {
    const n = await customer();
    const headers = { 'idempotency-key': `note-${unique()}` };
    const first = await addNote(n, { text: 'Once', createdBy: 'a' }, headers);
    const retry = await addNote(n, { text: 'Once', createdBy: 'a' }, headers);
    expect(first.status).toBe(201);
    expect(retry.status).toBe(201);
    expect(retry.headers.get('idempotency-replayed')).toBe('true');
    expect(retry.body).toEqual(first.body);
    expect((await t.http.get(notesOf(n), { token })).body).toHaveLength(1);
  });

  it('should refuse notes on a temporary profile with 409, as ecards', async () => {
    const temporary = await t.http.post(TEMPORARY, {
      token,
      body: { expirationDate: inTwoDays(), createdBy: 'office', createdByChannel: 'web' },
    });
    const n = Number(temporary.body.customerNumber);
    expectProblem(await addNote(n, { text: 'x', createdBy: 'a' }), 409, 409);
    const list = await t.http.get(notesOf(n), { token });
    expect(list.status).toBe(200);
    expect(list.body).toEqual([]);
  });

  it('should refuse every note write on a deactivated profile (409, errorCode 625) and keep its notes readable', async () => {
    const n = await customer();
    const note = await addNote(n, { text: 'Before', createdBy: 'a' });
    expect((await t.http.delete(`${PROFILES}/${n}`, { token })).status).toBe(200);
    expectProblem(await addNote(n, { text: 'After', createdBy: 'a' }), 409, 625);
    expectProblem(
      await t.http.put(`${notesOf(n)}/${note.body.id}`, {
        token,
        body: { text: 'After', changedBy: 'a' },
      }),
      409,
      625,
    );
    expectProblem(await t.http.delete(`${notesOf(n)}/${note.body.id}`, { token }), 409, 625);
    const list = await t.http.get(notesOf(n), { token });
    expect(list.body.map((x: { text: string }) => x.text)).toEqual(['Before']);
  });

  it('should erase the notes with the profile when the purge comes', async () => {
    const n = await customer();
    await addNote(n, { text: 'To be erased', createdBy: 'a' });
    const deactivated = await t.http.delete(`${PROFILES}/${n}`, { token });
    expect(deactivated.status).toBe(200);
    const purgeAt = new Date(deactivated.body.purgeAt);
    await t.app.get(ExpiryService).expireDue(new Date(purgeAt.getTime() + 1000));
    const [{ count }] = await t.dataSource.query(
      `SELECT count(*)::int AS count FROM notes WHERE organisation_id = 1 AND customer_number = $1`,
      [n],
    );
    expect(count).toBe(0);
    expect((await t.http.get(notesOf(n), { token })).status).toBe(404);
  });
});
