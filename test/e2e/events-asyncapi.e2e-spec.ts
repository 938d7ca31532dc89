import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { encodeCursor } from '../../src/common/http/page-cursor';
import { EVENT_TYPES } from '../../src/events/change-event';
import { createProfile } from '../factories/profile.factory';
import { createTestApp, TestApp } from '../utils/test-app';
import { activeConsent, createTemporaryProfile } from './consents.fixtures';

// The official JSON Schema of AsyncAPI documents (installed with the Spectral rulesets).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { schemasWithoutId } = require('@asyncapi/specs') as {
  schemasWithoutId: Record<string, object>;
};

const DOCUMENT = '/docs/events/asyncapi.json';
const committed = JSON.parse(
  readFileSync(join(__dirname, '..', '..', 'openapi', 'customers-events.asyncapi.json'), 'utf8'),
);

const newAjv = () => {
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  return ajv;
};

describe('the AsyncAPI document of the change events', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('should serve the committed document without a token', async () => {
    const res = await t.http.get(DOCUMENT);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('application/json');
    // Differs: run `npm run openapi:generate` and commit openapi/.
    expect(res.body).toEqual(committed);
  });

  it('should be a valid AsyncAPI 3.0 document', () => {
    const validate = newAjv().compile(schemasWithoutId['3.0.0']);
    expect(validate(committed) ? [] : validate.errors).toEqual([]);
    expect(committed).toMatchObject({
      asyncapi: '3.0.0',
      info: { title: expect.any(String), version: expect.any(String) },
      channels: {
        natsEvents: { address: 'customers.{organisationId}.{type}' },
        webhookDeliveries: expect.any(Object),
      },
      operations: { publishEvents: { action: 'send' }, deliverWebhooks: { action: 'send' } },
    });
    const names = Object.values<{ name: string }>(committed.components.messages).map((m) => m.name);
    for (const type of Object.values(EVENT_TYPES)) {
      expect(names.filter((name) => name === type)).toHaveLength(2);
    }
    // Every reference resolves inside the document.
    const refs = JSON.stringify(committed).match(/"\$ref":"#[^"]*"/g) ?? [];
    expect(refs.length).toBeGreaterThan(10);
    for (const ref of refs) {
      const path = ref.slice(9, -1).split('/').slice(1);
      const target = path.reduce<any>((node, key) => node?.[key.replace(/~1/g, '/')], committed);
      expect([ref, target === undefined]).toEqual([ref, false]);
    }
    expect(committed.components.schemas.WebhookHeaders.required).toEqual([
      'webhook-id',
      'webhook-timestamp',
      'webhook-signature',
    ]);
  });

  it("should describe real events of the feed with every message's payload and its examples", async () => {
    const org1 = t.issuer.partner(1);
    const [{ last }] = await t.dataSource.query(
      `SELECT COALESCE(max(position), 0)::text AS last FROM events`,
    );
    const { customerNumber } = await createProfile(t);
    await createTemporaryProfile(t, 1);
    const { id: consentId } = await activeConsent(t, org1);
    const given = await t.http.post('/customers/v2/consents/given-consents', {
      token: org1,
      body: { customerNumber, consentId, consentChoice: true, distributionChannel: 'app' },
    });
    expect(given.status).toBe(201);

    const byType = new Map<string, unknown>();
    let after = encodeCursor(last);
    const deadline = Date.now() + 30_000;
    while (byType.size < 4 && Date.now() < deadline) {
      const res = await t.http.get(`/customers/v2/events?after=${after}&limit=1000`, {
        token: org1,
      });
      expect(res.status).toBe(200);
      for (const event of res.body.events) {
        byType.set(event.type, event);
      }
      after = res.body.next;
    }
    expect([...byType.keys()].sort()).toEqual(Object.values(EVENT_TYPES).sort());

    const ajv = newAjv();
    ajv.addSchema(committed, 'asyncapi');
    for (const [key, message] of Object.entries<any>(committed.components.messages)) {
      const validate = ajv.compile({ $ref: `asyncapi#/components/messages/${key}/payload` });
      const event = byType.get(message.name);
      expect([key, validate(event) ? [] : validate.errors]).toEqual([key, []]);
      for (const example of message.examples) {
        expect([key, validate(example.payload)]).toEqual([key, true]);
      }
      // A message describes its own type only.
      const other = [...byType.values()].find((e: any) => e.type !== message.name);
      expect([key, validate(other)]).toEqual([key, false]);
    }
  });
});
