import { Injectable, OnModuleInit, Optional } from '@nestjs/common';
import { JwksStatus } from '../auth/jwks-status';
import { RateLimitStorage } from '../auth/rate-limit-storage';
import { ReadReplicas } from '../database/read-replicas';
import { Metrics } from './metrics';

/**
 * Lets /metrics read the state of components below it (read replicas, rate-limit storage, the
 * issuer's JWKS), which keep their own counts and know nothing of metrics.
 */
@Injectable()
export class ComponentMetrics implements OnModuleInit {
  constructor(
    private readonly metrics: Metrics,
    @Optional() private readonly replicas?: ReadReplicas,
    @Optional() private readonly rateLimits?: RateLimitStorage,
    @Optional() private readonly jwks?: JwksStatus,
  ) {}

  onModuleInit(): void {
    const { replicas, rateLimits, jwks } = this;
    if (replicas) {
      this.metrics.replicaState = () => replicas.state();
    }
    if (rateLimits) {
      this.metrics.rateLimitState = () => rateLimits.state();
    }
    if (jwks) {
      this.metrics.jwksUnverifiable = () => jwks.unverifiableCount();
    }
  }
}
