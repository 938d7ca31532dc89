import { encodeCursor } from '../../src/common/http/page-cursor';
import { createProfile } from '../factories/profile.factory';
import { ApiResponse } from '../utils/http-client';
import { createTestApp, TestApp } from '../utils/test-app';

const FEED = '/customers/v2/events';

interface FeedEvent {
  id: string;
  type: string;
  subject: string;
  data: { change: string };
}

describe('change events: the feed under load and hostile input', () => {
  let t: TestApp;
  let org1: string;
  beforeAll(async () => {
    t = await createTestApp();
    org1 = t.issuer.partner(1);
  });
  afterAll(() => t.close());

  /** A cursor at the newest event now: what a suite sharing the database reads on from. */
  async function cursorAtEnd(): Promise<string> {
    const [{ last }] = await t.dataSource.query(
      `SELECT COALESCE(max(position), 0)::text AS last FROM events`,
    );
    return encodeCursor(last);
  }

  const page = (after: string, limit: number): Promise<ApiResponse> =>
    t.http.get(FEED, { token: org1, query: { after, limit } });

  it('should answer 20 parallel reads of the same page with the same events', async () => {
    const after = await cursorAtEnd();
    for (let i = 0; i < 5; i++) {
      await createProfile(t);
    }
    const reads = await Promise.all(Array.from({ length: 20 }, () => page(after, 100)));
    expect(reads.map((r) => r.status)).toEqual(reads.map(() => 200));
    const first = reads[0].body;
    expect(first.events.length).toBeGreaterThanOrEqual(5);
    for (const read of reads) {
      expect(read.body).toEqual(first);
    }
  });

  it('should show every CREATE exactly once to a reader walking the feed while 50 creates run', async () => {
    let cursor = await cursorAtEnd();
    const seen: FeedEvent[] = [];
    let creating = true;
    // Small pages, so the walk crosses many page boundaries while rows are being inserted.
    const walkOnce = async () => {
      for (;;) {
        const res = await page(cursor, 7);
        expect(res.status).toBe(200);
        seen.push(...(res.body.events as FeedEvent[]));
        cursor = res.body.next;
        if (res.body.events.length < 7) {
          return;
        }
      }
    };
    // After each walk to the end the walker waits for the next create to finish: on a slow
    // database a walker that never paused would run into the rate limit before the creates end.
    let createFinished = () => {};
    const nextCreate = () => new Promise<void>((done) => (createFinished = done));
    const walker = (async () => {
      while (creating) {
        const next = nextCreate();
        await walkOnce();
        await next;
      }
    })();
    const created = await Promise.all(
      Array.from({ length: 50 }, () =>
        createProfile(t)
          .then((p) => String(p.customerNumber))
          .finally(() => createFinished()),
      ),
    ).finally(() => {
      creating = false;
      createFinished();
    });
    await walker;

    const createsOf = (subject: string) =>
      seen.filter((e) => e.subject === subject && e.data.change === 'PROFILE_CREATED').length;
    // An event is held back while an older transaction is open: read on until all have shown.
    const deadline = Date.now() + 60_000;
    while (created.some((n) => createsOf(n) === 0) && Date.now() < deadline) {
      await walkOnce();
    }
    expect(created.filter((n) => createsOf(n) !== 1)).toEqual([]);
    const ids = seen.map((e) => e.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it.each([
    ['an empty cursor', { after: '' }],
    ['a cursor of another kind', { after: 'abc' }],
    ['a negative position', { after: encodeCursor('-1') }],
    ['a position past bigint', { after: encodeCursor('9999999999999999999') }],
    ['a position of 20 digits', { after: encodeCursor('12345678901234567890') }],
    ['a very long cursor', { after: 'a'.repeat(10_000) }],
    ['a cursor with a NUL', { after: `${encodeCursor('1')}\u0000` }],
    ['a padded cursor', { after: `${encodeCursor('1')}=` }],
    ['a limit of 0', { limit: '0' }],
    ['a negative limit', { limit: '-1' }],
    ['a limit over the maximum', { limit: '1001' }],
    ['a fractional limit', { limit: '1.5' }],
    ['a limit that is no number', { limit: 'ten' }],
    ['an infinite limit', { limit: 'Infinity' }],
    ['a limit past any integer', { limit: '99999999999999999999' }],
    ['an unknown parameter', { from: '1' }],
  ])('should answer 400 problem+json for %s', async (_name, query) => {
    const res = await t.http.get(FEED, { token: org1, query });
    expect([res.status, res.headers.get('content-type')]).toEqual([
      400,
      expect.stringContaining('application/problem+json'),
    ]);
  });

  it('should answer 400 for repeated parameters', async () => {
    const cursor = await cursorAtEnd();
    for (const query of [`after=${cursor}&after=${cursor}`, 'limit=1&limit=2']) {
      const res = await t.http.get(`${FEED}?${query}`, { token: org1 });
      expect([query, res.status]).toEqual([query, 400]);
    }
  });
});
