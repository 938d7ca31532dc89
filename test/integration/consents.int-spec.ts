import { randomBytes } from 'node:crypto';
import { ConsentBasesService } from '../../src/consents/bases/consent-bases.service';
import { Consent, ConsentQuery } from '../../src/consents/consent.model';
import { ConsentsModule } from '../../src/consents/consents.module';
import { ConsentsService } from '../../src/consents/consents.service';
import { callerOf, createDatabaseSlice, DatabaseSlice } from '../utils/database-slice';

const DAY_MS = 86_400_000;
const TERMS = [{ language: 'nb', shortText: 'Nyhetsbrev', longText: 'Vi sender deg nyheter.' }];

/** The consent listing's filters below HTTP, on a real database. */
describe('ConsentsService listing on the database', () => {
  let slice: DatabaseSlice;
  let consents: ConsentsService;
  let bases: ConsentBasesService;
  const admin = callerOf(1, ['customers:admin']);
  const org1 = callerOf(1);
  const org2 = callerOf(2);
  let code: string;
  let other: string;
  const made: Record<string, Consent> = {};

  beforeAll(async () => {
    slice = await createDatabaseSlice([ConsentsModule]);
    consents = slice.moduleRef.get(ConsentsService);
    bases = slice.moduleRef.get(ConsentBasesService);
    // Codes of their own: suites share the PostgreSQL database.
    code = `L${randomBytes(4).toString('hex')}`;
    other = `M${randomBytes(4).toString('hex')}`;
    const now = Date.now();
    await bases.create(admin, code, { terms: TERMS });
    await bases.activate(admin, code, 1);
    await bases.createVersion(admin, code, { terms: TERMS });
    await bases.activate(admin, code, 2);
    await bases.create(admin, other, { terms: TERMS });
    await bases.activate(admin, other, 1);
    made.v1 = await consents.create(org1, { consentCode: code, consentBaseVersion: 1 });
    made.retired = await consents.create(org1, {
      consentCode: code,
      consentBaseVersion: 2,
      validFrom: new Date(now - 10 * DAY_MS),
      validTo: new Date(now - DAY_MS),
    });
    made.future = await consents.create(org1, {
      consentCode: other,
      validFrom: new Date(now + 10 * DAY_MS),
    });
    made.otherOrganisation = await consents.create(org2, {
      consentCode: code,
      consentBaseVersion: 1,
    });
  });
  afterAll(() => slice?.close());

  const ids = async (query: Partial<ConsentQuery>, caller = org1) =>
    (
      await consents.list(caller, {
        versions: { kind: 'ALL' },
        includeInactive: false,
        consentCodes: [code, other],
        ...query,
      })
    ).map((c) => c.id);

  it('should list the active consents of the codes asked for, in id order', async () => {
    expect(await ids({})).toEqual([made.v1.id]);
    expect(await ids({ consentCodes: [other] })).toEqual([]);
  });

  it('should include retired and not yet valid consents when asked', async () => {
    expect(await ids({ includeInactive: true })).toEqual([
      made.v1.id,
      made.retired.id,
      made.future.id,
    ]);
  });

  it('should keep, per code, the consent on the highest base version for CURRENT', async () => {
    // The activity filter applies first: the retired version 2 consent does not hide version 1.
    expect(await ids({ versions: { kind: 'CURRENT' } })).toEqual([made.v1.id]);
    expect(await ids({ versions: { kind: 'CURRENT' }, includeInactive: true })).toEqual([
      made.retired.id,
      made.future.id,
    ]);
  });

  it('should keep only the base versions listed', async () => {
    expect(await ids({ versions: { kind: 'LIST', versions: [1] } })).toEqual([made.v1.id]);
    expect(await ids({ versions: { kind: 'LIST', versions: [2] } })).toEqual([]);
    expect(await ids({ versions: { kind: 'LIST', versions: [2] }, includeInactive: true })).toEqual(
      [made.retired.id],
    );
  });

  it("should never list another organisation's consents", async () => {
    expect(await ids({ includeInactive: true }, org2)).toEqual([made.otherOrganisation.id]);
  });
});
