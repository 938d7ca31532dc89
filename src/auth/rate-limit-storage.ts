import { Global, Injectable, Logger, Module, OnApplicationShutdown } from '@nestjs/common';
import { ThrottlerStorage, ThrottlerStorageService } from '@nestjs/throttler';
import { ThrottlerStorageRedisService } from '@nest-lab/throttler-storage-redis';
import Redis from 'ioredis';
import { AppConfig } from '../config/app-config';

type ThrottlerRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

export interface RateLimitState {
  degraded: boolean;
  localFallbacks: number;
}

/** A rate-limit count that waits longer than this for Redis is taken locally instead. */
const REDIS_COMMAND_TIMEOUT_MS = 250;

/**
 * The rate-limit counters (per client, and failed authentications per address). With REDIS_URL
 * they live in Redis, so a limit holds across instances. When Redis does not answer, requests are
 * still served: this instance counts alone (a client may then get up to instances × the limit), a
 * warning says so once, and `customers_rate_limit_storage_degraded` is 1 until Redis answers again.
 * Serving over limiting exactly is the choice: a rate limit protects the service, it is not a quota.
 */
@Injectable()
export class RateLimitStorage implements ThrottlerStorage, OnApplicationShutdown {
  private readonly logger = new Logger('RateLimits');
  private readonly local = new ThrottlerStorageService();
  private readonly redis?: Redis;
  private readonly shared?: ThrottlerStorageRedisService;
  private degraded = false;

  /** Counts taken by this instance alone because Redis did not answer. */
  private localFallbacks = 0;

  constructor(config: AppConfig) {
    if (config.redisUrl) {
      this.redis = new Redis(config.redisUrl, {
        keyPrefix: 'customers:rate-limit:',
        // Fail fast while disconnected instead of queueing: the request must not wait on Redis.
        enableOfflineQueue: false,
        maxRetriesPerRequest: 0,
        commandTimeout: REDIS_COMMAND_TIMEOUT_MS,
        connectTimeout: 2_000,
        retryStrategy: (attempt) => Math.min(attempt * 200, 5_000),
      });
      // Connection errors are reported through the fallback below, once per outage.
      this.redis.on('error', () => undefined);
      this.shared = new ThrottlerStorageRedisService(this.redis);
    }
  }

  async increment(
    key: string,
    ttl: number,
    limit: number,
    blockDuration: number,
    throttlerName: string,
  ): Promise<ThrottlerRecord> {
    if (!this.shared) {
      return this.local.increment(key, ttl, limit, blockDuration, throttlerName);
    }
    try {
      const record = await this.shared.increment(key, ttl, limit, blockDuration, throttlerName);
      this.setDegraded(false);
      return record;
    } catch (err) {
      this.setDegraded(true, err);
      this.localFallbacks++;
      return this.local.increment(key, ttl, limit, blockDuration, throttlerName);
    }
  }

  private setDegraded(degraded: boolean, err?: unknown): void {
    if (degraded === this.degraded) {
      return;
    }
    this.degraded = degraded;
    if (degraded) {
      this.logger.warn(
        { err },
        'Redis does not answer: rate limits are counted per instance until it does',
      );
    } else {
      this.logger.log('Redis answers again: rate limits are shared across instances');
    }
  }

  /** What /metrics reports: whether Redis is being done without, and how often it was. */
  state(): RateLimitState {
    return { degraded: this.degraded, localFallbacks: this.localFallbacks };
  }

  onApplicationShutdown(): void {
    this.local.onApplicationShutdown();
    // quit() waits for a server that may be gone; a closed connection is all shutdown needs.
    this.redis?.disconnect();
  }
}

/** The one RateLimitStorage the throttler and the authentication limiter share; /metrics reads it. */
@Global()
@Module({ providers: [RateLimitStorage], exports: [RateLimitStorage] })
export class RateLimitStorageModule {}
