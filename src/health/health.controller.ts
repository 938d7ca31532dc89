import { Controller, Get } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import {
  HealthCheck,
  HealthCheckService,
  HealthIndicatorService,
  TypeOrmHealthIndicator,
} from '@nestjs/terminus';
import { Public } from '../auth/decorators/public.decorator';
import { JwksStatus } from '../auth/jwks-status';

@ApiExcludeController()
@Public()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: TypeOrmHealthIndicator,
    private readonly indicators: HealthIndicatorService,
    private readonly jwks: JwksStatus,
  ) {}

  /** The process is up; says nothing of its dependencies. */
  @Get('live')
  live() {
    return { status: 'ok' };
  }

  /** Ready for traffic: the database answers (503 otherwise). */
  @Get('ready')
  @HealthCheck()
  ready() {
    return this.health.check([
      () => this.database.pingCheck('database', { timeout: 2_000 }),
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
