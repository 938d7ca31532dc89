import { Module } from '@nestjs/common';
import { DevIssuerController } from './dev-issuer.controller';
import { DevIssuerService } from './dev-issuer.service';

/** Imported only when DEV_AUTH is on (the embedded default), never beside a real issuer. */
@Module({
  controllers: [DevIssuerController],
  providers: [DevIssuerService],
})
export class DevIssuerModule {}
