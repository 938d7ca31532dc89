import { Injectable, PipeTransform } from '@nestjs/common';
import { ValidationDomainException } from '../common/errors/domain.exception';

/** A numeric id in a path (`id`, `version`): a positive integer, else 400 (never a 500). */
@Injectable()
export class PositiveIntPipe implements PipeTransform<string, number> {
  constructor(private readonly field = 'id') {}

  transform(value: string): number {
    if (!/^[1-9]\d{0,14}$/.test(value)) {
      const message = `${this.field} must be a positive integer`;
      throw new ValidationDomainException(message, [{ field: this.field, message }]);
    }
    return Number(value);
  }
}
