import { Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';

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

  readonly webhookDeliveries = new Counter({
    name: 'customers_webhook_deliveries_total',
    help: 'Webhook delivery attempts by outcome (succeeded, failed) and deliveries dead-lettered',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }
}
