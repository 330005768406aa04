import { Inject, Injectable, Optional } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { READ_SOURCES, ReplicaReads } from '../database/replica-reads';
import { isRateLimitStorageStatus } from '../tenancy/fail-open-throttler-storage';
import { TENANT_THROTTLER_STORAGE } from '../tenancy/tenant-throttler.guard';
import { ATTEMPT_OUTCOMES, WebhookRelay } from '../webhooks/webhook-relay';

/** The longest a scrape waits for the webhook backlog's counts. */
const BACKLOG_SCRAPE_MS = 1000;

/**
 * Prometheus metrics: request count and latency by route pattern and status, where the rate-limit
 * counters live, which database answered analytics (ReplicaReads) and whether the replicas are
 * failing, the webhook relay's work, plus process defaults.
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

  constructor(@Optional() @Inject(TENANT_THROTTLER_STORAGE) throttlerStorage?: unknown, @Optional() reads?: ReplicaReads, @Optional() relay?: WebhookRelay) {
    collectDefaultMetrics({ register: this.registry });
    // Read at each scrape from the storage (REDIS_URL: shared, failing open); both stay 0 without Redis.
    const status = isRateLimitStorageStatus(throttlerStorage) ? throttlerStorage : undefined;
    new Gauge({
      name: 'rate_limit_shared_storage_in_use',
      help: '1 while the per-tenant rate limit is counted in the shared store (Redis) and it answers; 0 when each instance counts its own',
      registers: [this.registry],
      collect() {
        this.set(status?.sharedInUse() ? 1 : 0);
      },
    });
    new Counter({
      name: 'rate_limit_storage_fallbacks_total',
      help: 'Requests whose rate-limit hit was counted in this instance only because the shared store (Redis) failed or did not answer in time',
      registers: [this.registry],
      collect() {
        this.reset();
        this.inc(status?.fallbacks() ?? 0);
      },
    });
    if (reads) this.analyticsSources(reads);
    if (relay) this.webhooks(relay);
  }

  observe(method: string, route: string, status: number, seconds: number): void {
    const labels = { method, route, status: String(status) };
    this.requests.inc(labels);
    this.latency.observe(labels, seconds);
  }

  /**
   * The webhook relay: what this process relayed and attempted (counters), and the work waiting for all
   * instances (gauges, a bounded query at each scrape).
   */
  private webhooks(relay: WebhookRelay): void {
    new Counter({
      name: 'webhook_events_relayed_total',
      help: 'Outbox events this process handed on to deliveries (or dropped: no subscription wanted them)',
      registers: [this.registry],
      collect() {
        this.reset();
        this.inc(relay.counts().relayed);
      },
    });
    new Counter({
      name: 'webhook_attempts_total',
      help: 'Webhook delivery attempts of this process, by outcome: delivered (2xx), retrying (failed, tried again later), dead (failed for the last time)',
      labelNames: ['outcome'] as const,
      registers: [this.registry],
      collect() {
        this.reset();
        const { attempts } = relay.counts();
        for (const outcome of ATTEMPT_OUTCOMES) this.inc({ outcome }, attempts[outcome]);
      },
    });
    const waiting = new Gauge({
      name: 'webhook_backlog',
      help: 'Webhook work waiting, all instances together, counted up to 100000: events in the outbox (queue="outbox"), pending deliveries whose attempt is due (queue="due")',
      labelNames: ['queue'] as const,
      registers: [this.registry],
      async collect() {
        // Bounded, and never failing the scrape: with the database away or slow, the last figures stay.
        let timer: NodeJS.Timeout | undefined;
        const late = new Promise<undefined>((done) => (timer = setTimeout(() => done(undefined), BACKLOG_SCRAPE_MS)));
        const figures = await Promise.race([relay.backlog().catch(() => undefined), late]).finally(() => clearTimeout(timer));
        if (!figures) return;
        waiting.set({ queue: 'outbox' }, figures.outbox);
        waiting.set({ queue: 'due' }, figures.due);
      },
    });
  }

  /** Which database answered analytics (counted as they answer), and whether the replicas are failing (read at each scrape). */
  private analyticsSources(reads: ReplicaReads): void {
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
}
