import { Injectable, PipeTransform } from '@nestjs/common';
import { ValidationDomainException } from '../common/errors/domain.exception';

const POSITIVE_ID = /^[1-9]\d{0,14}$/;

/** A path id (customer number, sub-resource id): a positive integer, else 400 naming the parameter. */
@Injectable()
export class ParseIdPipe implements PipeTransform<string, number> {
  constructor(private readonly name: string) {}

  transform(value: string): number {
    if (!POSITIVE_ID.test(value)) {
      const message = `${this.name} must be a positive integer`;
      throw new ValidationDomainException(message, [{ field: this.name, message }]);
    }
    return Number(value);
  }
}

export const CustomerNumberPipe = new ParseIdPipe('customerNumber');
export const ResourceIdPipe = new ParseIdPipe('id');
