import { randomBytes } from 'node:crypto';
import { NormaliseStoredEmails1796100000001 } from '../../migrations/1796100000001-NormaliseStoredEmails';
import { unique } from '../factories/profile.factory';
import { createTestApp, TestApp } from '../utils/test-app';

const PROFILES = '/customers/v2/profiles';
const fullWidth = (text: string) =>
  text.replace(/[!-~]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));

describe('e-mail addresses in one normal form (storage, uniqueness, search)', () => {
  let t: TestApp;
  let token: string;
  beforeAll(async () => {
    t = await createTestApp();
    token = t.issuer.partner(1);
  });
  afterAll(() => t.close());

  const create = (email: string) =>
    t.http.post(PROFILES, {
      token,
      body: {
        firstName: 'Kari',
        surname: 'Nordmann',
        email,
        createdBy: 't',
        createdByChannel: 't',
      },
    });

  it('should store and answer the normal form of the address', async () => {
    const local = unique('kari.');
    const res = await create(`  İ${local.toUpperCase()}@Example.COM `);
    expect(res.status).toBe(201);
    expect(res.body.email).toBe(`i${local}@example.com`);
  });

  it.each([
    ['İ (U+0130) for i', (l: string) => `i${l}@example.com`, (l: string) => `İ${l}@example.com`],
    [
      'capitals',
      (l: string) => `${l}@example.com`,
      (l: string) => `${l.toUpperCase()}@EXAMPLE.com`,
    ],
    [
      'full-width letters',
      (l: string) => `${l}@example.com`,
      (l: string) => fullWidth(`${l}@example.com`),
    ],
    ['surrounding spaces', (l: string) => `${l}@example.com`, (l: string) => ` ${l}@example.com  `],
    [
      'capital ẞ for ß',
      (l: string) => `straße.${l}@example.com`,
      (l: string) => `STRAẞE.${l}@example.com`,
    ],
  ])(
    'should refuse a second profile whose address differs only by %s (409, errorCode 602)',
    async (_name, first, second) => {
      const local = unique('u');
      expect((await create(first(local))).status).toBe(201);
      const clash = await create(second(local));
      expect(clash.status).toBe(409);
      expect(clash.body.errorCode).toBe(602);
    },
  );

  it('should keep ß and ss apart: they are different addresses', async () => {
    const local = unique('u');
    expect((await create(`straße.${local}@example.com`)).status).toBe(201);
    expect((await create(`strasse.${local}@example.com`)).status).toBe(201);
  });

  it('should find a profile by any spelling of its address', async () => {
    const local = unique('ivar.');
    const created = await create(`${local}@example.com`);
    for (const email of [
      `İ${local.slice(1).toUpperCase()}@example.com`,
      fullWidth(`${local}@example.com`),
    ]) {
      const found = await t.http.get('/customers/v2/profiles-search', { token, query: { email } });
      expect(found.status).toBe(200);
      expect(found.body.map((p: { customerNumber: number }) => p.customerNumber)).toEqual([
        created.body.customerNumber,
      ]);
    }
  });

  describe('the migration of addresses stored before', () => {
    const insert = async (email: string, organisationId = 3, profileType = 'S') => {
      const rows: { customer_number: string }[] = await t.dataSource.query(
        `INSERT INTO profiles (organisation_id, uuid, customer_ref, profile_type, email, expires_at,
           created_by, created_by_channel, changed_by, changed_by_channel)
         VALUES ($1, $2, $3, $4::char(1), $5, CASE WHEN $4::text = 'T' THEN now() + interval '1 day' END,
                 't', 't', 't', 't')
         RETURNING customer_number::text`,
        [organisationId, randomBytes(16).toString('hex'), unique('ref-'), profileType, email],
      );
      return rows[0].customer_number;
    };
    const emailOf = async (customerNumber: string) =>
      (
        await t.dataSource.query(`SELECT email FROM profiles WHERE customer_number = $1`, [
          customerNumber,
        ])
      )[0].email as string;
    const migrate = async () => {
      const runner = t.dataSource.createQueryRunner();
      try {
        await new NormaliseStoredEmails1796100000001().up(runner);
      } finally {
        await runner.release();
      }
    };

    it('should bring stored addresses into normal form', async () => {
      const local = unique('old.');
      const upper = await insert(`${local.toUpperCase()}@EXAMPLE.COM`);
      const wide = await insert(fullWidth(`w${local}@example.com`));
      const temporary = await insert(`İ${local}@Example.com`, 3, 'T');
      await migrate();
      expect(await emailOf(upper)).toBe(`${local}@example.com`);
      expect(await emailOf(wide)).toBe(`w${local}@example.com`);
      expect(await emailOf(temporary)).toBe(`i${local}@example.com`);
    });

    it('should stop, naming the customer numbers, when two permanent profiles would share an address', async () => {
      const local = unique('clash.');
      const plain = await insert(`${local}@example.com`);
      const wide = await insert(fullWidth(`${local}@example.com`));
      try {
        await expect(migrate()).rejects.toThrow(
          `Profiles ${wide} and ${plain} of organisation 3 have the same e-mail address`,
        );
      } finally {
        await t.dataSource.query(`DELETE FROM profiles WHERE customer_number IN ($1, $2)`, [
          plain,
          wide,
        ]);
      }
    });
  });
});
