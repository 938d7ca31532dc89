import { FastifyInstance, FastifyRequest } from 'fastify';

/** Deeper than any body of the API (three levels at most); far below what recursion survives. */
export const MAX_JSON_DEPTH = 32;

export const JSON_TOO_DEEP = 'FST_ERR_CTP_JSON_TOO_DEEP';

/**
 * The deepest nesting of arrays and objects in a JSON text, counted in one pass without parsing
 * (brackets inside strings do not count), stopping as soon as `limit` is passed.
 */
export function jsonDepthExceeds(text: string, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c /* \ */) {
        i++;
      } else if (c === 0x22 /* " */) {
        inString = false;
      }
    } else if (c === 0x22) {
      inString = true;
    } else if (c === 0x5b /* [ */ || c === 0x7b /* { */) {
      if (++depth > limit) {
        return true;
      }
    } else if (c === 0x5d /* ] */ || c === 0x7d /* } */) {
      depth--;
    }
  }
  return false;
}

/**
 * The body parser of the JSON types: Fastify's own (which refuses `__proto__` and
 * `constructor.prototype` keys), behind a depth check that answers 400 before a deeply nested body
 * reaches code that walks it recursively (validation, hashing, logging).
 */
export function jsonBodyParser(fastify: FastifyInstance) {
  const parse = fastify.getDefaultJsonParser('error', 'error');
  return (
    request: FastifyRequest,
    body: Buffer,
    done: (error: Error | null, value?: unknown) => void,
  ): void => {
    const text = body.toString('utf8');
    if (jsonDepthExceeds(text, MAX_JSON_DEPTH)) {
      done(
        Object.assign(new Error(`The JSON body nests deeper than ${MAX_JSON_DEPTH} levels`), {
          statusCode: 400,
          code: JSON_TOO_DEEP,
        }),
      );
      return;
    }
    void parse(request, text, done);
  };
}
