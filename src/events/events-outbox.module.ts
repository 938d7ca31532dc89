import { Global, Module } from '@nestjs/common';
import { EventsRepository } from './events.repository';

/** The outbox alone: what every change needs to write its event (the CLI too, with no HTTP). */
@Global()
@Module({
  providers: [EventsRepository],
  exports: [EventsRepository],
})
export class EventsOutboxModule {}
