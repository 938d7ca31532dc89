import { OpenAPIObject } from '@nestjs/swagger';

/** Identifiers the reference declares as int64 wherever they appear as parameters. */
const INT64_PARAMETERS = new Set(['customerNumber']);

/**
 * Path and query parameters named `customerNumber` are int64 integers in every operation;
 * @nestjs/swagger infers only `number` from a handler's signature, so the document says it here
 * once instead of in every controller.
 */
export function declareInt64Parameters(document: OpenAPIObject): void {
  for (const item of Object.values(document.paths)) {
    for (const operation of Object.values(item)) {
      const parameters = (operation as { parameters?: unknown[] } | undefined)?.parameters;
      for (const parameter of parameters ?? []) {
        const p = parameter as { name?: string; schema?: Record<string, unknown> };
        if (p.name && INT64_PARAMETERS.has(p.name) && p.schema) {
          p.schema = { ...p.schema, type: 'integer', format: 'int64' };
        }
      }
    }
  }
}
