import { Module } from '@nestjs/common';
import { EventPublisher } from './event-publisher';

/** The outbox's way to NATS JetStream; idle unless EVENTS_NATS_URL is set. */
@Module({
  providers: [EventPublisher],
  exports: [EventPublisher],
})
export class EventPublisherModule {}
