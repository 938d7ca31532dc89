import { createProfile, unique, uniqueEmail } from '../factories/profile.factory';
import { ApiResponse } from '../utils/http-client';
import { createTestApp, TestApp } from '../utils/test-app';

const SEARCH = '/customers/v2/profiles-search';
const numbers = (body: { customerNumber: number }[]) => body.map((p) => p.customerNumber);

describe('profiles: search', () => {
  let t: TestApp;
  let token: string;
  beforeAll(async () => {
    t = await createTestApp();
    token = t.issuer.partner(1);
  });
  afterAll(() => t.close());

  const search = (query: Record<string, string | number | boolean | undefined>) =>
    t.http.get(SEARCH, { token, query });

  it('should find a just-created profile at once, by e-mail in any case', async () => {
    const p = await createProfile(t);
    const res = await search({ email: p.email.toUpperCase() });
    expect(res.status).toBe(200);
    expect(numbers(res.body)).toEqual([p.customerNumber]);
  });

  it('should answer consistency=eventual the same way without replicas, and refuse other values', async () => {
    const p = await createProfile(t);
    const strong = await search({ email: p.email, consistency: 'strong' });
    const eventual = await search({ email: p.email, consistency: 'eventual' });
    expect(eventual.status).toBe(200);
    expect(eventual.body).toEqual(strong.body);
    expect(numbers(eventual.body)).toEqual([p.customerNumber]);
    const bad = await search({ email: p.email, consistency: 'weak' });
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toEqual([expect.objectContaining({ field: 'consistency' })]);
  });

  it('should match names case-insensitively, exactly or by a trailing * prefix, in order', async () => {
    const surname = unique('Søraas');
    const a = await createProfile(t, { surname, firstName: 'Åse' });
    const b = await createProfile(t, { surname: `${surname}-Berg`, firstName: 'Per' });
    expect(numbers((await search({ surname: surname.toUpperCase() })).body)).toEqual([
      a.customerNumber,
    ]);
    expect(numbers((await search({ surname: `${surname.toLowerCase()}*` })).body)).toEqual([
      a.customerNumber,
      b.customerNumber,
    ]);
    expect(numbers((await search({ surname: `${surname}*`, firstName: 'åse' })).body)).toEqual([
      a.customerNumber,
    ]);
    expect(numbers((await search({ surname: `${surname}*`, firstName: 'p*' })).body)).toEqual([
      b.customerNumber,
    ]);
  });

  it('should treat % and _ in a name literally', async () => {
    const surname = unique('Pct');
    await createProfile(t, { surname });
    expect((await search({ surname: `${surname.slice(0, 4)}%*` })).body).toEqual([]);
    expect((await search({ surname: `${surname.slice(0, 2)}_*` })).body).toEqual([]);
    expect((await search({ surname: '*' })).status).toBe(400);
  });

  it('should search by customerRef, dateOfBirth and postCode-less combinations', async () => {
    const customerRef = unique('ref-');
    const p = await createProfile(t, { customerRef, dateOfBirth: '1971-02-03' });
    expect(numbers((await search({ customerRef })).body)).toEqual([p.customerNumber]);
    const byBirth = await search({ dateOfBirth: '1971-02-03', customerRef });
    expect(numbers(byBirth.body)).toEqual([p.customerNumber]);
    expect((await search({ dateOfBirth: '1971-02-04', customerRef })).body).toEqual([]);
  });

  it('should search by postCode through the postal addresses', async () => {
    const p = await createProfile(t);
    const postCode = String(1000 + Math.floor(Math.random() * 8999));
    await t.dataSource.query(
      `INSERT INTO postal_addresses (organisation_id, customer_number, address_line1, post_code, city)
       VALUES (1, $1, 'Storgata 1', $2, 'Oslo')`,
      [p.customerNumber, postCode],
    );
    const res = await search({ postCode, email: p.email });
    expect(numbers(res.body)).toEqual([p.customerNumber]);
    expect(res.body[0].postalAddresses).toEqual([
      expect.objectContaining({ addressLine1: 'Storgata 1', postCode, city: 'Oslo' }),
    ]);
    expect((await search({ postCode: '0000', email: p.email })).body).toEqual([]);
  });

  it('should apply the phone rules of the reference', async () => {
    const number = String(40000000 + Math.floor(Math.random() * 9999999));
    const p = await createProfile(t, {
      countryCode: '+47',
      telephoneNumberNoCountryCode: number,
      telephoneNumber: `+47${number}`,
    });
    // The pair matches; telephoneNumber is then ignored.
    const pair = await search({
      countryCode: '+47',
      telephoneNumberNoCountryCode: number,
      telephoneNumber: '+4700000000',
    });
    expect(numbers(pair.body)).toEqual([p.customerNumber]);
    expect(
      (await search({ countryCode: '+46', telephoneNumberNoCountryCode: number })).body,
    ).toEqual([]);
    // Half a pair is ignored: alone it is no criterion, with telephoneNumber that one counts.
    expect((await search({ telephoneNumberNoCountryCode: number })).status).toBe(400);
    expect((await search({ countryCode: '+47' })).status).toBe(400);
    const withOld = await search({ countryCode: '+46', telephoneNumber: `+47${number}` });
    expect(numbers(withOld.body)).toEqual([p.customerNumber]);
  });

  it('should cap results at maxResultSet and refuse more than 1000', async () => {
    const surname = unique('Cap');
    const created = [];
    for (let i = 0; i < 3; i++) {
      created.push((await createProfile(t, { surname })).customerNumber);
    }
    expect(numbers((await search({ surname, maxResultSet: 2 })).body)).toEqual(created.slice(0, 2));
    expect(numbers((await search({ surname })).body)).toEqual(created);
    expect((await search({ surname, maxResultSet: 1001 })).status).toBe(400);
    expect((await search({ surname, maxResultSet: 0 })).status).toBe(400);
  });

  describe('paging with the Link of a full page', () => {
    /** Follows `rel="next"` links from a first request; returns every page's customer numbers. */
    async function walk(first: string, between?: () => Promise<unknown>): Promise<number[][]> {
      const pages: number[][] = [];
      let next: string | null = first;
      while (next) {
        const res: ApiResponse = await t.http.get(next, { token });
        expect(res.status).toBe(200);
        pages.push(numbers(res.body));
        const link: string | null = res.headers.get('link');
        next = link ? /^<([^>]+)>; rel="next"$/.exec(link)![1] : null;
        await between?.();
      }
      return pages;
    }

    it('should walk every match exactly once while profiles are created', async () => {
      const surname = unique('Pager');
      const existing: number[] = [];
      for (let i = 0; i < 5; i++) {
        existing.push((await createProfile(t, { surname })).customerNumber);
      }
      const added: number[] = [];
      const pages = await walk(`${SEARCH}?surname=${surname}*&maxResultSet=2`, async () => {
        added.push((await createProfile(t, { surname })).customerNumber);
      });
      const seen = pages.flat();
      expect(new Set(seen).size).toBe(seen.length);
      expect(seen.slice(0, 5)).toEqual(existing);
      // Profiles created during the walk come after the pre-existing ones, if at all.
      expect(seen.slice(5).every((n) => added.includes(n))).toBe(true);
      expect(pages.slice(0, -1).every((page) => page.length === 2)).toBe(true);
    });

    it('should send no Link when the page is not full', async () => {
      const p = await createProfile(t);
      const res = await search({ email: p.email, maxResultSet: 2 });
      expect(numbers(res.body)).toEqual([p.customerNumber]);
      expect(res.headers.get('link')).toBeNull();
    });

    it('should keep the other parameters in the Link, at the /profiles alias too', async () => {
      const surname = unique('Alias');
      await createProfile(t, { surname });
      await createProfile(t, { surname });
      const res = await t.http.get('/customers/v2/profiles', {
        token,
        query: { surname, maxResultSet: 1 },
      });
      expect(res.headers.get('link')).toMatch(
        new RegExp(
          `^</customers/v2/profiles\\?surname=${surname}&maxResultSet=1&cursor=[\\w-]+>; rel="next"$`,
        ),
      );
    });

    it('should answer 400 for a cursor it did not issue', async () => {
      for (const cursor of [
        'nonsense',
        Buffer.from('k1:-1').toString('base64url'),
        'x'.repeat(65),
      ]) {
        const res = await search({ surname: 'Nordmann', cursor });
        expect(res.status).toBe(400);
        expect(res.headers.get('content-type')).toContain('application/problem+json');
      }
    });
  });

  it('should answer 400 problem+json without a criterion or with an unknown parameter', async () => {
    for (const query of [
      {},
      { status: 'A' },
      { maxResultSet: 5 },
      { includeTemporary: true },
      { nickname: 'x' },
    ]) {
      const res = await search(query);
      expect(res.status).toBe(400);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
    }
  });

  it('should include temporary profiles only when asked, and never expired ones', async () => {
    const surname = unique('Temp');
    const permanent = await createProfile(t, { surname });
    const rows: { customer_number: string }[] = await t.dataSource.query(
      `INSERT INTO profiles (organisation_id, uuid, customer_ref, profile_type, surname, expires_at,
         expiration_date, created_by, created_by_channel, changed_by, changed_by_channel)
       VALUES (1, $1, $2, 'T', $3, now() + interval '1 day', current_date + 1, 't', 't', 't', 't'),
              (1, $4, $5, 'T', $3, now() - interval '1 minute', current_date - 1, 't', 't', 't', 't')
       RETURNING customer_number::text`,
      [unique().padEnd(32, 'x'), unique('t-'), surname, unique().padEnd(32, 'y'), unique('t-')],
    );
    const live = Number(rows[0].customer_number);
    expect(numbers((await search({ surname })).body)).toEqual([permanent.customerNumber]);
    const withTemporary = await search({ surname, includeTemporary: true });
    expect(numbers(withTemporary.body)).toEqual([permanent.customerNumber, live]);
    expect(withTemporary.body[1].profileType).toBe('T');
    // The permanent routes do not serve temporary profiles.
    expect((await t.http.get(`/customers/v2/profiles/${live}`, { token })).status).toBe(404);
  });

  it('should serve the same search at the /profiles alias', async () => {
    const p = await createProfile(t);
    const res = await t.http.get('/customers/v2/profiles', { token, query: { email: p.email } });
    expect(res.status).toBe(200);
    expect(numbers(res.body)).toEqual([p.customerNumber]);
  });

  it('should match nothing when another organisationId is named', async () => {
    const p = await createProfile(t);
    const res = await search({ email: p.email, organisationId: 2 });
    expect(res.status).toBe(200);
    expect(res.body).toEqual([]);
    expect(numbers((await search({ email: p.email, organisationId: 1 })).body)).toEqual([
      p.customerNumber,
    ]);
  });

  it('should never show a password hash in search results', async () => {
    const email = uniqueEmail();
    await createProfile(t, { email, password: 'abcD123' });
    const res = await search({ email });
    expect(res.body).toHaveLength(1);
    expect(res.text).not.toMatch(/argon2|password/i);
  });
});
