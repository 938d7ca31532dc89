import { Module } from '@nestjs/common';
import { EventRetention } from './event-retention';
import { EventsController } from './events.controller';
import { EventsAsyncApi, EventsDocsController } from './events-docs.controller';
import { EventsOutboxModule } from './events-outbox.module';

/**
 * Change events: the outbox written in each change's transaction, the feed that reads it, the
 * retention that prunes it, and the AsyncAPI document of the events.
 */
@Module({
  imports: [EventsOutboxModule],
  controllers: [EventsController, EventsDocsController],
  providers: [EventRetention, EventsAsyncApi],
})
export class EventsModule {}
