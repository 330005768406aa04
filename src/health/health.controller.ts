import { Controller, Get, Header } from '@nestjs/common';
import { ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { Public } from '../tenancy/roles.decorator';
import { MetricsService } from './metrics.service';

@ApiTags('Service')
@Controller()
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly db: TypeOrmHealthIndicator,
    private readonly metrics: MetricsService,
  ) {}

  /** Liveness: the process answers. Touches no dependency. */
  @Get('health')
  @Public()
  @ApiOkResponse({ description: 'The process is up', schema: { example: { status: 'ok' } } })
  live() {
    return { status: 'ok' };
  }

  /** Readiness: the database answers a ping within 2 s; 503 otherwise. */
  @Get('health/ready')
  @Public()
  @HealthCheck()
  ready() {
    return this.health.check([() => this.db.pingCheck('database', { timeout: 2000 })]);
  }

  /** Prometheus scrape: request count and latency by method, route pattern and status, process metrics. */
  @Get('metrics')
  @Public()
  @ApiProduces('text/plain')
  @ApiOkResponse({ description: 'Prometheus text exposition format 0.0.4', schema: { type: 'string' } })
  @Header('content-type', 'text/plain; version=0.0.4; charset=utf-8')
  scrape() {
    return this.metrics.registry.metrics();
  }
}
