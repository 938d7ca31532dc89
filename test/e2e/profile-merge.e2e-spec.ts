import { randomUUID } from 'node:crypto';
import { Clock } from '../../src/common/clock/clock';
import { ApiResponse } from '../utils/http-client';
import { createTestApp, TestApp } from '../utils/test-app';
import { activeConsent, insertTemporaryProfile } from './consents.fixtures';

const PROFILES = '/customers/v2/profiles';
const TEMPORARY = `${PROFILES}/temporary`;
const GIVEN = '/customers/v2/consents/given-consents';
const MISSING = 987_654_321_099;
const unique = () => randomUUID().replace(/-/g, '').slice(0, 12);
const ecardNumber = () => String(Math.floor(Math.random() * 9e15) + 1e15);
const tomorrow = () => new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10);
const by = { changedBy: 'crm-user-17', changedByChannel: 'crm' };

/** Tables holding a customer's rows, with the API name of what they hold. */
const CUSTOMER_TABLES: Record<string, string> = {
  postalAddresses: 'postal_addresses',
  preferences: 'preferences',
  ecards: 'ecards',
  loyaltyPrograms: 'loyalty_programs',
  customerAccounts: 'customer_accounts',
  notes: 'notes',
  givenConsents: 'given_consents',
};

function expectProblem(res: ApiResponse, status: number, errorCode?: number): void {
  expect({ status: res.status, type: res.headers.get('content-type') }).toEqual({
    status,
    type: expect.stringContaining('application/problem+json'),
  });
  if (errorCode !== undefined) {
    expect(res.body.errorCode).toBe(errorCode);
  }
}

describe('connect and merge profiles', () => {
  let t: TestApp;
  let org1: string;
  let org2: string;
  let clock: Clock;

  beforeAll(async () => {
    t = await createTestApp();
    org1 = t.issuer.partner(1);
    org2 = t.issuer.partner(2);
    clock = t.app.get(Clock);
  });
  afterEach(() => jest.restoreAllMocks());
  afterAll(() => t.close());

  async function createProfile(body: Record<string, unknown> = {}, token = org1) {
    const res = await t.http.post(PROFILES, {
      token,
      body: {
        firstName: 'Kari',
        surname: 'Nordmann',
        createdBy: 'test',
        createdByChannel: 'web',
        ...body,
      },
    });
    expect(res.status).toBe(201);
    return Number(res.body.customerNumber);
  }

  async function createTemporary(token = org1): Promise<number> {
    const res = await t.http.post(TEMPORARY, {
      token,
      body: { expirationDate: tomorrow(), createdBy: 'test', createdByChannel: 'web' },
    });
    expect(res.status).toBe(201);
    return Number(res.body.customerNumber);
  }

  async function add(n: number, kind: string, body: Record<string, unknown>): Promise<number> {
    const res = await t.http.post(`${PROFILES}/${n}/${kind}`, { token: org1, body });
    expect(`${kind} ${res.status}`).toBe(`${kind} 201`);
    return Number(res.body.id);
  }

  const address = (line: string, isPrimary = false) => ({
    addressLine1: line,
    postCode: '0150',
    city: 'Oslo',
    isPrimary,
  });
  const preference = (code: string, description: string) => ({
    preferenceCode: code,
    preferenceType: 'COMFORT',
    preferenceDescription: description,
  });
  const loyalty = (programId: string, programName: string) => ({
    loyaltyProgramType: 'TIMED',
    programId,
    programName,
    validFrom: '2026-01-01T00:00:00.000Z',
  });
  const ecard = () => ({
    ecardNumber16digits: ecardNumber(),
    ecardOperator: 'RUTER',
    startOfOwnership: '2026-01-15T10:00:00.000Z',
  });

  /** A given consent, answered at a moment the test chooses (the more recent choice wins). */
  async function give(
    n: number,
    consentId: number,
    consentChoice: boolean,
    at: Date,
  ): Promise<number> {
    jest.spyOn(clock, 'now').mockReturnValue(at);
    const res = await t.http.post(GIVEN, {
      token: org1,
      body: { customerNumber: n, consentId, consentChoice, distributionChannel: `app-${n}` },
    });
    jest.restoreAllMocks();
    expect(res.status).toBe(201);
    return Number(res.body.id);
  }

  async function change(id: number, consentChoice: boolean, at: Date): Promise<void> {
    jest.spyOn(clock, 'now').mockReturnValue(at);
    const res = await t.http.patch(`${GIVEN}/${id}`, { token: org1, body: { consentChoice } });
    jest.restoreAllMocks();
    expect(res.status).toBe(200);
  }

  // Consents are valid from their creation, so the answers' moments lie ahead of the real clock.
  const inMinutes = (m: number) => new Date(Date.now() + m * 60_000);

  async function history(id: number) {
    const res = await t.http.get(`${GIVEN}/${id}/history`, { token: org1 });
    expect(res.status).toBe(200);
    return res.body as { revision: number; event: string; consentChoice: boolean }[];
  }

  /** How many rows of each kind a customer has, straight from the database. */
  async function rowCounts(n: number): Promise<Record<string, number>> {
    const counts: Record<string, number> = {};
    for (const [kind, table] of Object.entries(CUSTOMER_TABLES)) {
      const [{ count }] = await t.dataSource.query(
        `SELECT count(*)::int AS count FROM ${table} WHERE organisation_id = 1 AND customer_number = $1`,
        [n],
      );
      counts[kind] = count;
    }
    return counts;
  }

  async function auditOf(n: number): Promise<{ operation: string; fields: string[] }[]> {
    const res = await t.http.get(`${PROFILES}/${n}/audit`, { token: t.issuer.admin() });
    expect(res.status).toBe(200);
    return res.body;
  }

  async function profileRow(n: number) {
    const rows = await t.dataSource.query(
      `SELECT status, profile_type, email, email_old, customer_ref, purge_at,
              password_hash IS NOT NULL AS has_password
         FROM profiles WHERE organisation_id = 1 AND customer_number = $1`,
      [n],
    );
    return rows[0] as
      | {
          status: string;
          profile_type: string;
          email: string | null;
          email_old: string | null;
          customer_ref: string;
          purge_at: Date | null;
          has_password: boolean;
        }
      | undefined;
  }

  /** What a refused request must leave untouched: both profiles and everything on them. */
  async function snapshot(...numbers: number[]) {
    return Promise.all(
      numbers.map(async (n) => ({ row: await profileRow(n), ...(await rowCounts(n)) })),
    );
  }

  const connect = (
    temporary: number,
    body: unknown,
    headers: Record<string, string> = {},
    token = org1,
  ) => t.http.post(`${TEMPORARY}/${temporary}/connect`, { token, body, headers });
  const merge = (
    survivor: number,
    body: unknown,
    headers: Record<string, string> = {},
    token = org1,
  ) => t.http.post(`${PROFILES}/${survivor}/merge`, { token, body, headers });

  describe('connect a temporary profile', () => {
    it('should move its given consents with their history, addresses, preferences and accounts, apply the conflict rules, delete it and answer the target with its ETag', async () => {
      const target = await createProfile({ email: `kari.${unique()}@example.com` });
      const temporary = await createTemporary();
      const code = `SEAT-${unique()}`;
      const targetPrimary = await add(target, 'postal-addresses', address('Target gate 1', true));
      const targetPreference = await add(target, 'preferences', preference(code, 'target'));
      await add(temporary, 'postal-addresses', address('Temp gate 1', true));
      await add(temporary, 'postal-addresses', address('Temp gate 2'));
      await add(temporary, 'preferences', preference(code, 'temporary'));
      const movedPreference = await add(
        temporary,
        'preferences',
        preference(`QUIET-${unique()}`, 'temporary'),
      );
      const account = await add(temporary, 'customer-accounts', { accountId: `ACC-${unique()}` });

      const onlyTemporary = await activeConsent(t, org1);
      const temporaryNewer = await activeConsent(t, org1);
      const targetNewer = await activeConsent(t, org1);
      // Only on the temporary profile, with a history of two revisions.
      const moved = await give(temporary, onlyTemporary.id, true, inMinutes(10));
      await change(moved, false, inMinutes(15));
      // On both: the temporary profile's choice is the more recent one, so it wins.
      const targetOlder = await give(target, temporaryNewer.id, false, inMinutes(20));
      const temporaryWins = await give(temporary, temporaryNewer.id, true, inMinutes(30));
      // On both: the target's choice is the more recent one and stays.
      const temporaryOlder = await give(temporary, targetNewer.id, true, inMinutes(40));
      const targetKeeps = await give(target, targetNewer.id, false, inMinutes(50));
      const movedHistory = await history(moved);
      const targetOlderHistory = await history(targetOlder);
      const before = await t.http.get(`${PROFILES}/${target}`, { token: org1 });

      const res = await connect(temporary, { customerNumber: target, ...by });

      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        customerNumber: target,
        profileType: 'S',
        status: 'A',
        email: before.body.email,
        firstName: before.body.firstName,
        version: before.body.version + 1,
        changedBy: by.changedBy,
        changedByChannel: by.changedByChannel,
      });
      expect(res.headers.get('etag')).toBe(`"${before.body.version + 1}"`);
      const read = await t.http.get(`${PROFILES}/${target}`, { token: org1 });
      expect(read.body).toEqual(res.body);
      // The target's primary address stays the one primary address.
      const addresses = res.body.postalAddresses as {
        id: number;
        addressLine1: string;
        isPrimary: boolean;
      }[];
      expect(addresses.map((a) => a.addressLine1).sort()).toEqual([
        'Target gate 1',
        'Temp gate 1',
        'Temp gate 2',
      ]);
      expect(addresses.filter((a) => a.isPrimary).map((a) => a.id)).toEqual([targetPrimary]);

      // The temporary profile is gone for good, with everything that was left on it.
      expectProblem(await t.http.get(`${TEMPORARY}/${temporary}`, { token: org1 }), 404, 617);
      expect(await profileRow(temporary)).toBeUndefined();
      expect(Object.values(await rowCounts(temporary)).every((c) => c === 0)).toBe(true);
      expect(await rowCounts(target)).toEqual({
        postalAddresses: 3,
        preferences: 2,
        ecards: 0,
        loyaltyPrograms: 0,
        customerAccounts: 1,
        notes: 0,
        givenConsents: 3,
      });

      // Same preference code: the target's wins; the other one moved.
      const preferences = await t.http.get(`${PROFILES}/${target}/preferences`, { token: org1 });
      expect(preferences.body.map((p: { id: number }) => p.id).sort()).toEqual(
        [targetPreference, movedPreference].sort(),
      );
      expect(
        preferences.body.find((p: { id: number }) => p.id === targetPreference)
          .preferenceDescription,
      ).toBe('target');
      const accounts = await t.http.get(`${PROFILES}/${target}/customer-accounts`, { token: org1 });
      expect(accounts.body.map((a: { id: number }) => a.id)).toEqual([account]);

      // Given consents: the moved one keeps its id and its history, untouched.
      const given = await t.http.get(GIVEN, {
        token: org1,
        query: { customerNumber: String(target) },
      });
      expect(given.status).toBe(200);
      const byConsent = new Map(given.body.map((g: { consentId: number }) => [g.consentId, g]));
      expect(byConsent.get(onlyTemporary.id)).toMatchObject({
        id: moved,
        customerNumber: target,
        consentChoice: false,
        revision: 2,
      });
      expect(await history(moved)).toEqual(movedHistory);
      // The more recent choice (the temporary profile's) is a new revision of the target's record.
      expect(byConsent.get(temporaryNewer.id)).toMatchObject({
        id: targetOlder,
        consentChoice: true,
        distributionChannel: `app-${temporary}`,
        revision: 2,
        changedBy: by.changedBy,
      });
      const combined = await history(targetOlder);
      expect(combined.slice(0, 1)).toEqual(targetOlderHistory);
      expect(combined[1]).toMatchObject({ revision: 2, event: 'GIVEN', consentChoice: true });
      // The target's more recent choice stays as it was.
      expect(byConsent.get(targetNewer.id)).toMatchObject({
        id: targetKeeps,
        consentChoice: false,
        revision: 1,
      });
      for (const id of [temporaryWins, temporaryOlder]) {
        expectProblem(await t.http.get(`${GIVEN}/${id}`, { token: org1 }), 404);
      }

      // Audit rows on both sides: the target's names what moved; the erased one keeps only ids.
      const targetTrail = await auditOf(target);
      const entry = targetTrail.find((e) => e.operation === 'PROFILE_CONNECTED');
      expect(entry?.fields).toEqual([
        'customerAccounts',
        'givenConsents',
        'postalAddresses',
        'preferences',
      ]);
      const temporaryTrail = await auditOf(temporary);
      expect(temporaryTrail.map((e) => e.operation)).toContain('TEMPORARY_CONNECTED');
    });

    it('should honour If-Match on the temporary profile: 412 when stale, changing nothing', async () => {
      const target = await createProfile();
      const temporary = await createTemporary();
      await add(temporary, 'postal-addresses', address('Temp gate 1'));
      const before = await snapshot(target, temporary);
      const stale = await connect(
        temporary,
        { customerNumber: target, ...by },
        { 'if-match': '"2"' },
      );
      expectProblem(stale, 412);
      expect(stale.body.currentVersion).toBe(1);
      expect(await snapshot(target, temporary)).toEqual(before);
      const fresh = await connect(
        temporary,
        { customerNumber: target, ...by },
        { 'if-match': '"1"' },
      );
      expect(fresh.status).toBe(200);
      expect(fresh.body.postalAddresses).toHaveLength(1);
    });

    it('should answer 409 errorCode 601 into a temporary or deactivated target, or into itself, changing nothing', async () => {
      const temporary = await createTemporary();
      await add(temporary, 'postal-addresses', address('Temp gate 1'));
      const otherTemporary = await createTemporary();
      const deactivated = await createProfile();
      expect((await t.http.delete(`${PROFILES}/${deactivated}`, { token: org1 })).status).toBe(200);
      const before = await snapshot(temporary, otherTemporary, deactivated);
      const cases: [number, RegExp][] = [
        [otherTemporary, /is a temporary profile/],
        [deactivated, /is deactivated/],
        [temporary, /is a temporary profile/],
      ];
      for (const [target, why] of cases) {
        const res = await connect(temporary, { customerNumber: target, ...by });
        expectProblem(res, 409, 601);
        expect(res.body.detail).toMatch(why);
      }
      expect(await snapshot(temporary, otherTemporary, deactivated)).toEqual(before);
    });

    it('should answer 404 for a missing, expired, permanent or foreign temporary profile and for a missing or foreign target', async () => {
      const target = await createProfile();
      const temporary = await createTemporary();
      const expired = await insertTemporaryProfile(t, 1, new Date(Date.now() - 60_000));
      const permanent = await createProfile();
      const foreignTarget = await createProfile({}, org2);
      const foreignTemporary = await createTemporary(org2);
      for (const path of [MISSING, expired, permanent, foreignTemporary]) {
        const res = await connect(path, { customerNumber: target, ...by });
        expectProblem(res, 404, 617);
        expect(res.body.detail).toBe(`Temporary profile ${path} was not found`);
      }
      // Another organisation's target looks exactly like a missing one.
      const foreign = await connect(temporary, { customerNumber: foreignTarget, ...by });
      const missing = await connect(temporary, { customerNumber: MISSING, ...by });
      expectProblem(foreign, 404, 617);
      expect(foreign.body.detail.replace(String(foreignTarget), 'N')).toBe(
        missing.body.detail.replace(String(MISSING), 'N'),
      );
      expect((await t.http.get(`${TEMPORARY}/${temporary}`, { token: org1 })).status).toBe(200);
      expect((await t.http.get(`${TEMPORARY}/${foreignTemporary}`, { token: org2 })).status).toBe(
        200,
      );
    });
  });

  describe('merge two permanent profiles', () => {
    it("should move every kind of sub-resource and given consent, keep the survivor's fields, fill its empty ones from the source and deactivate the source", async () => {
      const sourceEmail = `ola.${unique()}@example.com`;
      const sourceRef = `REF-${unique()}`;
      const survivor = await createProfile({ firstName: 'Kari' });
      const source = await createProfile({
        firstName: 'Ola',
        email: sourceEmail,
        customerRef: sourceRef,
        countryCode: '+47',
        telephoneNumberNoCountryCode: '98765432',
        dateOfBirth: '1990-05-17',
        password: 'abcD1234',
      });
      const program = `STUDENT-${unique()}`;
      const code = `SEAT-${unique()}`;
      const survivorPrimary = await add(
        survivor,
        'postal-addresses',
        address('Survivor gate 1', true),
      );
      const survivorPreference = await add(survivor, 'preferences', preference(code, 'survivor'));
      const survivorProgram = await add(survivor, 'loyalty-programs', loyalty(program, 'survivor'));
      await add(source, 'postal-addresses', address('Source gate 1', true));
      await add(source, 'preferences', preference(code, 'source'));
      await add(source, 'preferences', preference(`QUIET-${unique()}`, 'source'));
      await add(source, 'ecards', ecard());
      await add(source, 'ecards', ecard());
      await add(source, 'loyalty-programs', loyalty(program, 'source'));
      await add(source, 'loyalty-programs', loyalty(`POINTS-${unique()}`, 'source'));
      await add(source, 'customer-accounts', {
        accountId: `ACC-${unique()}`,
        alias: `family-${unique()}`,
      });
      await add(source, 'notes', { text: 'Asked to merge the two accounts', createdBy: 'agent-1' });
      const onlySource = await activeConsent(t, org1);
      const both = await activeConsent(t, org1);
      const moved = await give(source, onlySource.id, true, inMinutes(30));
      const survivorAnswer = await give(survivor, both.id, true, inMinutes(40));
      await give(source, both.id, false, inMinutes(35));
      const movedHistory = await history(moved);
      const before = await t.http.get(`${PROFILES}/${survivor}`, { token: org1 });

      const res = await merge(survivor, { customerNumber: source, ...by });

      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        customerNumber: survivor,
        status: 'A',
        firstName: 'Kari',
        email: sourceEmail,
        customerRef: sourceRef,
        countryCode: '+47',
        telephoneNumberNoCountryCode: '98765432',
        telephoneNumber: '+4798765432',
        dateOfBirth: '1990-05-17',
        version: before.body.version + 1,
      });
      expect(res.headers.get('etag')).toBe(`"${before.body.version + 1}"`);
      expect((await t.http.get(`${PROFILES}/${survivor}`, { token: org1 })).body).toEqual(res.body);
      expect(await rowCounts(survivor)).toEqual({
        postalAddresses: 2,
        preferences: 2,
        ecards: 2,
        loyaltyPrograms: 2,
        customerAccounts: 1,
        notes: 1,
        givenConsents: 2,
      });
      expect(Object.values(await rowCounts(source)).every((c) => c === 0)).toBe(true);
      expect(
        res.body.postalAddresses
          .filter((a: { isPrimary: boolean }) => a.isPrimary)
          .map((a: { id: number }) => a.id),
      ).toEqual([survivorPrimary]);
      const preferences = await t.http.get(`${PROFILES}/${survivor}/preferences`, { token: org1 });
      expect(
        preferences.body.find((p: { preferenceCode: string }) => p.preferenceCode === code).id,
      ).toBe(survivorPreference);
      const programs = await t.http.get(`${PROFILES}/${survivor}/loyalty-programs`, {
        token: org1,
      });
      expect(
        programs.body.find((p: { programId: string }) => p.programId === program),
      ).toMatchObject({
        id: survivorProgram,
        programName: 'survivor',
      });
      // The moved consent keeps its history; the survivor's more recent answer stays.
      expect(await history(moved)).toEqual(movedHistory);
      const kept = await t.http.get(`${GIVEN}/${survivorAnswer}`, { token: org1 });
      expect(kept.body).toMatchObject({
        customerNumber: survivor,
        consentChoice: true,
        revision: 1,
      });

      // The survivor took the source's password: the source's credentials sign in to it.
      const signIn = await t.http.post(`${PROFILES}/authenticate`, {
        token: org1,
        body: { email: sourceEmail, password: 'abcD1234', lastSignInFrom: 'web' },
      });
      expect(signIn.status).toBe(200);
      expect(signIn.body.customerNumber).toBe(survivor);

      // The source is deactivated with DELETE's purge delay, its unique values released.
      const sourceRow = (await profileRow(source))!;
      expect(sourceRow).toMatchObject({
        status: 'D',
        email: null,
        email_old: null,
        customer_ref: String(source),
        has_password: false,
      });
      const delay = new Date(sourceRow.purge_at!).getTime() - Date.now();
      expect(delay).toBeGreaterThan(71 * 3600_000);
      expect(delay).toBeLessThanOrEqual(72 * 3600_000);

      const survivorTrail = await auditOf(survivor);
      expect(survivorTrail.find((e) => e.operation === 'PROFILE_MERGED')?.fields).toEqual([
        'countryCode',
        'customerAccounts',
        'customerRef',
        'dateOfBirth',
        'ecards',
        'email',
        'givenConsents',
        'loyaltyPrograms',
        'notes',
        'password',
        'postalAddresses',
        'preferences',
        'telephoneNumber',
        'telephoneNumberNoCountryCode',
      ]);
      const sourceTrail = await auditOf(source);
      expect(sourceTrail.find((e) => e.operation === 'PROFILE_MERGED_AWAY')?.fields).toEqual(
        expect.arrayContaining(['status', 'email', 'purgeAt', 'customerRef', 'password']),
      );

      // Restore brings the source back before its purge, empty.
      const restored = await t.http.post(`${PROFILES}/${source}/restore`, { token: org1 });
      expect(restored.status).toBe(200);
      expect(restored.body).toMatchObject({ status: 'A', email: null, postalAddresses: [] });
    });

    it("should keep the survivor's own values and password, and let the later choice of a consent win as a new revision", async () => {
      const survivorEmail = `kari.${unique()}@example.com`;
      const sourceEmail = `ola.${unique()}@example.com`;
      const survivor = await createProfile({
        email: survivorEmail,
        customerRef: `KARI-${unique()}`,
        password: 'abcD1234',
      });
      const survivorBefore = await t.http.get(`${PROFILES}/${survivor}`, { token: org1 });
      const hashBefore = await t.dataSource.query(
        `SELECT password_hash FROM profiles WHERE organisation_id = 1 AND customer_number = $1`,
        [survivor],
      );
      const source = await createProfile({
        firstName: 'Ola',
        surname: 'Hansen',
        email: sourceEmail,
        password: 'xyzW9876',
      });
      const consent = await activeConsent(t, org1);
      const survivorAnswer = await give(survivor, consent.id, false, inMinutes(30));
      await give(source, consent.id, true, inMinutes(55));

      const res = await merge(survivor, { customerNumber: source, ...by });

      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        firstName: 'Kari',
        surname: 'Nordmann',
        email: survivorEmail,
        customerRef: survivorBefore.body.customerRef,
      });
      const hashAfter = await t.dataSource.query(
        `SELECT password_hash FROM profiles WHERE organisation_id = 1 AND customer_number = $1`,
        [survivor],
      );
      expect(hashAfter).toEqual(hashBefore);
      // The source keeps its own values, deactivated as DELETE leaves a profile.
      expect(await profileRow(source)).toMatchObject({
        status: 'D',
        email: null,
        email_old: sourceEmail,
        customer_ref: String(source),
        has_password: true,
      });
      const given = await t.http.get(`${GIVEN}/${survivorAnswer}`, { token: org1 });
      expect(given.body).toMatchObject({
        consentChoice: true,
        revision: 2,
        changedBy: by.changedBy,
      });
      const entries = await history(survivorAnswer);
      expect(entries.map((e) => [e.revision, e.event, e.consentChoice])).toEqual([
        [1, 'DECLINED', false],
        [2, 'GIVEN', true],
      ]);
    });

    it('should merge into a personnel-ticket survivor', async () => {
      const survivor = await createProfile();
      await t.dataSource.query(
        `UPDATE profiles SET profile_type = 'P' WHERE organisation_id = 1 AND customer_number = $1`,
        [survivor],
      );
      const source = await createProfile();
      await add(source, 'ecards', ecard());
      const res = await merge(survivor, { customerNumber: source, ...by });
      expect(res.status).toBe(200);
      expect(res.body.profileType).toBe('P');
      expect((await rowCounts(survivor)).ecards).toBe(1);
    });

    it('should honour If-Match on the survivor: 412 when stale, changing nothing', async () => {
      const survivor = await createProfile();
      const source = await createProfile();
      await add(source, 'postal-addresses', address('Source gate 1'));
      const before = await snapshot(survivor, source);
      const stale = await merge(survivor, { customerNumber: source, ...by }, { 'if-match': '"7"' });
      expectProblem(stale, 412);
      expect(stale.body.currentVersion).toBe(1);
      expect(await snapshot(survivor, source)).toEqual(before);
      const fresh = await merge(
        survivor,
        { customerNumber: source, ...by },
        { 'if-match': 'W/"1"' },
      );
      expect(fresh.status).toBe(200);
    });

    it('should answer 409 with errorCode 601 or 621 and a reason, changing nothing', async () => {
      const survivor = await createProfile();
      const source = await createProfile();
      await add(source, 'postal-addresses', address('Source gate 1'));
      const deactivated = await createProfile();
      expect((await t.http.delete(`${PROFILES}/${deactivated}`, { token: org1 })).status).toBe(200);
      const temporary = await createTemporary();
      const personnel = await createProfile();
      await t.dataSource.query(
        `UPDATE profiles SET profile_type = 'P' WHERE organisation_id = 1 AND customer_number = $1`,
        [personnel],
      );
      const before = await snapshot(survivor, source, deactivated, temporary, personnel);
      const cases: [number, number, number, RegExp][] = [
        [survivor, survivor, 601, /cannot be merged with itself/],
        [survivor, deactivated, 601, new RegExp(`Profile ${deactivated} is deactivated`)],
        [deactivated, source, 601, new RegExp(`Profile ${deactivated} is deactivated`)],
        [survivor, temporary, 601, /is a temporary profile: connect it/],
        [survivor, personnel, 621, /personnel-ticket customer/],
      ];
      for (const [path, body, errorCode, why] of cases) {
        const res = await merge(path, { customerNumber: body, ...by });
        expectProblem(res, 409, errorCode);
        expect(res.body.detail).toMatch(why);
      }
      expect(await snapshot(survivor, source, deactivated, temporary, personnel)).toEqual(before);
    });

    it('should answer 404 for a missing, temporary or foreign survivor and for a missing or foreign source', async () => {
      const survivor = await createProfile();
      const source = await createProfile();
      const temporary = await createTemporary();
      const foreign = await createProfile({}, org2);
      for (const path of [MISSING, temporary]) {
        const res = await merge(path, { customerNumber: source, ...by });
        expectProblem(res, 404, 617);
        expect(res.body.detail).toBe(`Profile ${path} was not found`);
      }
      const foreignSource = await merge(survivor, { customerNumber: foreign, ...by });
      const missingSource = await merge(survivor, { customerNumber: MISSING, ...by });
      expectProblem(foreignSource, 404, 617);
      expect(foreignSource.body.detail.replace(String(foreign), 'N')).toBe(
        missingSource.body.detail.replace(String(MISSING), 'N'),
      );
      expectProblem(await merge(survivor, { customerNumber: source, ...by }, {}, org2), 404, 617);
      expect((await profileRow(source))?.status).toBe('A');
      expect((await t.http.get(`${PROFILES}/${foreign}`, { token: org2 })).body.status).toBe('A');
    });
  });

  describe('bad input', () => {
    const bodies: [string, unknown, string][] = [
      ['no customerNumber', { ...by }, 'customerNumber'],
      ['a text customerNumber', { customerNumber: 'abc', ...by }, 'customerNumber'],
      ['a negative customerNumber', { customerNumber: -4, ...by }, 'customerNumber'],
      ['a fractional customerNumber', { customerNumber: 1.5, ...by }, 'customerNumber'],
      ['a customerNumber beyond 2^53', { customerNumber: 1e300, ...by }, 'customerNumber'],
      ['no changedBy', { customerNumber: 1, changedByChannel: 'crm' }, 'changedBy'],
      [
        'an empty changedByChannel',
        { customerNumber: 1, changedBy: 'a', changedByChannel: '' },
        'changedByChannel',
      ],
      ['an unknown field', { customerNumber: 1, ...by, firstName: 'X' }, 'firstName'],
    ];

    it.each(bodies)(
      'should answer 400 to a connect or merge with %s, changing nothing',
      async (_, body, field) => {
        const survivor = await createProfile();
        const temporary = await createTemporary();
        await add(temporary, 'postal-addresses', address('Temp gate 1'));
        const before = await snapshot(survivor, temporary);
        for (const res of [await connect(temporary, body), await merge(survivor, body)]) {
          expectProblem(res, 400);
          expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
        }
        expect(await snapshot(survivor, temporary)).toEqual(before);
      },
    );

    it('should answer 400 to a non-numeric path, 403 to another organisationId and 400 to a malformed If-Match', async () => {
      const survivor = await createProfile();
      const source = await createProfile();
      expectProblem(
        await merge('abc' as unknown as number, { customerNumber: source, ...by }),
        400,
      );
      expectProblem(
        await connect('abc' as unknown as number, { customerNumber: source, ...by }),
        400,
      );
      expectProblem(
        await merge(survivor, { customerNumber: source, organisationId: 2, ...by }),
        403,
      );
      expectProblem(
        await merge(survivor, { customerNumber: source, ...by }, { 'if-match': 'yesterday' }),
        400,
      );
      expect((await profileRow(source))?.status).toBe('A');
    });
  });

  describe('concurrency', () => {
    it('should connect once under 20 parallel identical requests: one 200, the rest 404, nothing duplicated or lost', async () => {
      const target = await createProfile();
      const temporary = await createTemporary();
      await add(temporary, 'postal-addresses', address('Temp gate 1'));
      await add(temporary, 'preferences', preference(`QUIET-${unique()}`, 'temporary'));
      const consent = await activeConsent(t, org1);
      await give(temporary, consent.id, true, inMinutes(59));
      const answers = await Promise.all(
        Array.from({ length: 20 }, () => connect(temporary, { customerNumber: target, ...by })),
      );
      expect(answers.filter((r) => r.status === 200)).toHaveLength(1);
      for (const res of answers.filter((r) => r.status !== 200)) {
        expectProblem(res, 404, 617);
      }
      expect(await rowCounts(target)).toMatchObject({
        postalAddresses: 1,
        preferences: 1,
        givenConsents: 1,
      });
      expect(await profileRow(temporary)).toBeUndefined();
      const trail = await auditOf(target);
      expect(trail.filter((e) => e.operation === 'PROFILE_CONNECTED')).toHaveLength(1);
    });

    it('should merge once under 20 parallel identical requests: one 200, the rest 409 errorCode 601', async () => {
      const survivor = await createProfile();
      const source = await createProfile();
      await add(source, 'postal-addresses', address('Source gate 1'));
      await add(source, 'ecards', ecard());
      const answers = await Promise.all(
        Array.from({ length: 20 }, () => merge(survivor, { customerNumber: source, ...by })),
      );
      expect(answers.filter((r) => r.status === 200)).toHaveLength(1);
      for (const res of answers.filter((r) => r.status !== 200)) {
        expectProblem(res, 409, 601);
      }
      expect(await rowCounts(survivor)).toMatchObject({ postalAddresses: 1, ecards: 1 });
      expect(Object.values(await rowCounts(source)).every((c) => c === 0)).toBe(true);
      const trail = await auditOf(survivor);
      expect(trail.filter((e) => e.operation === 'PROFILE_MERGED')).toHaveLength(1);
    });

    it('should merge A into B and B into A in parallel without a deadlock: one wins, the other is refused', async () => {
      for (let round = 0; round < 5; round++) {
        const a = await createProfile();
        const b = await createProfile();
        await add(a, 'postal-addresses', address('A gate 1'));
        await add(b, 'postal-addresses', address('B gate 1'));
        const answers = await Promise.all([
          merge(a, { customerNumber: b, ...by }),
          merge(b, { customerNumber: a, ...by }),
          merge(a, { customerNumber: b, ...by }),
          merge(b, { customerNumber: a, ...by }),
        ]);
        const statuses = answers.map((r) => r.status);
        expect(statuses.filter((s) => s === 200)).toHaveLength(1);
        for (const res of answers.filter((r) => r.status !== 200)) {
          expectProblem(res, 409, 601);
        }
        const winner = answers.find((r) => r.status === 200)!.body.customerNumber as number;
        const loser = winner === a ? b : a;
        expect((await rowCounts(winner)).postalAddresses).toBe(2);
        expect((await rowCounts(loser)).postalAddresses).toBe(0);
        expect((await profileRow(loser))?.status).toBe('D');
      }
    });

    it('should connect a temporary profile while its target is merged into another, without a deadlock', async () => {
      for (let round = 0; round < 3; round++) {
        const survivor = await createProfile();
        const target = await createProfile();
        const temporary = await createTemporary();
        await add(temporary, 'postal-addresses', address('Temp gate 1'));
        const [connected, merged] = await Promise.all([
          connect(temporary, { customerNumber: target, ...by }),
          merge(survivor, { customerNumber: target, ...by }),
        ]);
        expect(merged.status).toBe(200);
        // Either the connect came first (and its address moved on with the merge) or it found
        // its target deactivated.
        if (connected.status === 200) {
          expect((await rowCounts(survivor)).postalAddresses).toBe(1);
        } else {
          expectProblem(connected, 409, 601);
          expect((await rowCounts(temporary)).postalAddresses).toBe(1);
        }
      }
    });
  });
});
