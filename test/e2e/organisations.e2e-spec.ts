import { randomInt } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiResponse } from '../utils/http-client';
import { createTestApp, TestApp } from '../utils/test-app';

const BASE = '/customers/v2/organisations';

/** An id no other suite uses (the PostgreSQL database is shared between suites). */
function freshId(): number {
  return 1_000_000_000 + randomInt(1_000_000_000);
}

function expectProblem(res: ApiResponse, status: number): void {
  expect(res.status).toBe(status);
  expect(res.headers.get('content-type')).toContain('application/problem+json');
  expect(res.body.status).toBe(status);
}

describe('organisation registry', () => {
  let t: TestApp;
  let admin: string;

  beforeAll(async () => {
    t = await createTestApp();
    admin = t.issuer.admin();
  });
  afterAll(() => t.close());

  it('should list registered organisations in id order', async () => {
    const res = await t.http.get(BASE, { token: admin });
    expect(res.status).toBe(200);
    const ids = res.body.map((o: { id: number }) => o.id);
    expect(ids).toEqual(expect.arrayContaining([1, 2, 3]));
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(res.body[0]).toEqual({
      id: expect.any(Number),
      name: expect.any(String),
      active: expect.any(Boolean),
      createdAt: expect.any(String),
      changedAt: expect.any(String),
    });
  });

  it('should get one organisation, 404 for an unknown one and 400 for a non-numeric id', async () => {
    const one = await t.http.get(`${BASE}/1`, { token: admin });
    expect(one.status).toBe(200);
    expect(one.body).toMatchObject({ id: 1, active: true });
    expectProblem(await t.http.get(`${BASE}/${freshId()}`, { token: admin }), 404);
    expectProblem(await t.http.get(`${BASE}/abc`, { token: admin }), 400);
  });

  it('should register an organisation and refuse the same id twice with 409', async () => {
    const id = freshId();
    const created = await t.http.post(BASE, { token: admin, body: { id, name: 'Vy' } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ id, name: 'Vy', active: true });
    expect(Date.parse(created.body.createdAt)).not.toBeNaN();

    const again = await t.http.post(BASE, { token: admin, body: { id, name: 'Vy again' } });
    expectProblem(again, 409);
    expect(again.body.detail).toContain(String(id));
    expect((await t.http.get(`${BASE}/${id}`, { token: admin })).body.name).toBe('Vy');
  });

  it.each([
    ['a missing name', (id: number) => ({ id })],
    ['an empty name', (id: number) => ({ id, name: '' })],
    ['a name over 200 characters', (id: number) => ({ id, name: 'x'.repeat(201) })],
    ['a name that is not a string', (id: number) => ({ id, name: 42 })],
    ['a missing id', () => ({ name: 'No id' })],
    ['a zero id', () => ({ id: 0, name: 'Zero' })],
    ['a negative id', () => ({ id: -5, name: 'Negative' })],
    ['a fractional id', (id: number) => ({ id: id + 0.5, name: 'Half' })],
    ['a string id', (id: number) => ({ id: String(id), name: 'String' })],
    ['an id beyond the integer range', () => ({ id: 2 ** 31, name: 'Huge' })],
    ['an unknown field', (id: number) => ({ id, name: 'Extra', active: false })],
  ])('should refuse %s with 400 and write nothing', async (_, body) => {
    const id = freshId();
    const res = await t.http.post(BASE, { token: admin, body: body(id) });
    expectProblem(res, 400);
    expect(res.body.errors.length + res.body.detail.length).toBeGreaterThan(0);
    expectProblem(await t.http.get(`${BASE}/${id}`, { token: admin }), 404);
  });

  it('should rename, deactivate and reactivate an organisation', async () => {
    const id = freshId();
    const created = await t.http.post(BASE, { token: admin, body: { id, name: 'Before' } });
    expect(created.status).toBe(201);

    const renamed = await t.http.patch(`${BASE}/${id}`, { token: admin, body: { name: 'After' } });
    expect(renamed.status).toBe(200);
    expect(renamed.body).toMatchObject({ id, name: 'After', active: true });
    expect(Date.parse(renamed.body.changedAt)).toBeGreaterThanOrEqual(
      Date.parse(created.body.changedAt),
    );

    const deactivated = await t.http.patch(`${BASE}/${id}`, {
      token: admin,
      body: { active: false },
    });
    expect(deactivated.body).toMatchObject({ id, name: 'After', active: false });
    expect((await t.http.get(`${BASE}/${id}`, { token: admin })).body.active).toBe(false);

    const reactivated = await t.http.patch(`${BASE}/${id}`, {
      token: admin,
      body: { active: true },
    });
    expect(reactivated.body).toMatchObject({ id, name: 'After', active: true });
  });

  it('should refuse a bad update with 400 and change nothing', async () => {
    const id = freshId();
    await t.http.post(BASE, { token: admin, body: { id, name: 'Stable' } });
    for (const body of [{ active: 'no' }, { name: '' }, { name: 'x'.repeat(201) }, { id: 7 }]) {
      expectProblem(await t.http.patch(`${BASE}/${id}`, { token: admin, body }), 400);
    }
    expect((await t.http.get(`${BASE}/${id}`, { token: admin })).body).toMatchObject({
      name: 'Stable',
      active: true,
    });
  });

  it('should answer 404 when updating an unknown organisation', async () => {
    const res = await t.http.patch(`${BASE}/${freshId()}`, {
      token: admin,
      body: { name: 'Ghost' },
    });
    expectProblem(res, 404);
  });

  it('should refuse partner tokens on every registry operation with 403', async () => {
    const partner = t.issuer.partner(1);
    const id = freshId();
    expectProblem(await t.http.get(BASE, { token: partner }), 403);
    expectProblem(await t.http.get(`${BASE}/1`, { token: partner }), 403);
    expectProblem(await t.http.post(BASE, { token: partner, body: { id, name: 'Mine' } }), 403);
    expectProblem(
      await t.http.patch(`${BASE}/1`, { token: partner, body: { active: false } }),
      403,
    );
    expectProblem(await t.http.get(`${BASE}/${id}`, { token: admin }), 404);
    expect((await t.http.get(`${BASE}/1`, { token: admin })).body.active).toBe(true);
  });
});

describe('ORGANISATIONS bootstrap', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'customers-orgs-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('should register missing organisations at start-up and leave existing ones as they are', async () => {
    const kept = freshId();
    const added = freshId();
    // A persistent database (a PGlite folder, or the shared PostgreSQL), started twice.
    const env = { PGLITE_DATA_DIR: join(dataDir, 'pglite') };

    const first = await createTestApp({ ...env, ORGANISATIONS: `${kept}:Configured` });
    try {
      const admin = first.issuer.admin();
      const registered = await first.http.get(`${BASE}/${kept}`, { token: admin });
      expect(registered.body).toMatchObject({ id: kept, name: 'Configured', active: true });
      await first.http.patch(`${BASE}/${kept}`, {
        token: admin,
        body: { name: 'Renamed by the operator', active: false },
      });
    } finally {
      await first.close();
    }

    const second = await createTestApp({
      ...env,
      ORGANISATIONS: `${kept}:Configured again,${added}:Added later`,
    });
    try {
      const admin = second.issuer.admin();
      expect((await second.http.get(`${BASE}/${kept}`, { token: admin })).body).toMatchObject({
        id: kept,
        name: 'Renamed by the operator',
        active: false,
      });
      expect((await second.http.get(`${BASE}/${added}`, { token: admin })).body).toMatchObject({
        id: added,
        name: 'Added later',
        active: true,
      });
    } finally {
      await second.close();
    }
  });
});
