import { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { declareInt64Parameters } from '../common/http/openapi-int64';
import { ProblemResponseDto } from '../common/http/problem-response.dto';

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

/** Builds the OpenAPI document of one API version from the running application's routes. */
export function createOpenApiDocument(app: INestApplication, version: ApiVersion): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle(`Customers API ${version}`)
    .setDescription(DESCRIPTIONS[version])
    .setVersion(version === 'v2' ? '2.0.0' : '1.0.0')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' })
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
  declareInt64Parameters(document);
  return sortKeys(document) as OpenAPIObject;
}

/**
 * The HTTP layer answers every operation that takes a body with 400 (malformed JSON), 413 (over
 * 100 kB) and 415 (not JSON) before a handler runs; documenting them here keeps each controller
 * from having to remember it.
 */
function documentBodyErrors(document: OpenAPIObject): void {
  const problem = {
    'application/problem+json': { schema: { $ref: '#/components/schemas/ProblemResponseDto' } },
  };
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
        operation.responses[status] ??= { description, content: problem };
      }
    }
  }
}

/** Serves Swagger UI at /docs with both documents, as JSON and YAML. */
export function setupSwaggerUi(app: NestFastifyApplication): void {
  const documents = { v2: createOpenApiDocument(app, 'v2'), v1: createOpenApiDocument(app, 'v1') };
  for (const version of ['v1', 'v2'] as const) {
    SwaggerModule.setup(`docs/${version}`, app, documents[version], {
      jsonDocumentUrl: `docs/${version}/openapi.json`,
      yamlDocumentUrl: `docs/${version}/openapi.yaml`,
      ui: false,
    });
  }
  SwaggerModule.setup('docs', app, documents.v2, {
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
