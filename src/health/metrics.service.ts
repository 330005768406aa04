import { Injectable, Optional } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { READ_SOURCES, ReplicaReads } from '../database/replica-reads';

/**
 * Prometheus metrics: request count and latency by route pattern and status, which database answered
 * analytics (ReplicaReads) and whether the replicas are failing, plus process defaults.
 */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();
  private readonly requests = new Counter({
    name: 'http_requests_total',
    help: 'HTTP requests answered, by method, route pattern and status',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [this.registry],
  });
  private readonly latency = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request latency in seconds, by method, route pattern and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });

  constructor(@Optional() reads?: ReplicaReads) {
    collectDefaultMetrics({ register: this.registry });
    if (!reads) return;
    const answered = new Counter({
      name: 'analytics_reads_total',
      help: 'Analytics requests answered, by source: replica; primary (no replica, X-Consistency: strong, or a request that wrote first); primary_fallback (no replica could answer)',
      labelNames: ['source'] as const,
      registers: [this.registry],
    });
    for (const source of READ_SOURCES) answered.inc({ source }, 0);
    reads.onAnswer((source) => answered.inc({ source }));
    new Gauge({
      name: 'analytics_replica_down',
      help: '1 while analytics are answered from the primary because the read replicas failed, else 0',
      registers: [this.registry],
      collect() {
        this.set(reads.down ? 1 : 0);
      },
    });
  }

  observe(method: string, route: string, status: number, seconds: number): void {
    const labels = { method, route, status: String(status) };
    this.requests.inc(labels);
    this.latency.observe(labels, seconds);
  }
}
