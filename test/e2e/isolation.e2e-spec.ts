import { createProfile } from '../factories/profile.factory';
import {
  expectForeignLooksMissing,
  ORG_SCOPED_ROUTES,
  ownerFixture,
  ownerReadPath,
  routeName,
} from '../utils/isolation';
import { createTestApp, TestApp } from '../utils/test-app';

describe('organisation isolation', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it.each(ORG_SCOPED_ROUTES.map((route) => [routeName(route), route] as const))(
    "should answer %s for another organisation's customer exactly as for a missing one",
    async (_, route) => {
      const fixture = await ownerFixture(t, route);
      const read = ownerReadPath(route, fixture.customerNumber);
      const before = await t.http.get(read, { token: t.issuer.partner(1) });
      expect(before.status).toBe(200);
      await expectForeignLooksMissing(t, route, fixture);
      // The foreign request changed nothing of the owner's customer.
      const after = await t.http.get(read, { token: t.issuer.partner(1) });
      expect(after.status).toBe(200);
      expect(after.body).toEqual(before.body);
    },
  );

  it("should never return another organisation's profiles from a search", async () => {
    const profile = await createProfile(t, {}, 1);
    for (const path of ['/customers/v2/profiles-search', '/customers/v2/profiles']) {
      const own = await t.http.get(path, {
        token: t.issuer.partner(1),
        query: { email: profile.email },
      });
      expect(own.status).toBe(200);
      expect(own.body.map((p: { customerNumber: number }) => p.customerNumber)).toEqual([
        profile.customerNumber,
      ]);
      const foreign = await t.http.get(path, {
        token: t.issuer.partner(2),
        query: { email: profile.email },
      });
      expect(foreign.status).toBe(200);
      expect(foreign.body).toEqual([]);
    }
  });
});
