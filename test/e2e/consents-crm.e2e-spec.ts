import { randomBytes } from 'node:crypto';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { createTestApp, TestApp } from '../utils/test-app';

const ROWS = 100_000;

/** A full garbage collection, so heapUsed measures what is still held, not what awaits GC. */
function collectGarbage(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

describe('consents CRM export at volume', () => {
  let t: TestApp;
  let token: string;
  let consentId: number;
  const tag = `crm-bulk-${randomBytes(4).toString('hex')}`;

  beforeAll(async () => {
    t = await createTestApp();
    token = t.issuer.partner(3);
    const admin = t.issuer.admin();
    const code = `BULK_${randomBytes(4).toString('hex').toUpperCase()}`;
    await t.http.post('/customers/v2/consents/consent-bases', {
      token: admin,
      body: {
        consentCode: code,
        terms: [{ language: 'eng', shortText: 'Bulk', longText: 'Bulk consent' }],
      },
    });
    await t.http.post(`/customers/v2/consents/consent-bases/${code}/versions/1/activate`, {
      token: admin,
    });
    const consent = await t.http.post('/customers/v2/consents/consents', {
      token,
      body: { consentCode: code, isEmailSupported: true },
    });
    consentId = consent.body.id;
    await t.dataSource.query(
      `INSERT INTO profiles (organisation_id, uuid, customer_ref, first_name, surname, email,
         created_by, created_by_channel, changed_by, changed_by_channel)
       SELECT 3, md5($1 || g), $1 || '-' || g, 'Bulk', 'Customer', $1 || '-' || g || '@example.com',
              'seed', 'seed', 'seed', 'seed'
         FROM generate_series(1, ${ROWS}) g`,
      [tag],
    );
    await t.dataSource.query(
      `INSERT INTO given_consents (organisation_id, customer_number, consent_id, consent_choice,
         distribution_channel, created_at, changed_at, changed_by_client)
       SELECT 3, customer_number, $2, customer_number % 2 = 0, 'bulk', now(), now(), 'seed'
         FROM profiles WHERE organisation_id = 3 AND customer_ref LIKE $1 || '-%'`,
      [tag, consentId],
    );
    // Statistics as autovacuum would leave them after such a load (a server may run without it):
    // planned from ones that know no such organisation, the export nests loops over 100,000 rows.
    await t.dataSource.query(`ANALYZE profiles, given_consents`);
  }, 300_000);

  afterAll(async () => {
    // A failed clean-up must not leave the app's workers running into the next suites.
    try {
      await t.dataSource.query(
        `DELETE FROM profiles WHERE organisation_id = 3 AND customer_ref LIKE $1 || '-%'`,
        [tag],
      );
    } finally {
      await t.close();
    }
  }, 300_000);

  it('should stream 100,000 rows without holding them in memory', async () => {
    const url = new URL('/customers/v2/consents/crm', t.baseUrl);
    url.searchParams.set('consentIds', String(consentId));
    url.searchParams.set('includeEmail', 'true');

    collectGarbage();
    const baseline = process.memoryUsage().heapUsed;
    const response = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('application/json');

    // Consume incrementally: count bytes and rows, keep nothing but a short tail for split keys.
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    const key = '"givenConsentId":';
    let bytes = 0;
    let rows = 0;
    let tail = '';
    let first = '';
    let nextSample = 0;
    let peakGrowth = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) {
        break;
      }
      bytes += value.byteLength;
      const text = tail + decoder.decode(value, { stream: true });
      first ||= text.slice(0, 1);
      rows += text.split(key).length - 1;
      tail = text.slice(-(key.length - 1));
      if (bytes >= nextSample) {
        collectGarbage();
        peakGrowth = Math.max(peakGrowth, process.memoryUsage().heapUsed - baseline);
        nextSample = bytes + 1_000_000;
      }
    }
    expect(first).toBe('[');
    expect(tail.endsWith(']')).toBe(true);
    expect(rows).toBe(ROWS);
    // The body is tens of megabytes; a server that buffered it (or its rows) would hold far more.
    expect(bytes).toBeGreaterThan(15_000_000);
    expect(peakGrowth).toBeLessThan(bytes / 5);
    console.log(
      `crm export: ${rows} rows, ${(bytes / 1e6).toFixed(1)} MB streamed, peak retained heap growth ${(peakGrowth / 1e6).toFixed(1)} MB`,
    );
  }, 300_000);

  it('should release its database connection when the client goes away mid-stream', async () => {
    const url = new URL('/customers/v2/consents/crm', t.baseUrl);
    url.searchParams.set('consentIds', String(consentId));
    for (let attempt = 0; attempt < 3; attempt++) {
      const controller = new AbortController();
      const response = await fetch(url, {
        headers: { authorization: `Bearer ${token}` },
        signal: controller.signal,
      });
      const reader = response.body!.getReader();
      expect((await reader.read()).done).toBe(false);
      controller.abort();
      await reader.read().catch(() => undefined);
    }
    // On PGlite the pool has one connection: a leaked cursor would hang every later request.
    const after = await t.http.get('/customers/v2/consents/consents', {
      token,
      query: { versions: 'ALL' },
    });
    expect(after.status).toBe(200);
    expect(after.body.map((c: { id: number }) => c.id)).toContain(consentId);
  }, 300_000);
});
