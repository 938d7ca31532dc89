import { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { declareInt64Parameters } from '../common/http/openapi-int64';
import { PROBLEM_EXAMPLES } from '../common/http/api-problem-responses.decorator';
import { ProblemResponseDto } from '../common/http/problem-response.dto';
import { AppConfig } from '../config/app-config';
import { EventsAsyncApi } from '../events/events-docs.controller';

export type ApiVersion = 'v1' | 'v2';

const DESCRIPTIONS: Record<ApiVersion, string> = {
  v2:
    "Profiles, temporary profiles, contact data and GDPR consents of a partner organisation's " +
    'customers. Every operation needs a bearer token (OAuth2 client credentials) whose ' +
    "organisation claim decides what the caller may see; another organisation's data answers 404. " +
    'The permission each operation needs is listed in its `x-permissions`. Errors are ' +
    '`application/problem+json`.',
  v1: 'Legacy surface kept for old clients. Every operation is deprecated: use /customers/v2.',
};

/** Swagger UI lists the groups in this order: what a newcomer uses first, administration last. */
const TAG_ORDER = [
  'Profiles client',
  'Temporary profiles client',
  'Profile postal addresses',
  'Profile preferences',
  'Profile ecards',
  'Profile loyalty programs',
  'Profile customer accounts',
  'Data export',
  'Consents client',
  'Consents DWH',
  'Legacy consents (deprecated)',
  'Organisations admin',
  'Authentication admin',
  'Consents admin',
  'Audit admin',
];

const PERMISSION_SCOPES = {
  'customers:read': 'Read profiles and their sub-resources',
  'customers:write': 'Create and change profiles and their sub-resources',
  'consents:read': 'Read consents',
  'consents:write': 'Give and withdraw consents',
  'customers:export': 'Export everything held about a customer (GDPR access requests)',
  'customers:import': 'Import profiles in bulk (NDJSON jobs) and read the jobs',
  'webhooks:manage': "Register the organisation's webhook endpoints and read their deliveries",
  'customers:admin': 'Organisation registry, consent bases, audit',
};

/** Builds the OpenAPI document of one API version from the running application's routes. */
export function createOpenApiDocument(app: INestApplication, version: ApiVersion): OpenAPIObject {
  const { tokenUrl } = app.get(AppConfig).auth;
  const config = new DocumentBuilder()
    .setTitle(`Customers API ${version}`)
    .setDescription(DESCRIPTIONS[version])
    .setVersion(version === 'v2' ? '2.0.0' : '1.0.0')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' })
    // Swagger UI's Authorize gets a token itself with a client id and secret.
    .addOAuth2(
      {
        type: 'oauth2',
        description: 'OAuth2 client credentials; the token carries the organisation',
        flows: { clientCredentials: { tokenUrl, scopes: PERMISSION_SCOPES } },
      },
      'oauth2',
    )
    .build();
  const document = SwaggerModule.createDocument(app, config, {
    operationIdFactory: (controllerKey, methodKey) => `${controllerKey}_${methodKey}`,
    extraModels: [ProblemResponseDto],
  });
  const prefix = `/customers/${version}/`;
  document.paths = Object.fromEntries(
    Object.entries(document.paths).filter(([path]) => path.startsWith(prefix)),
  );
  documentBodyErrors(document);
  acceptOAuth2Tokens(document);
  describeOptionalQueryExamples(document);
  document.tags = orderedTags(document);
  dropUnusedSchemas(document);
  declareInt64Parameters(document);
  return sortKeys(document) as OpenAPIObject;
}

type Operation = NonNullable<OpenAPIObject['paths'][string]['get']>;

function operationsOf(document: OpenAPIObject): Operation[] {
  return Object.values(document.paths).flatMap((item) =>
    (['get', 'put', 'post', 'delete', 'patch'] as const).flatMap((m) => item[m] ?? []),
  );
}

/** A bearer token from either source: pasted, or fetched by Swagger UI's OAuth2 flow. */
function acceptOAuth2Tokens(document: OpenAPIObject): void {
  for (const operation of operationsOf(document)) {
    if (operation.security?.some((requirement) => 'bearer' in requirement)) {
      operation.security = [...operation.security, { oauth2: [] }];
    }
  }
}

/**
 * Swagger UI pre-fills a parameter with its example, so Try it out on a search would send every
 * optional filter at once (and find nothing): optional query examples move into the description.
 */
function describeOptionalQueryExamples(document: OpenAPIObject): void {
  for (const operation of operationsOf(document)) {
    for (const parameter of operation.parameters ?? []) {
      if (!('in' in parameter) || parameter.in !== 'query' || parameter.required) {
        continue;
      }
      const schema = parameter.schema as { example?: unknown } | undefined;
      const example = parameter.example ?? schema?.example;
      if (example === undefined) {
        continue;
      }
      delete parameter.example;
      delete schema?.example;
      const hint = `Example: \`${String(example)}\`.`;
      parameter.description = parameter.description
        ? `${parameter.description.replace(/\.?$/, '.')} ${hint}`
        : hint;
    }
  }
}

function orderedTags(document: OpenAPIObject): { name: string }[] {
  const used = new Set(operationsOf(document).flatMap((operation) => operation.tags ?? []));
  const known = TAG_ORDER.filter((tag) => used.has(tag));
  const others = [...used].filter((tag) => !TAG_ORDER.includes(tag)).sort();
  return [...known, ...others].map((name) => ({ name }));
}

/** Keeps only the schemas this version's paths reach, so v1 does not list v2's models. */
function dropUnusedSchemas(document: OpenAPIObject): void {
  const schemas = document.components?.schemas ?? {};
  const reached = new Set<string>();
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) {
      value.forEach(visit);
    } else if (value && typeof value === 'object') {
      for (const [key, child] of Object.entries(value)) {
        if (key === '$ref' && typeof child === 'string') {
          const name = child.replace('#/components/schemas/', '');
          if (!reached.has(name) && schemas[name]) {
            reached.add(name);
            visit(schemas[name]);
          }
        } else {
          visit(child);
        }
      }
    }
  };
  visit(document.paths);
  document.components!.schemas = Object.fromEntries(
    Object.entries(schemas).filter(([name]) => reached.has(name)),
  );
}

/**
 * The HTTP layer answers every operation that takes a body with 400 (malformed JSON), 413 (over
 * 100 kB) and 415 (not JSON) before a handler runs; documenting them here keeps each controller
 * from having to remember it.
 */
function documentBodyErrors(document: OpenAPIObject): void {
  const problem = (status: string) => ({
    'application/problem+json': {
      schema: { $ref: '#/components/schemas/ProblemResponseDto' },
      example: PROBLEM_EXAMPLES[Number(status)],
    },
  });
  const descriptions: Record<string, string> = {
    '400': 'Invalid input: see `errors` for each field',
    '413': 'Body larger than 100 kB',
    '415': 'Unsupported content type; send application/json',
  };
  for (const item of Object.values(document.paths)) {
    for (const method of ['post', 'put', 'patch'] as const) {
      const operation = item[method];
      if (!operation?.requestBody) {
        continue;
      }
      for (const [status, description] of Object.entries(descriptions)) {
        operation.responses[status] ??= { description, content: problem(status) };
      }
    }
  }
}

/**
 * Serves Swagger UI at /docs with both documents, as JSON and YAML, and gives the events' AsyncAPI
 * document (/docs/events/asyncapi.json) the v2 document its payload schema comes from.
 */
export function setupSwaggerUi(app: NestFastifyApplication): void {
  // Built on the first request for them, not at start-up: building both documents was a fifth of
  // the cold start (and the memory it takes is only needed once someone reads them).
  const built: Partial<Record<ApiVersion, OpenAPIObject>> = {};
  const document = (version: ApiVersion) => () =>
    (built[version] ??= createOpenApiDocument(app, version));
  app.get(EventsAsyncApi).useOpenApi(document('v2'));
  for (const version of ['v1', 'v2'] as const) {
    SwaggerModule.setup(`docs/${version}`, app, document(version), {
      jsonDocumentUrl: `docs/${version}/openapi.json`,
      yamlDocumentUrl: `docs/${version}/openapi.yaml`,
      ui: false,
    });
  }
  SwaggerModule.setup('docs', app, document('v2'), {
    jsonDocumentUrl: 'docs/openapi.json',
    yamlDocumentUrl: 'docs/openapi.yaml',
    explorer: true,
    swaggerOptions: {
      urls: [
        { url: '/docs/v2/openapi.json', name: 'Customers API v2 (current)' },
        { url: '/docs/v1/openapi.json', name: 'Customers API v1 (deprecated)' },
      ],
      persistAuthorization: true,
    },
  });
}

/** Stable key order so the committed documents diff cleanly. */
function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) {
    return value.map(sortKeys);
  }
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((key) => [key, sortKeys((value as Record<string, unknown>)[key])]),
    );
  }
  return value;
}
