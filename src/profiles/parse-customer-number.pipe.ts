import { Injectable, PipeTransform } from '@nestjs/common';
import { ValidationDomainException } from '../common/errors/domain.exception';

const CUSTOMER_NUMBER = /^[1-9]\d{0,14}$/;

/** A `customerNumber` path parameter: a positive integer, else 400 problem+json (never a 500). */
@Injectable()
export class ParseCustomerNumberPipe implements PipeTransform<string, number> {
  transform(value: string): number {
    if (!CUSTOMER_NUMBER.test(value)) {
      const message = 'customerNumber must be a positive integer';
      throw new ValidationDomainException(message, [{ field: 'customerNumber', message }]);
    }
    return Number(value);
  }
}
