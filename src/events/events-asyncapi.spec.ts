import { toJsonSchema } from './events-asyncapi';

describe('toJsonSchema', () => {
  it('should turn OpenAPI nullable and example into JSON Schema, deep inside', () => {
    const schema = {
      type: 'object',
      required: ['version'],
      properties: {
        version: { type: 'number', nullable: true, example: 3 },
        changedFields: { type: 'array', items: { type: 'string' }, example: ['email'] },
        data: { $ref: '#/components/schemas/ChangeEventDataDto' },
      },
    };
    expect(toJsonSchema(schema)).toEqual({
      type: 'object',
      required: ['version'],
      properties: {
        version: { type: ['number', 'null'], examples: [3] },
        changedFields: { type: 'array', items: { type: 'string' }, examples: [['email']] },
        data: { $ref: '#/components/schemas/ChangeEventDataDto' },
      },
    });
  });

  it('should leave a schema that is already JSON Schema as it is', () => {
    const schema = { type: 'string', enum: ['CREATE', 'UPDATE'], format: 'uuid' };
    expect(toJsonSchema(schema)).toEqual(schema);
  });
});
