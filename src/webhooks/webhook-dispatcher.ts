import {
  BeforeApplicationShutdown,
  Injectable,
  Logger,
  OnApplicationBootstrap,
} from '@nestjs/common';
import { Webhook } from 'standardwebhooks';
import { Clock } from '../common/clock/clock';
import { loggableError } from '../common/http/all-exceptions.filter';
import { AppConfig } from '../config/app-config';
import { toCloudEvent } from '../events/change-event';
import { Metrics } from '../observability/metrics';
import { nextAttemptAt } from './retry-schedule';
import { AttemptOutcome, postWebhook, succeeded, WEBHOOK_TIMEOUT_MS } from './webhook-sender';
import { ClaimedDelivery, WebhooksRepository } from './webhooks.repository';

/** How often an idle dispatcher looks for new events and due deliveries, at most. */
const POLL_MS = 1_000;
/** Events turned into deliveries per statement. */
const DISPATCH_BATCH = 500;
/** Deliveries posted at once by one instance. */
const SEND_BATCH = 20;
/** A claimed delivery is another instance's to take if this one has not recorded it by then. */
const CLAIM_LEASE_MS = WEBHOOK_TIMEOUT_MS + 50_000;

/**
 * Delivers change events to webhook endpoints: (a) turns undispatched events into one delivery
 * per matching endpoint, (b) claims due deliveries, commits the claim, posts each (no transaction
 * open meanwhile) and records the attempt: 2xx succeeds, anything else is retried with backoff
 * until the retry window has passed, then dead-lettered. Every instance may run it: SKIP LOCKED
 * and the claim's lease keep each event and each attempt with one of them.
 */
@Injectable()
export class WebhookDispatcher implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(WebhookDispatcher.name);
  private readonly stop = new AbortController();
  private readonly pollMs: number;
  private timer?: NodeJS.Timeout;
  private current?: Promise<boolean>;

  constructor(
    private readonly repository: WebhooksRepository,
    private readonly config: AppConfig,
    private readonly metrics: Metrics,
    private readonly clock: Clock,
  ) {
    // Small retry bases (tests) need polls at least as often as their retries fall due.
    this.pollMs = Math.min(POLL_MS, config.events.webhookRetryBaseMs);
  }

  onApplicationBootstrap(): void {
    if (this.config.events.webhooksEnabled) {
      this.schedule(0);
    }
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stop.abort();
    clearTimeout(this.timer);
    await this.current;
  }

  private schedule(delay: number): void {
    this.timer = setTimeout(() => {
      this.current = this.tick();
      void this.current.then((busy) => {
        this.current = undefined;
        if (!this.stop.signal.aborted) {
          this.schedule(busy ? 0 : this.pollMs);
        }
      });
    }, delay);
    this.timer.unref();
  }

  /** One round; true when it found work, so the next follows at once. */
  async tick(): Promise<boolean> {
    try {
      const dispatched = await this.repository.dispatchEvents(DISPATCH_BATCH);
      const claimed = await this.repository.claimDue(SEND_BATCH, CLAIM_LEASE_MS);
      await Promise.all(claimed.map((delivery) => this.attempt(delivery)));
      return dispatched === DISPATCH_BATCH || claimed.length > 0;
    } catch (error) {
      this.logger.warn({ err: loggableError(error) }, 'Webhook dispatch failed; it retries');
      return false;
    }
  }

  private async attempt(delivery: ClaimedDelivery): Promise<void> {
    const at = this.clock.now();
    const body = JSON.stringify(toCloudEvent(delivery.event));
    const outcome = await postWebhook(
      {
        url: delivery.url,
        body,
        headers: {
          'content-type': 'application/cloudevents+json; charset=utf-8',
          'user-agent': 'customers-webhooks/1',
          'webhook-id': delivery.id,
          'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
          'webhook-signature': new Webhook(delivery.secret).sign(delivery.id, at, body),
        },
      },
      { allowPrivate: this.config.events.webhookAllowPrivate, signal: this.stop.signal },
    );
    await this.record(delivery, at, outcome);
  }

  private async record(delivery: ClaimedDelivery, at: Date, outcome: AttemptOutcome) {
    const runStartedAt = delivery.run_started_at ?? at;
    const ok = succeeded(outcome);
    const retryAt = ok
      ? null
      : nextAttemptAt(
          {
            baseMs: this.config.events.webhookRetryBaseMs,
            windowMs: this.config.events.webhookRetryWindowMs,
          },
          this.clock.now(),
          new Date(runStartedAt),
          delivery.run_attempts + 1,
        );
    const status = ok ? 'SUCCEEDED' : retryAt ? 'PENDING' : 'DEAD_LETTERED';
    const recorded = await this.repository.recordAttempt(delivery, at, outcome, {
      status,
      nextAttemptAt: retryAt,
      runStartedAt,
    });
    if (!recorded) {
      return;
    }
    this.metrics.webhookDeliveries.inc({ outcome: ok ? 'succeeded' : 'failed' });
    if (status === 'DEAD_LETTERED') {
      this.metrics.webhookDeliveries.inc({ outcome: 'dead_lettered' });
      this.logger.warn(
        { deliveryId: delivery.id, eventId: delivery.event.id, attempts: delivery.attempts + 1 },
        'Webhook delivery dead-lettered',
      );
    }
  }
}
