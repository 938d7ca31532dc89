import { Global, Module } from '@nestjs/common';
import { EventsController } from './events.controller';
import { EventsRepository } from './events.repository';

/** Change events: the outbox written in each change's transaction, and the feed that reads it. */
@Global()
@Module({
  controllers: [EventsController],
  providers: [EventsRepository],
  exports: [EventsRepository],
})
export class EventsModule {}
