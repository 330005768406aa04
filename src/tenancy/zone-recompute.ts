import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { TimeZone } from '../common/analytics/time-zone';
import { InjectTxHost } from '../database/transactional';
import { AuditLogService } from './audit-log.service';
import { CrossTenantJobs } from './cross-tenant-jobs';
import { RollupTarget } from './tenant-calendar';
import { TenantScope } from './tenant-scope';
import { TenantSettingsEntity } from './tenant-settings.entity';
import { TenantSettingsRepository } from './tenant-settings.repository';
import { SETTINGS_AUDIT_KEY, SETTINGS_AUDIT_TYPE, toSettingsResponse } from './tenant-settings.dto';

/** A feature's zoned rollups (their days come from leads' creation instants), as a zone change sees them. */
export interface ZonedRollup {
  name: string;
  /** Adds the facts of the live leads with ids in (afterId, throughId] to `target`'s rows. */
  recompute(afterId: number, throughId: number, target: RollupTarget): Promise<void>;
  /** Deletes up to `limit` rows of generations other than `keep`; answers how many went. */
  dropOtherGenerations(keep: number[], limit: number): Promise<number>;
  /** In the switching transaction: what else the feature derives in the zone (a subsource's last activity day). */
  onSwitch?(zone: TimeZone): Promise<void>;
}

/** Where the batches of a recomputation end: the id ranges of the tenant's leads (lead-sources provides it). */
export interface LeadIdBatches {
  /** The highest of the next `limit` lead ids after `afterId` (deleted leads included), or null when none is left. */
  batchEndAfter(afterId: number, limit: number): Promise<number | null>;
}

/** Leads a batch recomputes (their milestones with them): a few hundred milliseconds of work on either engine. */
export const RECOMPUTE_BATCH_LEADS = 1000;
/** Rows of replaced generations one statement deletes. */
export const DROP_BATCH_ROWS = 5000;
/**
 * How long replaced rows stay after a switch: a read takes its generation once at its start, then
 * reads rows of it; every read ends well within this (analytics reads have a statement timeout).
 */
export const RETIRED_ROWS_GRACE_MS = 5 * 60_000;
/** How often each instance looks for tenants with zone work (a change made on another instance, or left by a stopped one). */
export const ZONE_WORK_POLL_MS = 10_000;
export const ZONE_RECOMPUTE_ACTOR = 'time-zone-recompute';

/** A recomputation to go on with, or replaced rows whose grace has passed. */
const hasWorkDue = (s: TenantSettingsEntity, now: Date): boolean =>
  s.recomputeGeneration !== null || (s.retiredAt !== null && now.getTime() - s.retiredAt.getTime() >= RETIRED_ROWS_GRACE_MS);

/**
 * Applies a tenant's change of time zone (docs/time-zones.md). The rollups whose days come from an
 * instant are recomputed from the facts into a new generation of rows, in batches of
 * RECOMPUTE_BATCH_LEADS leads, each its own transaction; reads go on using the old generation. The
 * batch that finds no lead left switches the tenant's days: `days_time_zone` and `generation` change in
 * one UPDATE of the settings row, so a read sees the old days or the new ones, never a mix.
 *
 * Concurrency: each batch first takes the settings row's write lock, then reads the leads; every lead
 * or milestone write takes a shared lock on the same row before touching a rollup (TenantCalendar
 * .forWrite). So a write runs wholly before a batch (which then reads what it committed) or wholly
 * after (and then keeps the new rows of the leads the batch passed itself). Several instances may run
 * batches of one tenant: the lock makes them take turns, and each reads where the last one stopped.
 */
@Injectable()
export class ZoneRecompute implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(ZoneRecompute.name);
  private readonly rollups: ZonedRollup[] = [];
  private batches?: LeadIdBatches;
  private readonly active = new Map<string, Promise<void>>();
  /** Tenants whose work was asked for again while it ran (it may have read their settings before the change). */
  private readonly again = new Set<string>();
  private timer?: NodeJS.Timeout;
  private polling?: Promise<unknown>;
  private stopped = false;

  constructor(
    @InjectTxHost() private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>,
    private readonly settings: TenantSettingsRepository,
    private readonly scope: TenantScope,
    private readonly jobs: CrossTenantJobs,
    private readonly audit: AuditLogService,
  ) {}

  /** Feature modules register their zoned rollups in onModuleInit (tenancy never imports them). */
  register(rollup: ZonedRollup): void {
    if (this.rollups.some((r) => r.name === rollup.name)) throw new Error(`zoned rollup ${rollup.name} registered twice`);
    this.rollups.push(rollup);
  }

  /** lead-sources names the lead id ranges batches follow. */
  useBatches(batches: LeadIdBatches): void {
    this.batches = batches;
  }

  onApplicationBootstrap(): void {
    this.schedule();
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await Promise.allSettled([this.polling, ...this.active.values()]);
  }

  /** Starts the tenant's zone work now, in the background (after a settings change commits). */
  kick(tenantId: string): void {
    if (this.active.has(tenantId)) this.again.add(tenantId);
    else void this.runTenant(tenantId);
  }

  /**
   * Does the zone work of every tenant that has some (as of `now`), to the end: recomputations and
   * deletions of replaced rows whose grace has passed. Answers the tenants visited.
   */
  async runOnce(now: () => Date = () => new Date()): Promise<number> {
    const tenants = await this.jobs.tenantsWithZoneWork(new Date(now().getTime() - RETIRED_ROWS_GRACE_MS), 1000);
    for (const tenantId of tenants) {
      if (this.stopped) break;
      await this.runTenant(tenantId, now);
    }
    return tenants.length;
  }

  /**
   * The tenant's zone work to the end, once per process at a time: a call while the work runs waits for
   * it, then does its own pass (as of its own `now`: the work under way may have read the settings before).
   */
  runTenant(tenantId: string, now: () => Date = () => new Date()): Promise<void> {
    const running = this.active.get(tenantId);
    if (running) return running.then(() => this.runTenant(tenantId, now));
    const job = this.scope
      .run(tenantId, () => this.work(now), { actor: ZONE_RECOMPUTE_ACTOR })
      .catch((e: unknown) => this.logger.error({ err: e, tenantId }, 'time zone work of a tenant failed; the next poll goes on from where it stopped'))
      .finally(() => {
        this.active.delete(tenantId);
        // A change committed while the work was ending: its work starts now, not at the next poll.
        if (this.again.delete(tenantId) && !this.stopped) void this.runTenant(tenantId);
      });
    this.active.set(tenantId, job);
    return job;
  }

  private async work(now: () => Date): Promise<void> {
    // A plain read first, in a transaction of its own: the row's write lock is taken only when there is work.
    const s = await this.txHost.withTransaction(() => this.settings.find());
    if (!s || !hasWorkDue(s, now())) return;
    while (!this.stopped && (await this.step(now()))) {
      // Each step is a transaction of its own, and the requests that came in meanwhile go first (their
      // I/O is handled before `setImmediate` callbacks): on SQLite's one connection, a step begun at once
      // would take it again before them.
      await new Promise((resolve) => setImmediate(resolve));
    }
  }

  /** One bounded step in one transaction; false when nothing is left to do now. */
  private step(now: Date): Promise<boolean> {
    return this.txHost.withTransaction(async () => {
      // The row's write lock before anything else (on MySQL, the reads after it then see every write
      // that held the row's shared lock): writes that keep rollups hold that (TenantCalendar.forWrite).
      const s = await this.settings.findForUpdate();
      if (!s || !hasWorkDue(s, now)) return false;
      return s.recomputeGeneration !== null ? this.recomputeBatch(s, now) : this.dropBatch(s);
    });
  }

  private async recomputeBatch(s: TenantSettingsEntity, now: Date): Promise<boolean> {
    if (!this.batches) throw new Error('no lead id batches registered (LeadSourcesModule registers them)');
    const target: RollupTarget = { zone: TimeZone.of(s.timeZone), generation: s.recomputeGeneration! };
    const end = await this.batches.batchEndAfter(s.recomputedThroughLeadId, RECOMPUTE_BATCH_LEADS);
    if (end !== null) {
      for (const rollup of this.rollups) await rollup.recompute(s.recomputedThroughLeadId, end, target);
      await this.settings.update({ recomputedThroughLeadId: end }, s.version, false);
      return true;
    }
    // Every lead is in the new rows: switch. Nothing is left of the old days but rows to delete later.
    for (const rollup of this.rollups) await rollup.onSwitch?.(target.zone);
    const switched = {
      daysTimeZone: s.timeZone,
      generation: target.generation,
      recomputeGeneration: null,
      recomputedThroughLeadId: 0,
      recomputeStartedAt: null,
    };
    await this.settings.update({ ...switched, retiredAt: now }, s.version, false);
    await this.audit.record('update', SETTINGS_AUDIT_TYPE, SETTINGS_AUDIT_KEY, toSettingsResponse(s), toSettingsResponse({ ...s, ...switched }));
    this.logger.log({ timeZone: s.timeZone, generation: target.generation }, 'tenant days switched to a new time zone');
    return true;
  }

  private async dropBatch(s: TenantSettingsEntity): Promise<boolean> {
    const keep = [s.generation];
    let deleted = 0;
    for (const rollup of this.rollups) {
      deleted += await rollup.dropOtherGenerations(keep, DROP_BATCH_ROWS - deleted);
      if (deleted >= DROP_BATCH_ROWS) return true;
    }
    await this.settings.update({ retiredAt: null }, s.version, false);
    return false;
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.polling = this.runOnce()
        .catch((e: unknown) => this.logger.error({ err: e }, 'time zone work poll failed'))
        .finally(() => {
          this.polling = undefined;
          this.schedule();
        });
    }, ZONE_WORK_POLL_MS);
    // The timer alone never keeps the process alive; shutdown clears it (onModuleDestroy).
    this.timer.unref();
  }
}
