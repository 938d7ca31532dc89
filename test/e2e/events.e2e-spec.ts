import { ExpiryService } from '../../src/expiry/expiry.service';
import { createProfile, uniqueEmail } from '../factories/profile.factory';
import { createTestApp, TestApp } from '../utils/test-app';
import { activeConsent, createTemporaryProfile, insertTemporaryProfile } from './consents.fixtures';

const PROFILES = '/customers/v2/profiles';
const GIVEN = '/customers/v2/consents/given-consents';
const FEED = '/customers/v2/events';

interface StoredEvent {
  type: string;
  sequence: string;
  data: { operation: string; change: string; changedFields: string[]; version: number | null };
}

describe('change events: the outbox and the feed', () => {
  let t: TestApp;
  let org1: string;
  let org2: string;
  beforeAll(async () => {
    t = await createTestApp();
    org1 = t.issuer.partner(1);
    org2 = t.issuer.partner(2);
  });
  afterAll(() => t.close());

  /** The events of one subject as the outbox holds them, in order. */
  const eventsOf = (subject: number | string): Promise<StoredEvent[]> =>
    t.dataSource.query(
      `SELECT type, sequence::text AS sequence, data FROM events WHERE subject = $1 ORDER BY position`,
      [String(subject)],
    );

  /** Walks the organisation's feed from `after` to its end, a page of `limit` at a time. */
  async function walkFeed(token: string, after?: string, limit = 50) {
    const events: Record<string, any>[] = [];
    let cursor = after;
    for (;;) {
      const query = new URLSearchParams({
        limit: String(limit),
        ...(cursor ? { after: cursor } : {}),
      });
      const res = await t.http.get(`${FEED}?${query.toString()}`, { token });
      expect(res.status).toBe(200);
      events.push(...res.body.events);
      cursor = res.body.next;
      if (res.body.events.length < limit) {
        return { events, next: cursor! };
      }
      expect(res.headers.get('link')).toContain('rel="next"');
    }
  }

  it('should record one event per committed change, in order, with field names and no values', async () => {
    const email = uniqueEmail();
    const profile = await createProfile(t, { email, firstName: 'Eventa' });
    const n = profile.customerNumber;
    const patched = await t.http.patch(`${PROFILES}/${n}`, {
      token: org1,
      body: { surname: 'Hendelse', changedBy: 'agent', changedByChannel: 'test' },
    });
    expect(patched.status).toBe(200);
    // The version the PATCH committed, as its ETag says it: the event carries that version.
    expect(patched.headers.get('etag')).toBe('"2"');
    const address = await t.http.post(`${PROFILES}/${n}/postal-addresses`, {
      token: org1,
      body: { addressLine1: 'Storgata 1', postCode: '0150', city: 'Oslo' },
    });
    expect(address.status).toBe(201);
    const { id: consentId } = await activeConsent(t, org1);
    const given = await t.http.post(GIVEN, {
      token: org1,
      body: { customerNumber: n, consentId, consentChoice: true, distributionChannel: 'app' },
    });
    expect(given.status).toBe(201);
    expect((await t.http.delete(`${GIVEN}/${given.body.id}`, { token: org1 })).status).toBe(200);
    const deactivated = await t.http.delete(`${PROFILES}/${n}`, { token: org1 });
    expect(deactivated.status).toBeLessThan(300);

    const events = await eventsOf(n);
    expect(events.map((e) => [e.type, e.data.operation, e.data.change])).toEqual([
      ['customers.customer.changed', 'CREATE', 'PROFILE_CREATED'],
      ['customers.customer.changed', 'UPDATE', 'PROFILE_UPDATED'],
      ['customers.customer.changed', 'UPDATE', 'POSTAL_ADDRESS_ADDED'],
      ['customers.given-consent.changed', 'CREATE', 'GIVEN_CONSENT_CREATED'],
      ['customers.given-consent.changed', 'UPDATE', 'GIVEN_CONSENT_UPDATED'],
      ['customers.customer.changed', 'DELETE', 'PROFILE_DEACTIVATED'],
    ]);
    expect(events.map((e) => e.sequence)).toEqual(['1', '2', '3', '4', '5', '6']);
    expect(events[1].data.changedFields).toContain('surname');
    expect(events[1].data.version).toBe(2);
    expect(events[4].data.changedFields).toEqual(['consentChoice']);
    const text = JSON.stringify(events);
    for (const value of [email, 'Eventa', 'Hendelse', 'Storgata 1', '0150']) {
      expect(text).not.toContain(value);
    }
  });

  it('should record no event for a change that rolls back', async () => {
    const profile = await createProfile(t);
    const n = profile.customerNumber;
    const stale = await t.http.patch(`${PROFILES}/${n}`, {
      token: org1,
      headers: { 'if-match': '"999"' },
      body: { surname: 'Never', changedBy: 'agent', changedByChannel: 'test' },
    });
    expect(stale.status).toBe(412);
    const duplicate = await t.http.post(PROFILES, {
      token: org1,
      body: {
        firstName: 'Ola',
        surname: 'Nordmann',
        email: profile.email,
        createdBy: 'test',
        createdByChannel: 'test',
        organisationId: 1,
      },
    });
    expect(duplicate.status).toBe(409);
    const [{ n: total }] = await t.dataSource.query(
      `SELECT count(*)::int AS n FROM events e JOIN audit_events a
           ON a.customer_number::text = e.subject AND a.organisation_id = e.organisation_id
        WHERE e.subject = $1`,
      [String(n)],
    );
    expect(total).toBe(1);
    expect((await eventsOf(n)).map((e) => e.data.change)).toEqual(['PROFILE_CREATED']);
  });

  it('should number the events of 20 parallel changes of one customer without gaps', async () => {
    const n = (await createProfile(t)).customerNumber;
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        t.http.patch(`${PROFILES}/${n}`, {
          token: org1,
          body: { firstName: `Parallel${i}`, changedBy: 'agent', changedByChannel: 'test' },
        }),
      ),
    );
    const ok = results.filter((r) => r.status === 200).length;
    expect(ok).toBeGreaterThan(0);
    const events = await eventsOf(n);
    expect(events).toHaveLength(ok + 1);
    expect(events.map((e) => Number(e.sequence))).toEqual(events.map((_, i) => i + 1));
    // Versions grow with the sequence: events are in commit order.
    const versions = events.map((e) => e.data.version!);
    expect([...versions].sort((a, b) => a - b)).toEqual(versions);
  });

  it("should serve the organisation's events as CloudEvents, paged, and none of another's", async () => {
    const before = (await walkFeed(org1)).next;
    const mine = await Promise.all([createProfile(t), createProfile(t), createProfile(t)]);
    const theirs = await createProfile(t, {}, 2);
    const temporary = await createTemporaryProfile(t, 1);

    const { events, next } = await walkFeed(org1, before, 2);
    const subjects = events.map((e) => e.subject);
    for (const p of mine) {
      expect(subjects).toContain(String(p.customerNumber));
    }
    expect(subjects).toContain(String(temporary));
    expect(subjects).not.toContain(String(theirs.customerNumber));
    const created = events.find((e) => e.subject === String(mine[0].customerNumber))!;
    expect(created).toMatchObject({
      specversion: '1.0',
      source: 'urn:customers',
      type: 'customers.customer.changed',
      datacontenttype: 'application/json',
      data: { operation: 'CREATE', organisationId: 1, sequence: 1 },
    });
    expect(created.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(events.find((e) => e.subject === String(temporary))!.type).toBe(
      'customers.temporary-customer.changed',
    );
    // Read on from the end: nothing new; the same cursor again.
    const again = await t.http.get(`${FEED}?after=${next}`, { token: org1 });
    expect(again.body).toEqual({ events: [], next });

    const other = await walkFeed(org2, undefined, 1000);
    const otherSubjects = new Set(other.events.map((e) => e.subject));
    for (const p of mine) {
      expect(otherSubjects.has(String(p.customerNumber))).toBe(false);
    }
    expect(otherSubjects.has(String(theirs.customerNumber))).toBe(true);
    expect(other.events.every((e) => e.data.organisationId === 2)).toBe(true);
  });

  it('should refuse a cursor it did not issue', async () => {
    for (const after of ['abc', '-1', 'azI6MTIz']) {
      const res = await t.http.get(`${FEED}?after=${after}`, { token: org1 });
      expect(res.status).toBe(400);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
    }
  });

  it('should record the purge of an expired temporary profile as its deletion', async () => {
    const n = await insertTemporaryProfile(t, 1, new Date(Date.now() - 60_000));
    await t.app.get(ExpiryService).expireDue(new Date());
    const events = await eventsOf(n);
    expect(events.map((e) => [e.type, e.data.operation, e.data.change])).toEqual([
      ['customers.temporary-customer.changed', 'DELETE', 'TEMPORARY_EXPIRED'],
    ]);
  });
});
