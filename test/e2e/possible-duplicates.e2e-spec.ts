import { createProfile, unique, uniqueEmail } from '../factories/profile.factory';
import { createTestApp, TestApp } from '../utils/test-app';
import { insertTemporaryProfile } from './consents.fixtures';

const PROFILES = '/customers/v2/profiles';
const duplicatesOf = (customerNumber: number | string) =>
  `${PROFILES}/${customerNumber}/possible-duplicates`;

/** A mobile number no other suite uses (8 digits starting with 9). */
const mobile = () => `+479${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`;
/** A date of birth in 1930–1969, away from the other suites' fixed dates. */
const birthday = () =>
  new Date(Date.UTC(1930 + Math.floor(Math.random() * 40), 0, 1 + Math.floor(Math.random() * 360)))
    .toISOString()
    .slice(0, 10);

describe('possible duplicates of a profile', () => {
  let t: TestApp;
  let org1: string;
  beforeAll(async () => {
    t = await createTestApp();
    org1 = t.issuer.partner(1);
  });
  afterAll(() => t.close());

  it('should rank the profiles that share an e-mail, a number, or a birthday and a similar name', async () => {
    const surname = `Lund${unique()}`;
    const dateOfBirth = birthday();
    const telephoneNumber = mobile();
    const email = uniqueEmail();
    const me = await createProfile(t, {
      firstName: 'Kari',
      surname,
      dateOfBirth,
      telephoneNumber,
      email,
    });

    const sameNumberAndName = await createProfile(t, {
      firstName: 'Karii',
      surname,
      dateOfBirth,
      telephoneNumber,
    });
    const similarName = await createProfile(t, {
      firstName: 'Kari',
      surname: `${surname}n`,
      dateOfBirth,
    });
    const sameNumber = await createProfile(t, {
      firstName: 'Per',
      surname: 'Hansen',
      telephoneNumber,
    });
    const temporary = await t.http.post(`${PROFILES}/temporary`, {
      token: org1,
      body: {
        email: email.toUpperCase(),
        expirationDate: new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10),
        createdBy: 'test',
        createdByChannel: 'test',
      },
    });
    expect(temporary.status).toBe(201);
    // Not candidates: the name born another day, another name born that day, another
    // organisation, and an expired temporary profile with the same number.
    await createProfile(t, { firstName: 'Kari', surname, dateOfBirth: '1971-01-01' });
    await createProfile(t, { firstName: 'Ola', surname: `Berg${unique()}`, dateOfBirth });
    await createProfile(t, { firstName: 'Kari', surname, dateOfBirth, telephoneNumber }, 2);
    const expired = await insertTemporaryProfile(t, 1, new Date(Date.now() - 60_000));
    await t.dataSource.query(
      `UPDATE profiles SET telephone_number = $2 WHERE organisation_id = 1 AND customer_number = $1`,
      [expired, telephoneNumber],
    );

    const res = await t.http.get(duplicatesOf(me.customerNumber), { token: org1 });
    expect(res.status).toBe(200);
    const found = res.body.map((d: any) => ({
      customerNumber: d.profile.customerNumber,
      signals: d.signals,
    }));
    // The same number with a similar name beats any one signal; a shared address (0.9) beats a
    // shared number (0.8); a similar name alone scores 0.9 × its similarity.
    expect(found.slice(0, 2)).toEqual([
      {
        customerNumber: sameNumberAndName.customerNumber,
        signals: ['NAME_AND_DATE_OF_BIRTH', 'TELEPHONE_NUMBER'],
      },
      { customerNumber: temporary.body.customerNumber, signals: ['EMAIL'] },
    ]);
    expect(found.slice(2)).toHaveLength(2);
    expect(found.slice(2)).toEqual(
      expect.arrayContaining([
        { customerNumber: similarName.customerNumber, signals: ['NAME_AND_DATE_OF_BIRTH'] },
        { customerNumber: sameNumber.customerNumber, signals: ['TELEPHONE_NUMBER'] },
      ]),
    );
    const scores: number[] = res.body.map((d: { score: number }) => d.score);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
    expect(res.body[0].nameSimilarity).toBeGreaterThan(0.4);
    expect(res.body[0].nameSimilarity).toBeLessThan(1);
    expect(res.body[1].nameSimilarity).toBeNull();

    const best = await t.http.get(duplicatesOf(me.customerNumber), {
      token: org1,
      query: { maxResultSet: 1 },
    });
    expect(best.body).toHaveLength(1);
    expect(best.body[0].profile.customerNumber).toBe(sameNumberAndName.customerNumber);
  });

  it('should answer an empty list for a profile like no other', async () => {
    const alone = await createProfile(t, { surname: `Alone${unique()}` });
    const res = await t.http.get(duplicatesOf(alone.customerNumber), { token: org1 });
    expect(res.status).toBe(200);
    expect(res.body).toEqual([]);
  });

  it("should answer 404 for another organisation's profile and 400 for bad input", async () => {
    const { customerNumber } = await createProfile(t);
    const foreign = await t.http.get(duplicatesOf(customerNumber), { token: t.issuer.partner(2) });
    expect(foreign.status).toBe(404);
    expect(foreign.headers.get('content-type')).toContain('application/problem+json');
    for (const maxResultSet of ['0', '101', 'x']) {
      const bad = await t.http.get(duplicatesOf(customerNumber), {
        token: org1,
        query: { maxResultSet },
        contract: false,
      });
      expect(bad.status).toBe(400);
    }
    expect((await t.http.get(duplicatesOf('abc'), { token: org1 })).status).toBe(400);
  });
});
