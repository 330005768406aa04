import { Controller, Get, Header, UseGuards } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { Public } from '../tenancy/roles.decorator';
import { MetricsService } from './metrics.service';
import { MetricsTokenGuard } from './metrics-token.guard';

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
  @ApiOperation({ operationId: 'getLiveness', summary: 'Liveness', description: 'The process answers; touches no dependency.' })
  @ApiOkResponse({ description: 'The process is up', schema: { example: { status: 'ok' } } })
  live() {
    return { status: 'ok' };
  }

  /** Readiness: the database answers a ping within 2 s; 503 otherwise. */
  @Get('health/ready')
  @Public()
  @ApiOperation({ operationId: 'getReadiness', summary: 'Readiness', description: 'The database answers a ping within 2 s; 503 with Retry-After otherwise.' })
  @HealthCheck()
  ready() {
    return this.health.check([() => this.db.pingCheck('database', { timeout: 2000 })]);
  }

  /**
   * Prometheus scrape: request count and latency by method, route pattern and status, process metrics.
   * With METRICS_TOKEN set, only for `Authorization: Bearer <METRICS_TOKEN>`.
   */
  @Get('metrics')
  @Public()
  @UseGuards(MetricsTokenGuard)
  @ApiOperation({
    operationId: 'getMetrics',
    summary: 'Prometheus metrics',
    description: 'Request count and latency by method, route pattern and status, plus process metrics (Prometheus text format).',
  })
  @ApiProduces('text/plain')
  @ApiOkResponse({ description: 'Prometheus text exposition format 0.0.4', schema: { type: 'string' } })
  @ApiResponse({
    status: 401,
    description: 'UNAUTHENTICATED: METRICS_TOKEN is set and the request does not carry it as a bearer token',
    content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/ProblemDto' } } },
  })
  @Header('content-type', 'text/plain; version=0.0.4; charset=utf-8')
  scrape() {
    return this.metrics.registry.metrics();
  }
}
