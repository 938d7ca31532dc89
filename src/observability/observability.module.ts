import { Global, Module } from '@nestjs/common';
import { LoggingModule } from './logging.module';
import { Metrics } from './metrics';
import { ComponentMetrics } from './component-metrics';
import { MetricsController } from './observability.controller';

@Global()
@Module({
  imports: [LoggingModule],
  controllers: [MetricsController],
  providers: [Metrics, ComponentMetrics],
  exports: [Metrics],
})
export class ObservabilityModule {}
