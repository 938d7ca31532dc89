import { createProfile, unique } from '../factories/profile.factory';
import { createTestApp, TestApp } from '../utils/test-app';

const EXPORT = '/customers/v2/exports/profiles';

describe("bulk export of an organisation's profiles (NDJSON)", () => {
  let t: TestApp;
  let org1: string;
  beforeAll(async () => {
    t = await createTestApp();
    org1 = t.issuer.partner(1);
  });
  afterAll(() => t.close());

  async function exported(query: Record<string, string>, token = org1) {
    const res = await t.http.get(EXPORT, { token, query });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/x-ndjson; charset=utf-8');
    expect(res.text === '' || res.text.endsWith('\n')).toBe(true);
    return res.text
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line) as { customerNumber: number; organisationId: number });
  }
  const numbers = (profiles: { customerNumber: number }[]) => profiles.map((p) => p.customerNumber);

  it("should stream the organisation's matching profiles in customerNumber order, one per line", async () => {
    const surname = unique('Eksport');
    const mine = [];
    for (let i = 0; i < 3; i++) {
      mine.push((await createProfile(t, { surname })).customerNumber);
    }
    const foreign = await createProfile(t, { surname }, 2);

    expect(numbers(await exported({ surname }))).toEqual(mine);
    const everything = await exported({});
    expect(numbers(everything)).toEqual(expect.arrayContaining(mine));
    expect(numbers(everything)).not.toContain(foreign.customerNumber);
    expect(everything.every((p) => p.organisationId === 1)).toBe(true);
    const sorted = [...numbers(everything)].sort((a, b) => a - b);
    expect(numbers(everything)).toEqual(sorted);
    expect(numbers(await exported({ surname }, t.issuer.partner(2)))).toEqual([
      foreign.customerNumber,
    ]);
  });

  it('should give only what changed since a moment', async () => {
    const surname = unique('Endret');
    const untouched = await createProfile(t, { surname });
    const changed = await createProfile(t, { surname });
    const [{ now }]: { now: Date }[] = await t.dataSource.query('SELECT clock_timestamp() AS now');
    const patched = await t.http.patch(`/customers/v2/profiles/${changed.customerNumber}`, {
      token: org1,
      headers: { 'content-type': 'application/merge-patch+json' },
      body: { firstName: 'Endret', changedBy: 'test', changedByChannel: 'test' },
    });
    expect(patched.status).toBe(200);
    const created = await createProfile(t, { surname });
    const since = new Date(now).toISOString();
    expect(numbers(await exported({ surname, changedSince: since }))).toEqual([
      changed.customerNumber,
      created.customerNumber,
    ]);
    expect(numbers(await exported({ surname }))).toContain(untouched.customerNumber);
  });

  it('should follow the search filters for deactivated and temporary profiles', async () => {
    const surname = unique('Status');
    const active = await createProfile(t, { surname });
    const gone = await createProfile(t, { surname });
    expect(
      (await t.http.delete(`/customers/v2/profiles/${gone.customerNumber}`, { token: org1 }))
        .status,
    ).toBe(200);
    expect(numbers(await exported({ surname }))).toEqual([active.customerNumber]);
    expect(numbers(await exported({ surname, status: 'D' }))).toEqual([gone.customerNumber]);
  });

  it('should answer an empty export when another organisationId is named', async () => {
    expect(await exported({ organisationId: '2' })).toEqual([]);
  });

  it('should answer 400 problem+json for bad filters and 403 without customers:export', async () => {
    for (const query of [
      { changedSince: 'yesterday' },
      { changedSince: '2026-13-01T00:00:00Z' },
      { maxResultSet: '5' },
      { surname: '*' },
    ]) {
      const res = await t.http.get(EXPORT, { token: org1, query });
      expect({ query, status: res.status }).toEqual({ query, status: 400 });
      expect(res.headers.get('content-type')).toContain('application/problem+json');
    }
    const readOnly = t.issuer.partner(1, ['customers:read']);
    expect((await t.http.get(EXPORT, { token: readOnly })).status).toBe(403);
  });
});
