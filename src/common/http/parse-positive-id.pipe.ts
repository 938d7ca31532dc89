import { Injectable, PipeTransform } from '@nestjs/common';
import { ValidationDomainException } from '../errors/domain.exception';

const POSITIVE_ID = /^[1-9]\d{0,14}$/;

/**
 * A numeric path parameter (customer number, sub-resource id, version): a positive integer below
 * 2^53, else 400 problem+json naming the parameter — never a 500 from the database.
 */
@Injectable()
export class ParsePositiveIdPipe implements PipeTransform<string, number> {
  constructor(private readonly field = 'id') {}

  transform(value: string): number {
    if (!POSITIVE_ID.test(value)) {
      const message = `${this.field} must be a positive integer`;
      throw new ValidationDomainException(message, [{ field: this.field, message }]);
    }
    return Number(value);
  }
}

export const CustomerNumberPipe = new ParsePositiveIdPipe('customerNumber');
export const ResourceIdPipe = new ParsePositiveIdPipe('id');
