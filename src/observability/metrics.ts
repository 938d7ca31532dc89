import { Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { RateLimitState } from '../auth/rate-limit-storage';
import type { ReplicaState } from '../database/read-replicas';

/** The change events not yet acknowledged by the broker. */
export interface OutboxBacklog {
  depth: number;
  oldestAgeSeconds: number;
}

/** The service's Prometheus registry; a fresh one per application so tests do not share counters. */
@Injectable()
export class Metrics {
  readonly registry = new Registry();

  readonly httpRequestDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request duration by method, route and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });

  readonly expiryDeleted = new Counter({
    name: 'customers_expiry_deleted_total',
    help: 'Profiles deleted for good by the expiry job, by kind (temporary, deactivated)',
    labelNames: ['kind'] as const,
    registers: [this.registry],
  });

  readonly expiryRunDuration = new Histogram({
    name: 'customers_expiry_run_duration_seconds',
    help: 'Duration of expiry job runs that held the lock',
    buckets: [0.01, 0.1, 0.5, 1, 5, 15, 30, 60, 120],
    registers: [this.registry],
  });

  readonly expiryRuns = new Counter({
    name: 'customers_expiry_runs_total',
    help: 'Ticks of the expiry schedule on this instance, by outcome: ran (it won the tick), skipped',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });

  readonly webhookDeliveries = new Counter({
    name: 'customers_webhook_deliveries_total',
    help: 'Webhook delivery attempts by outcome (succeeded, failed) and deliveries dead-lettered',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });

  readonly eventsPublished = new Counter({
    name: 'customers_events_published_total',
    help: 'Change events the broker acknowledged (a re-publish after a crash counts again)',
    registers: [this.registry],
  });

  readonly eventsPublishFailures = new Counter({
    name: 'customers_events_publish_failures_total',
    help: 'Publish attempts that failed (broker unreachable or not acknowledging); each is retried',
    registers: [this.registry],
  });

  /** Set when read replicas are configured; read on each scrape. */
  replicaState?: () => ReplicaState;

  readonly replicaLag = new Gauge({
    name: 'customers_replica_lag_seconds',
    help: 'Replay lag of each read replica at its last check (-1 while it does not answer)',
    labelNames: ['replica'] as const,
    registers: [this.registry],
    collect: () => {
      for (const { replica, seconds } of this.replicaState?.().lags ?? []) {
        this.replicaLag.set({ replica }, seconds);
      }
    },
  });

  readonly lagTolerantReads = new Counter({
    name: 'customers_lag_tolerant_reads_total',
    help: 'Reads that tolerate replica lag, by where they ran (replica, primary)',
    labelNames: ['target'] as const,
    registers: [this.registry],
    collect: () => {
      const reads = this.replicaState?.().reads;
      if (reads) {
        this.lagTolerantReads.reset();
        this.lagTolerantReads.inc({ target: 'replica' }, reads.replica);
        this.lagTolerantReads.inc({ target: 'primary' }, reads.primary);
      }
    },
  });

  /** Set when the rate-limit storage is loaded; read on each scrape. */
  rateLimitState?: () => RateLimitState;

  readonly rateLimitStorageDegraded = new Gauge({
    name: 'customers_rate_limit_storage_degraded',
    help: '1 while Redis does not answer and this instance counts rate limits alone, else 0',
    registers: [this.registry],
    collect: () => {
      this.rateLimitStorageDegraded.set(this.rateLimitState?.().degraded ? 1 : 0);
    },
  });

  readonly rateLimitLocalFallbacks = new Counter({
    name: 'customers_rate_limit_local_fallbacks_total',
    help: 'Rate-limit counts taken by this instance alone because Redis did not answer',
    registers: [this.registry],
    collect: () => {
      this.rateLimitLocalFallbacks.reset();
      this.rateLimitLocalFallbacks.inc(this.rateLimitState?.().localFallbacks ?? 0);
    },
  });

  /** Set when the auth module is loaded; read on each scrape. */
  jwksUnverifiable?: () => number;

  readonly authKeysUnavailable = new Counter({
    name: 'customers_auth_keys_unavailable_total',
    help: "Requests answered 503 because the issuer's JWKS could not be read to verify their token",
    registers: [this.registry],
    collect: () => {
      this.authKeysUnavailable.reset();
      this.authKeysUnavailable.inc(this.jwksUnverifiable?.() ?? 0);
    },
  });

  /** Set by the broker publisher when it runs; read on each scrape. */
  outboxBacklog?: () => Promise<OutboxBacklog>;

  readonly eventsOutboxDepth = new Gauge({
    name: 'customers_events_outbox_depth',
    help: 'Change events committed but not yet acknowledged by the broker',
    registers: [this.registry],
    collect: () => this.collectBacklog((b) => this.eventsOutboxDepth.set(b.depth)),
  });

  readonly eventsOldestUnsentAge = new Gauge({
    name: 'customers_events_oldest_unsent_age_seconds',
    help: 'Age of the oldest change event not yet acknowledged by the broker (0 when none)',
    registers: [this.registry],
    collect: () => this.collectBacklog((b) => this.eventsOldestUnsentAge.set(b.oldestAgeSeconds)),
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }

  /** A scrape while the database is down keeps the last value rather than fail /metrics. */
  private async collectBacklog(set: (backlog: OutboxBacklog) => void): Promise<void> {
    if (!this.outboxBacklog) {
      return;
    }
    try {
      set(await this.outboxBacklog());
    } catch {
      // Readiness reports the database; the gauges just miss this scrape.
    }
  }
}
