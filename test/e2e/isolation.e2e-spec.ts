import { createProfile } from '../factories/profile.factory';
import {
  committedOperations,
  DocumentOperation,
  operationKey,
  operationsOf,
} from '../utils/committed-documents';
import {
  coverageGaps,
  expectLooksMissing,
  MATRIX,
  MatrixOperation,
  NOT_TENANT_SCOPED,
  ownValues,
  send,
  variantsOf,
  Worlds,
} from '../utils/isolation';
import {
  missingIds,
  readWorld,
  seedConsentBase,
  seedWorld,
  startReceiver,
} from '../utils/isolation-world';
import { createTestApp, TestApp } from '../utils/test-app';

const MATRIX_KEYS = MATRIX.map((o) => o.operation);
const EXCUSED_KEYS = Object.keys(NOT_TENANT_SCOPED);

describe('organisation isolation', () => {
  describe('coverage of the committed documents', () => {
    const operations = committedOperations();

    it('should catch an operation with a path parameter that neither list names', () => {
      const fixture = operationsOf('fixture.json', {
        openapi: '3.0.0',
        paths: {
          '/customers/v2/profiles/{customerNumber}': { get: {} },
          '/customers/v2/forgotten/{id}': { get: {}, delete: {} },
          '/customers/v2/forgotten': { get: {} },
        },
      });
      expect(
        coverageGaps(
          fixture,
          ['GET /customers/v2/profiles/{customerNumber}', 'GET /gone/{id}'],
          [],
        ),
      ).toEqual({
        unclassified: [
          'GET /customers/v2/forgotten/{id} (openapi/fixture.json)',
          'DELETE /customers/v2/forgotten/{id} (openapi/fixture.json)',
        ],
        unknown: ['GET /gone/{id}'],
        both: [],
      });
      expect(() => operationsOf('notes.json', { swagger: '2.0' })).toThrow(/neither/);
    });

    it('should read every committed document, the event document included', () => {
      const documents = new Set(operations.map((o) => o.document));
      expect([...documents].sort()).toEqual([
        'customers-events.asyncapi.json',
        'customers-v1.json',
        'customers-v2.json',
      ]);
    });

    it('should put every operation with a path parameter in the matrix or say why not', () => {
      const gaps = coverageGaps(operations, MATRIX_KEYS, EXCUSED_KEYS);
      expect(gaps).toEqual({ unclassified: [], unknown: [], both: [] });
      expect(new Set(MATRIX_KEYS).size).toBe(MATRIX_KEYS.length);
    });

    it('should name every path parameter of a matrix operation', () => {
      const unnamed = MATRIX.flatMap((o) =>
        (o.operation.match(/\{([^}]+)\}/g) ?? [])
          .map((p) => p.slice(1, -1))
          .filter((p) => !(p in o.names))
          .map((p) => `${o.operation}: {${p}}`),
      );
      expect(unnamed).toEqual([]);
    });
  });

  describe('the matrix', () => {
    let t: TestApp;
    let worlds: Worlds;
    let ownerSeeded: Record<string, unknown>;
    const documented = new Map<string, DocumentOperation>(
      committedOperations().map((o) => [operationKey(o), o]),
    );

    beforeAll(async () => {
      // Webhook deliveries go to a receiver on loopback, retried quickly.
      t = await createTestApp({ WEBHOOK_ALLOW_PRIVATE: 'true', WEBHOOK_RETRY_BASE_MS: '50' });
      const receiver = await startReceiver();
      try {
        const shared = { consentCode: await seedConsentBase(t), receiverUrl: receiver.url };
        const owner = await seedWorld(t, 1, shared);
        const caller = await seedWorld(t, 2, shared);
        worlds = { owner, caller, missing: missingIds(shared) };
      } finally {
        // Both endpoints are disabled with every delivery done: nothing is sent any more.
        await receiver.stop();
      }
      ownerSeeded = await readWorld(t, worlds.owner, { signIn: true });
    });
    afterAll(() => t?.close());

    const title = (o: MatrixOperation) =>
      `${o.operation} (openapi/${documented.get(o.operation)?.document})`;

    it.each(MATRIX.map((o) => [title(o), o] as const))(
      "should answer %s on organisation 1's data exactly as on missing data",
      async (_, operation) => {
        if (operation.ownerStatus !== undefined) {
          const own = await send(
            t,
            operation,
            t.issuer.partner(1),
            ownValues(operation, worlds.owner),
          );
          expect(`${operation.operation} as its owner: ${own.status}`).toBe(
            `${operation.operation} as its owner: ${operation.ownerStatus}`,
          );
        }
        const permissions = documented.get(operation.operation)?.permissions ?? [];
        for (const variant of variantsOf(t, operation, permissions, worlds)) {
          await expectLooksMissing(t, operation, variant);
        }
        if (!operation.operation.startsWith('GET ')) {
          // The foreign request changed nothing of organisation 1's.
          const signIn = operation.touchesPassword === true;
          expect(await readWorld(t, worlds.owner, { signIn })).toEqual(
            signIn ? ownerSeeded : { ...ownerSeeded, 'sign-in': undefined },
          );
        }
      },
    );

    it("should leave every piece of organisation 1's data as it was seeded", async () => {
      expect(await readWorld(t, worlds.owner, { signIn: true })).toEqual(ownerSeeded);
    });

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
});
