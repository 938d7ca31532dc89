import { OpenAPIObject } from '@nestjs/swagger';
import { EventRow, EVENT_TYPES, EventType, toCloudEvent } from './change-event';

/** The AsyncAPI document of the change events, as plain JSON. */
export type AsyncApiDocument = Record<string, unknown>;

type Schema = Record<string, unknown>;

/** The OpenAPI schemas the event payload is made of (CloudEventDto and what it references). */
const PAYLOAD_SCHEMAS = ['CloudEventDto', 'ChangeEventDataDto'];

const NATS_STREAM = 'CUSTOMERS_EVENTS';

/** Per event type: the message's name and an example of its event. */
const MESSAGES: Record<EventType, { name: string; title: string; example: Partial<EventRow> }> = {
  [EVENT_TYPES.customer]: {
    name: 'customerChanged',
    title: 'A profile was created, changed, deactivated or purged',
    example: {
      subject: '10012345',
      sequence: '3',
      data: {
        operation: 'UPDATE',
        change: 'PROFILE_UPDATED',
        organisationId: 1,
        customerNumber: 10012345,
        changedFields: ['email', 'surname'],
        version: 3,
      },
    },
  },
  [EVENT_TYPES.temporaryCustomer]: {
    name: 'temporaryCustomerChanged',
    title: 'A temporary profile was created, replaced, deleted, expired or connected',
    example: {
      subject: '10012346',
      sequence: '1',
      data: {
        operation: 'CREATE',
        change: 'TEMPORARY_CREATED',
        organisationId: 1,
        customerNumber: 10012346,
        changedFields: ['expirationDate'],
        version: 1,
      },
    },
  },
  [EVENT_TYPES.givenConsent]: {
    name: 'givenConsentChanged',
    title: 'A customer gave, changed or withdrew a consent',
    example: {
      subject: '10012345',
      sequence: '4',
      data: {
        operation: 'UPDATE',
        change: 'GIVEN_CONSENT_UPDATED',
        organisationId: 1,
        customerNumber: 10012345,
        changedFields: ['consentChoice'],
        version: 2,
        givenConsentId: 501,
        consentId: 12,
      },
    },
  },
  [EVENT_TYPES.consent]: {
    name: 'consentChanged',
    title: "One of the organisation's consents was created or changed",
    example: {
      subject: 'consents/12',
      sequence: '2',
      data: {
        operation: 'UPDATE',
        change: 'CONSENT_UPDATED',
        organisationId: 1,
        customerNumber: null,
        changedFields: ['active'],
        version: null,
        consentId: 12,
      },
    },
  },
};

const DESCRIPTION =
  "Every committed change to an organisation's customers, given consents and consents, as a " +
  'CloudEvents 1.0 event in structured JSON: the operation, the names of the changed fields and ' +
  'the new version, never their values. The event row is written in the transaction of the change, ' +
  'so an event exists exactly when its change committed. Delivery is at least once on every ' +
  'channel: de-duplicate by the event `id`, and order the events of one subject by ' +
  '`data.sequence`. The same events can be read from the feed `GET /customers/v2/events`. ' +
  'See docs/events.md.';

const WEBHOOK_HEADERS: Schema = {
  type: 'object',
  required: ['webhook-id', 'webhook-timestamp', 'webhook-signature'],
  properties: {
    'webhook-id': {
      type: 'string',
      description:
        'Identifies the message; the same on every retry of it, so a receiver can de-duplicate',
    },
    'webhook-timestamp': {
      type: 'string',
      pattern: '^[0-9]+$',
      description:
        'Seconds since the epoch when this attempt was sent; refuse one far from your clock',
    },
    'webhook-signature': {
      type: 'string',
      pattern: '^v1,[A-Za-z0-9+/]+={0,2}( v1,[A-Za-z0-9+/]+={0,2})*$',
      description:
        'Standard Webhooks signature: `v1,` and the base64 HMAC-SHA256, keyed with the ' +
        "endpoint's secret, of `<webhook-id>.<webhook-timestamp>.<body>`; several separated by " +
        'spaces while a secret is rotated',
    },
    'content-type': { type: 'string', const: 'application/json' },
  },
};

const NATS_HEADERS: Schema = {
  type: 'object',
  required: ['Nats-Msg-Id'],
  properties: {
    'Nats-Msg-Id': {
      type: 'string',
      format: 'uuid',
      description: 'The event id: JetStream drops a re-publish of the same event',
    },
  },
};

/**
 * The AsyncAPI 3.0 document of the change events, on NATS JetStream and as webhooks. The payload
 * schema is the feed's, taken from the OpenAPI document, so the three channels cannot drift apart.
 */
export function createEventsAsyncApiDocument(openApi: OpenAPIObject): AsyncApiDocument {
  const schemas = Object.fromEntries(
    PAYLOAD_SCHEMAS.map((name) => {
      const schema = openApi.components?.schemas?.[name];
      if (!schema) {
        throw new Error(`The OpenAPI document has no schema ${name}`);
      }
      return [name, toJsonSchema(schema)];
    }),
  );
  const types = Object.values(EVENT_TYPES);
  const messages: Record<string, unknown> = {};
  const natsRefs: Record<string, unknown> = {};
  const webhookRefs: Record<string, unknown> = {};
  for (const type of types) {
    const { name, title, example } = MESSAGES[type];
    const event = toCloudEvent({
      position: '1',
      id: EXAMPLE_IDS[type],
      organisation_id: 1,
      type,
      occurred_at: new Date('2026-03-01T09:30:00.000Z'),
      ...example,
    } as EventRow);
    const payload = {
      allOf: [
        { $ref: '#/components/schemas/CloudEventDto' },
        { type: 'object', properties: { type: { const: type } } },
      ],
    };
    const common = { name: type, title, payload };
    messages[name] = {
      ...common,
      summary: `${type} on NATS JetStream`,
      headers: { $ref: '#/components/schemas/NatsHeaders' },
      examples: [{ name, headers: { 'Nats-Msg-Id': event.id }, payload: event }],
    };
    messages[`${name}Webhook`] = {
      ...common,
      summary: `${type} delivered to a webhook endpoint`,
      headers: { $ref: '#/components/schemas/WebhookHeaders' },
      examples: [
        {
          name: `${name}Webhook`,
          headers: {
            'webhook-id': `msg_${event.id}`,
            'webhook-timestamp': '1772357400',
            'webhook-signature': 'v1,K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4=',
            'content-type': 'application/json',
          },
          payload: event,
        },
      ],
    };
    natsRefs[name] = { $ref: `#/components/messages/${name}` };
    webhookRefs[name] = { $ref: `#/components/messages/${name}Webhook` };
  }
  const operationMessages = (channel: string, refs: Record<string, unknown>) =>
    Object.keys(refs).map((name) => ({ $ref: `#/channels/${channel}/messages/${name}` }));
  return {
    asyncapi: '3.0.0',
    info: {
      title: 'Customers API change events',
      version: '1.0.0',
      description: DESCRIPTION,
      tags: [{ name: 'events' }, { name: 'customers' }],
    },
    defaultContentType: 'application/json',
    servers: {
      nats: {
        host: 'nats.example:4222',
        protocol: 'nats',
        description:
          `The broker of EVENTS_NATS_URL. JetStream stream ${NATS_STREAM} (EVENTS_NATS_STREAM) ` +
          'holds the subjects `customers.>`; without EVENTS_NATS_URL nothing is published there.',
      },
      webhookEndpoint: {
        host: '{endpointHost}',
        protocol: 'https',
        description: 'A webhook endpoint the organisation registered at /customers/v2/webhooks',
        variables: { endpointHost: { description: "The registered URL's host" } },
      },
    },
    channels: {
      natsEvents: {
        address: 'customers.{organisationId}.{type}',
        title: 'Change events on NATS JetStream',
        description:
          `Each event once per subject in stream ${NATS_STREAM}, published with its id as ` +
          '`Nats-Msg-Id`. Subscribe to `customers.<your organisation>.>` for all of yours.',
        servers: [{ $ref: '#/servers/nats' }],
        parameters: {
          organisationId: { description: 'The organisation the event belongs to', examples: ['1'] },
          type: { description: 'The event type', enum: types },
        },
        messages: natsRefs,
      },
      webhookDeliveries: {
        address: null,
        title: 'Change events delivered to webhook endpoints',
        description:
          'An HTTP POST of the event to each endpoint registered for its type, signed the ' +
          'Standard Webhooks way. A 2xx answer acknowledges it; anything else is retried with ' +
          'exponential backoff and jitter for 24 hours, then dead-lettered (it can be replayed). ' +
          'Redirects are not followed.',
        servers: [{ $ref: '#/servers/webhookEndpoint' }],
        messages: webhookRefs,
      },
    },
    operations: {
      publishEvents: {
        action: 'send',
        channel: { $ref: '#/channels/natsEvents' },
        summary: 'The service publishes every committed change event to JetStream',
        description:
          'Each event is marked sent once JetStream acknowledged it; while the broker is down the ' +
          'events wait in the outbox.',
        messages: operationMessages('natsEvents', natsRefs),
      },
      deliverWebhooks: {
        action: 'send',
        channel: { $ref: '#/channels/webhookDeliveries' },
        summary: 'The service POSTs each event to the endpoints registered for its type',
        description:
          'Only endpoints of the organisation the event belongs to receive it. Verify the ' +
          'signature with the secret shown when the endpoint was registered before trusting a body.',
        bindings: { http: { method: 'POST', bindingVersion: '0.3.0' } },
        messages: operationMessages('webhookDeliveries', webhookRefs),
      },
    },
    components: {
      schemas: { ...schemas, NatsHeaders: NATS_HEADERS, WebhookHeaders: WEBHOOK_HEADERS },
      messages,
    },
  };
}

const EXAMPLE_IDS: Record<EventType, string> = {
  [EVENT_TYPES.customer]: '0b7f2c3e-5d1a-4c8e-9f4b-2a6d8e1c3f50',
  [EVENT_TYPES.temporaryCustomer]: '1c8e3d4f-6e2b-4d9f-8a5c-3b7e9f2d4a61',
  [EVENT_TYPES.givenConsent]: '2d9f4e5a-7f3c-4e1a-9b6d-4c8f1a3e5b72',
  [EVENT_TYPES.consent]: '3e1a5f6b-8a4d-4f2b-8c7e-5d9a2b4f6c83',
};

/**
 * An OpenAPI 3.0 schema as JSON Schema (AsyncAPI's default schema format): `nullable` becomes a
 * `null` type and `example` becomes `examples`.
 */
export function toJsonSchema(schema: unknown): Schema {
  if (Array.isArray(schema)) {
    return schema.map(toJsonSchema) as unknown as Schema;
  }
  if (!schema || typeof schema !== 'object') {
    return schema as Schema;
  }
  const result: Schema = {};
  const { nullable, example, ...rest } = schema as Schema;
  for (const [key, value] of Object.entries(rest)) {
    result[key] = typeof value === 'object' ? toJsonSchema(value) : value;
  }
  if (nullable === true && typeof result.type === 'string') {
    result.type = [result.type, 'null'];
  }
  if (example !== undefined) {
    result.examples = [example];
  }
  return result;
}
