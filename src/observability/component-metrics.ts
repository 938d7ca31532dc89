import { Injectable, OnModuleInit, Optional } from '@nestjs/common';
import { RateLimitStorage } from '../auth/rate-limit-storage';
import { ReadReplicas } from '../database/read-replicas';
import { Metrics } from './metrics';

/**
 * Lets /metrics read the state of components below it (read replicas, rate-limit storage), which
 * keep their own counts and know nothing of metrics.
 */
@Injectable()
export class ComponentMetrics implements OnModuleInit {
  constructor(
    private readonly metrics: Metrics,
    @Optional() private readonly replicas?: ReadReplicas,
    @Optional() private readonly rateLimits?: RateLimitStorage,
  ) {}

  onModuleInit(): void {
    const { replicas, rateLimits } = this;
    if (replicas) {
      this.metrics.replicaState = () => replicas.state();
    }
    if (rateLimits) {
      this.metrics.rateLimitState = () => rateLimits.state();
    }
  }
}
