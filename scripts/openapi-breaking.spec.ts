import { findBreakingChanges } from './openapi-breaking';

/** A small v2-like document: a create and a lookup of profiles. */
function document(): any {
  return {
    paths: {
      '/customers/v2/profiles': {
        post: {
          requestBody: {
            required: true,
            content: {
              'application/json': { schema: { $ref: '#/components/schemas/CreateProfileDto' } },
            },
          },
          responses: {
            '201': {
              content: {
                'application/json': { schema: { $ref: '#/components/schemas/ProfileDto' } },
              },
            },
            '409': {},
          },
        },
      },
      '/customers/v2/profiles/{customerNumber}': {
        get: {
          parameters: [
            { name: 'customerNumber', in: 'path', required: true, schema: { type: 'number' } },
            { name: 'fields', in: 'query', required: false, schema: { type: 'string' } },
          ],
          responses: {
            '200': {
              content: {
                'application/json': { schema: { $ref: '#/components/schemas/ProfileDto' } },
              },
            },
          },
        },
      },
    },
    components: {
      schemas: {
        CreateProfileDto: {
          type: 'object',
          required: ['firstName'],
          properties: {
            firstName: { type: 'string', maxLength: 50 },
            surname: { type: 'string' },
            status: { type: 'string', enum: ['A', 'D'] },
          },
        },
        ProfileDto: {
          type: 'object',
          required: ['customerNumber', 'firstName'],
          properties: {
            customerNumber: { type: 'number' },
            firstName: { type: 'string' },
            email: { type: 'string' },
          },
        },
      },
    },
  };
}

const changesOf = (edit: (d: ReturnType<typeof document>) => void) => {
  const after = document();
  edit(after);
  return findBreakingChanges(document(), after).map((c) => `${c.operation}: ${c.change}`);
};

describe('findBreakingChanges', () => {
  it('should find nothing when the documents are equal', () => {
    expect(findBreakingChanges(document(), document())).toEqual([]);
  });

  it('should accept additions: a new path, an optional field, a response field', () => {
    expect(
      changesOf((d) => {
        d.paths['/customers/v2/consents'] = { get: { responses: { '200': {} } } };
        d.components.schemas.CreateProfileDto.properties.nickname = { type: 'string' };
        d.components.schemas.ProfileDto.properties.version = { type: 'number' };
        d.paths['/customers/v2/profiles'].post.responses['422'] = {};
      }),
    ).toEqual([]);
  });

  it('should report a removed path and a removed method', () => {
    expect(
      changesOf((d) => {
        delete d.paths['/customers/v2/profiles/{customerNumber}'];
        d.paths['/customers/v2/profiles'].get = d.paths['/customers/v2/profiles'].post;
        delete d.paths['/customers/v2/profiles'].post;
      }),
    ).toEqual([
      'POST /customers/v2/profiles: method removed',
      'GET /customers/v2/profiles/{customerNumber}: path removed',
    ]);
  });

  it('should report a removed response field and a removed 2xx status', () => {
    expect(
      changesOf((d) => {
        delete d.components.schemas.ProfileDto.properties.email;
        delete d.paths['/customers/v2/profiles'].post.responses['201'];
      }),
    ).toEqual([
      'POST /customers/v2/profiles: response 201 removed',
      'GET /customers/v2/profiles/{customerNumber}: response 200: field "email" removed',
    ]);
  });

  it('should not report a removed error status', () => {
    expect(
      changesOf((d) => delete d.paths['/customers/v2/profiles'].post.responses['409']),
    ).toEqual([]);
  });

  it('should report a new required request field and a new required parameter', () => {
    expect(
      changesOf((d) => {
        d.components.schemas.CreateProfileDto.required.push('surname');
        d.paths['/customers/v2/profiles/{customerNumber}'].get.parameters.push({
          name: 'at',
          in: 'query',
          required: true,
          schema: { type: 'string' },
        });
      }),
    ).toEqual([
      'POST /customers/v2/profiles: request body: new required field "surname"',
      'GET /customers/v2/profiles/{customerNumber}: new required query parameter "at"',
    ]);
  });

  it('should report narrowed types, enums and lengths', () => {
    expect(
      changesOf((d) => {
        const create = d.components.schemas.CreateProfileDto.properties;
        create.status.enum = ['A'];
        create.firstName.maxLength = 20;
        d.paths['/customers/v2/profiles/{customerNumber}'].get.parameters[0].schema = {
          type: 'string',
        };
        d.components.schemas.ProfileDto.properties.customerNumber = { type: 'string' };
      }),
    ).toEqual([
      'POST /customers/v2/profiles: request body.firstName: maxLength narrowed from 50 to 20',
      'POST /customers/v2/profiles: request body.status: enum narrowed (removed D)',
      'POST /customers/v2/profiles: response 201.customerNumber: type changed from number to string',
      'GET /customers/v2/profiles/{customerNumber}: path parameter "customerNumber": type changed from number to string',
      'GET /customers/v2/profiles/{customerNumber}: response 200.customerNumber: type changed from number to string',
    ]);
  });

  it('should ignore changes to operations that were already deprecated', () => {
    const before = document();
    before.paths['/customers/v2/profiles/{customerNumber}'].get.deprecated = true;
    const after = document();
    delete after.paths['/customers/v2/profiles/{customerNumber}'];
    expect(findBreakingChanges(before, after)).toEqual([]);
  });
});
