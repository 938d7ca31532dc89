import { Global, Module } from '@nestjs/common';
import { EventRetention } from './event-retention';
import { EventsController } from './events.controller';
import { EventsRepository } from './events.repository';

/**
 * Change events: the outbox written in each change's transaction, the feed that reads it, and the
 * retention that prunes it.
 */
@Global()
@Module({
  controllers: [EventsController],
  providers: [EventsRepository, EventRetention],
  exports: [EventsRepository],
})
export class EventsModule {}
