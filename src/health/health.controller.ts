import { Controller, Get } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { SkipThrottle } from '@nestjs/throttler';
import { HealthCheck, HealthCheckService, HealthIndicatorService } from '@nestjs/terminus';
import { Public } from '../auth/decorators/public.decorator';
import { JwksStatus } from '../auth/jwks-status';
import { ProfilesRepository } from '../profiles/profiles.repository';

/** No profile has it: the lookup runs in full and finds nothing. */
const NO_ORGANISATION = 0;

@ApiExcludeController()
@Public()
// Load balancers probe every second from one address: a 429 (counters shared with REDIS_URL)
// would take every instance out of rotation.
@SkipThrottle()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    private readonly profiles: ProfilesRepository,
    private readonly jwks: JwksStatus,
  ) {}

  /** The process is up; says nothing of its dependencies. */
  @Get('live')
  live() {
    return { status: 'ok' };
  }

  /**
   * Ready for traffic: the profile lookup answers (503 otherwise), through the same pool and
   * prepared statement as the requests, so readiness fails when they would.
   */
  @Get('ready')
  @HealthCheck()
  ready() {
    return this.health.check([
      () =>
        this.indicators
          .check('database')
          .attempt(async () => {
            await this.profiles.findPermanent(NO_ORGANISATION, 0);
          })
          .withTimeout(2_000),
      () => this.jwksCheck(),
    ]);
  }

  /**
   * The issuer's JWKS at its last fetch, as a detail: an unreachable issuer is `degraded`, never
   * `down`. Cached keys go on verifying tokens, and every instance shares the issuer, so taking
   * instances out of rotation would turn an issuer outage into a full one.
   */
  private jwksCheck() {
    const { reachable, ...details } = this.jwks.current();
    const session = this.indicators.check('jwks');
    return reachable === false
      ? session.degraded({ reachable, ...details })
      : session.up({ reachable: reachable ?? 'not fetched yet', ...details });
  }
}
