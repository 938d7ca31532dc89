import { ArgumentMetadata, Injectable, PipeTransform } from '@nestjs/common';
import { FieldError, ValidationDomainException } from '../errors/domain.exception';
import { ErrorCode } from '../errors/error-codes';

/** PostgreSQL text cannot hold U+0000, and UTF-8 cannot encode half of a surrogate pair. */
const NUL = String.fromCharCode(0);
const LONE_SURROGATE = /\p{Cs}/u;

/**
 * Rejects any string of a body, query or path parameter that the database cannot store, before a
 * DTO sees it: one check for every route instead of a rule in each DTO. Each offending field is
 * named in `errors`, with the same paths as validation errors (`addresses[0].street`).
 */
@Injectable()
export class StorableTextPipe implements PipeTransform {
  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    if (!['body', 'query', 'param'].includes(metadata.type)) {
      return value;
    }
    const errors = unstorableStrings(value, metadata.type === 'body' ? '' : (metadata.data ?? ''));
    if (errors.length > 0) {
      throw new ValidationDomainException(
        errors.length === 1
          ? errors[0].message
          : `${errors.length} fields are invalid: ${errors.map((e) => e.field).join(', ')}`,
        errors,
        { errorCode: ErrorCode.BadRequest },
      );
    }
    return value;
  }
}

/** Walks the value without recursion (bodies may nest deeply), keys included. */
export function unstorableStrings(value: unknown, root = ''): FieldError[] {
  const errors: FieldError[] = [];
  const pending: Array<{ value: unknown; path: string }> = [{ value, path: root }];
  while (pending.length > 0) {
    const { value: current, path } = pending.pop()!;
    if (typeof current === 'string') {
      const problem = describe(current);
      if (problem) {
        errors.push({ field: path || 'body', message: `${path || 'body'} ${problem}` });
      }
    } else if (Array.isArray(current)) {
      current.forEach((item, index) => pending.push({ value: item, path: `${path}[${index}]` }));
    } else if (current !== null && typeof current === 'object') {
      for (const [key, item] of Object.entries(current)) {
        const field = path ? `${path}.${key}` : key;
        const keyProblem = describe(key);
        if (keyProblem) {
          errors.push({ field: path || 'body', message: `a member name ${keyProblem}` });
          continue;
        }
        pending.push({ value: item, path: field });
      }
    }
  }
  return errors.reverse();
}

function describe(text: string): string | undefined {
  if (text.includes(NUL)) {
    return 'must not contain the NUL character (U+0000)';
  }
  if (LONE_SURROGATE.test(text)) {
    return 'must be valid Unicode (it contains half of a surrogate pair)';
  }
  return undefined;
}
