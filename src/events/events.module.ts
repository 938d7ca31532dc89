import { Global, Module } from '@nestjs/common';
import { EventRetention } from './event-retention';
import { EventsController } from './events.controller';
import { EventsAsyncApi, EventsDocsController } from './events-docs.controller';
import { EventsRepository } from './events.repository';

/**
 * Change events: the outbox written in each change's transaction, the feed that reads it, the
 * retention that prunes it, and the AsyncAPI document of the events.
 */
@Global()
@Module({
  controllers: [EventsController, EventsDocsController],
  providers: [EventsRepository, EventRetention, EventsAsyncApi],
  exports: [EventsRepository],
})
export class EventsModule {}
