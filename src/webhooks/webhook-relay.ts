import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { Transactional } from '../database/transactional';
import type { DomainEventBase } from '../events/domain-events';
import { CrossTenantJobs, ClaimedRow } from '../tenancy/cross-tenant-jobs';
import { OutboxEventEntity } from '../tenancy/event-outbox.entity';
import { EventOutbox } from '../tenancy/event-outbox';
import { TenantScope } from '../tenancy/tenant-scope';
import { afterFailure } from './retry';
import { signWebhook } from './signature';
import { CheckedTarget, checkTargetWithin, TargetRefused } from './target-guard';
import { webhookBody } from './webhook-body';
import { WebhookDeliveryEntity } from './webhook-delivery.entity';
import { WebhookDeliveryRepository } from './webhook-delivery.repository';
import { AttemptResult, postWebhook } from './webhook-sender';
import { retentionMs, WEBHOOK_SETTINGS, WebhookSettings } from './webhook-settings';
import { WebhookSubscriptionRepository } from './webhook-subscription.repository';
import { WebhookSubscriptionsService } from './webhook-subscriptions.service';
import { groupBy } from '../common/group-by';

/** Who the relay acts as in each tenant (updated_by of deliveries). */
export const RELAY_ACTOR = 'webhooks';
/** Outbox events handed on per transaction. */
const OUTBOX_BATCH = 100;
/** Deliveries claimed (and attempted at once) per pass. */
const DELIVERY_BATCH = 20;
/**
 * How long a claim holds: an attempt takes at most two timeouts (the name's lookup, then the POST); before
 * it, up to 10 s for its reads (a busy pool), and after it a moment for recording its result
 * (LEASE_MARGIN_MS). A crashed instance's claims are tried again after this.
 */
export const leaseMs = (timeoutMs: number): number => 2 * timeoutMs + 15_000;
/** What an attempt keeps of its lease for recording its result (see runOnce). */
const LEASE_MARGIN_MS = 5000;
/** How often a process deletes delivered and dead deliveries past their retention. */
const PURGE_EVERY_MS = 10 * 60_000;

const LAST_ERROR_MAX = 500;

/** What became of the attempts this process made, by outcome (/metrics). */
export type AttemptOutcome = 'delivered' | 'retrying' | 'dead';
export const ATTEMPT_OUTCOMES: readonly AttemptOutcome[] = ['delivered', 'retrying', 'dead'];
/** How far the backlog figures of /metrics count (a bounded query at each scrape). */
const BACKLOG_CAP = 100_000;

export interface RelayPass {
  /** Outbox events handed on (each became a delivery per matching active subscription, or nothing). */
  relayed: number;
  /** Delivery attempts made. */
  attempted: number;
}

/**
 * The webhook relay of this process (when `deliver` is on): every poll interval, one pass (runOnce)
 * 1. hands on the outbox: events are taken across tenants in short transactions (EventOutbox.takeBatch,
 *    SKIP LOCKED) and, in the same transaction, become one pending delivery per active subscription of
 *    their tenant that lists their type; an event no subscription wants is simply dropped;
 * 2. claims due deliveries across tenants (CrossTenantJobs.claimDue: SKIP LOCKED, a lease, the claim's
 *    version) and attempts them at once: signed POST to the checked, pinned address; the result is
 *    written only if the claim still holds (its version);
 * 3. now and then deletes delivered and dead deliveries past their retention.
 * Timer passes never overlap in a process (a pass called by hand may: the database keeps any two apart,
 * as it does instances). On shutdown no new
 * pass starts and the running one is awaited (its attempts are bounded by the timeout).
 */
@Injectable()
export class WebhookRelay implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('WebhookRelay');
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;
  private stopped = false;
  private lastPurge = 0;
  private relayedTotal = 0;
  private readonly outcomes: Record<AttemptOutcome, number> = { delivered: 0, retrying: 0, dead: 0 };

  constructor(
    private readonly outbox: EventOutbox,
    private readonly jobs: CrossTenantJobs,
    private readonly scope: TenantScope,
    private readonly subscriptions: WebhookSubscriptionRepository,
    private readonly deliveries: WebhookDeliveryRepository,
    private readonly service: WebhookSubscriptionsService,
    @Inject(WEBHOOK_SETTINGS) private readonly settings: WebhookSettings,
  ) {}

  onApplicationBootstrap(): void {
    if (this.settings.deliver) this.schedule();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.running;
  }

  /** Outbox events this process handed on, and its attempts by outcome, since it started (/metrics). */
  counts(): { relayed: number; attempts: Record<AttemptOutcome, number> } {
    return { relayed: this.relayedTotal, attempts: { ...this.outcomes } };
  }

  /**
   * The work waiting, all tenants and instances together, each counted up to 100,000 (/metrics):
   * events in the outbox, and pending deliveries whose attempt is due. Both growing means the relays
   * are falling behind, or none runs.
   */
  async backlog(): Promise<{ outbox: number; due: number }> {
    const [outbox, due] = await Promise.all([this.outbox.backlog(BACKLOG_CAP), this.jobs.countDue(WebhookDeliveryEntity, BACKLOG_CAP)]);
    return { outbox, due };
  }

  /** Whether a pass is running now (false between passes and once stopped). */
  get busy(): boolean {
    return this.running !== undefined;
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.running = this.runOnce()
        .catch((error: unknown) => this.logger.error({ err: error }, 'a webhook relay pass failed'))
        .finally(() => {
          this.running = undefined;
          this.schedule();
        });
    }, this.settings.pollIntervalMs);
  }

  /** One pass (see the class). */
  async runOnce(): Promise<RelayPass> {
    let relayed = 0;
    for (;;) {
      const taken = await this.outbox.takeBatch(OUTBOX_BATCH, (events) => this.fanOut(events));
      relayed += taken;
      this.relayedTotal += taken;
      if (taken < OUTBOX_BATCH || this.stopped) break;
    }
    const claimedAt = Date.now();
    const claimed = this.stopped ? [] : await this.jobs.claimDue(WebhookDeliveryEntity, DELIVERY_BATCH, leaseMs(this.settings.timeoutMs));
    // The latest moment an attempt may start and still end, result recorded, within its claim's lease
    // (reads before it may have waited for a pool connection): past it, the attempt is left to the claim
    // that comes once the lease runs out, so that no two instances ever send the same delivery at once.
    const startBy = claimedAt + leaseMs(this.settings.timeoutMs) - 2 * this.settings.timeoutMs - LEASE_MARGIN_MS;
    await Promise.all(claimed.map((c) => this.attempt(c, startBy)));
    if (Date.now() - this.lastPurge >= PURGE_EVERY_MS) {
      this.lastPurge = Date.now();
      const purged = await this.jobs.purge(WebhookDeliveryEntity, ['delivered', 'dead'], new Date(Date.now() - retentionMs(this.settings)));
      if (purged > 0) this.logger.log(`deleted ${purged} finished webhook deliveries past their retention`);
    }
    return { relayed, attempted: claimed.length };
  }

  /** In the outbox's transaction: the deliveries of each tenant's events. */
  private async fanOut(events: OutboxEventEntity[]): Promise<void> {
    for (const [tenantId, own] of groupBy(events, (e) => e.tenantId)) {
      await this.scope.run(
        tenantId,
        async () => {
          const active = await this.subscriptions.active();
          if (active.length === 0) return;
          const now = new Date();
          const rows: Partial<WebhookDeliveryEntity>[] = [];
          for (const event of own) {
            const wanting = active.filter((s) => s.eventTypes.includes(event.eventType));
            if (wanting.length === 0) continue;
            const body = webhookBody(event.eventType, JSON.parse(event.payload) as DomainEventBase & Record<string, unknown>);
            for (const s of wanting) {
              rows.push({ subscriptionId: s.id, eventId: event.eventId, eventType: event.eventType, body, status: 'pending', attempts: 0, nextAttemptAt: now });
            }
          }
          if (rows.length > 0) await this.deliveries.insertMany(rows);
        },
        { actor: RELAY_ACTOR },
      );
    }
  }

  /** One attempt of a claimed delivery, in its tenant's scope; the result is kept only while the claim holds. */
  private async attempt(claim: ClaimedRow, startBy: number): Promise<void> {
    try {
      await this.scope.run(claim.tenantId, () => this.attemptInScope(claim, startBy), { actor: RELAY_ACTOR });
    } catch (error) {
      // The claim's lease runs out and the delivery is tried again.
      this.logger.error({ err: error, tenantId: claim.tenantId, deliveryId: claim.id }, 'a webhook attempt could not be made or recorded');
    }
  }

  private async attemptInScope(claim: ClaimedRow, startBy: number): Promise<void> {
    const delivery = await this.deliveries.findById(claim.id);
    if (!delivery || delivery.version !== claim.version || delivery.status !== 'pending') return;
    const subscription = await this.subscriptions.findById(delivery.subscriptionId, true);
    const gone =
      !subscription || subscription.deletedAt !== null ? 'the subscription was deleted' : !subscription.isActive ? 'the subscription is inactive' : null;
    if (gone || !subscription) {
      await this.record(claim, { status: 'dead', lastError: gone, nextAttemptAt: null, leaseUntil: null });
      return;
    }
    if (Date.now() > startBy) {
      this.logger.warn({ tenantId: claim.tenantId, deliveryId: claim.id }, 'a webhook attempt started too late in its lease: left to the next claim');
      return;
    }
    const firstAttemptAt = delivery.firstAttemptAt ?? new Date();
    const result = await this.post(delivery, subscription.url, () => this.service.revealSecret(subscription));
    const attempts = delivery.attempts + 1;
    const now = new Date();
    if (result.error === null) {
      await this.record(claim, {
        status: 'delivered',
        attempts,
        firstAttemptAt,
        lastHttpStatus: result.statusCode,
        lastError: null,
        deliveredAt: now,
        nextAttemptAt: null,
        leaseUntil: null,
      });
      return;
    }
    const next = afterFailure({ attempt: attempts, firstAttemptAt, now, baseMs: this.settings.retryBaseMs, retryForMs: this.settings.retryForMs });
    await this.record(claim, {
      status: next.dead ? 'dead' : 'pending',
      attempts,
      firstAttemptAt,
      lastHttpStatus: result.statusCode,
      lastError: result.error.slice(0, LAST_ERROR_MAX),
      nextAttemptAt: next.dead ? null : next.nextAttemptAt,
      leaseUntil: null,
    });
  }

  /**
   * An attempt's result, kept only while the claim holds (its version). In a transaction of its own: on
   * SQLite's one connection a write outside a transaction would join whichever request's transaction is
   * open at that moment, and vanish with its rollback.
   */
  @Transactional()
  private async record(claim: ClaimedRow, fields: Partial<WebhookDeliveryEntity>): Promise<void> {
    await this.deliveries.update(claim.id, fields, claim.version);
    this.outcomes[fields.status === 'delivered' ? 'delivered' : fields.status === 'dead' ? 'dead' : 'retrying'] += 1;
  }

  /** Checks the target again (DNS may have changed), then POSTs to the address checked. */
  private async post(delivery: WebhookDeliveryEntity, url: string, secret: () => string): Promise<AttemptResult> {
    let target: CheckedTarget | undefined;
    try {
      target = await checkTargetWithin(url, this.settings.allowPrivateTargets, this.settings.timeoutMs);
    } catch (error) {
      if (error instanceof TargetRefused) return { statusCode: null, error: `target refused: ${error.message}` };
      throw error;
    }
    const timestamp = Math.floor(Date.now() / 1000);
    const headers = {
      'content-type': 'application/json',
      'webhook-id': delivery.eventId,
      'webhook-timestamp': String(timestamp),
      'webhook-signature': signWebhook(secret(), delivery.eventId, timestamp, delivery.body),
    };
    return postWebhook(target!, headers, delivery.body, this.settings.timeoutMs);
  }
}
