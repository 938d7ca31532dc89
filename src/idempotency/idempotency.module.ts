import { Global, Module } from '@nestjs/common';
import { IdempotencyKeysRepository } from './idempotency-keys.repository';
import { IdempotencyInterceptor } from './idempotency.interceptor';
import { IdempotencyService } from './idempotency.service';

/** Idempotent creates for every module: put `@Idempotent()` on a POST handler. */
@Global()
@Module({
  providers: [IdempotencyService, IdempotencyInterceptor, IdempotencyKeysRepository],
  exports: [IdempotencyService, IdempotencyInterceptor],
})
export class IdempotencyModule {}
