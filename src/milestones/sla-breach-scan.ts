import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy, Optional } from '@nestjs/common';
import { TenantRegistry } from '../tenancy/tenant-registry';
import { TenantScope } from '../tenancy/tenant-scope';
import { LeadMilestoneRepository } from './lead-milestone.repository';
import { SlaBreachAnnouncer } from './sla-breach-announcer';
import { breachKey, SLA_PASS_FINISHED, SlaBreachRepository, SlaScanProgressRepository } from './sla-breach.repository';
import { TenantCalendar } from '../tenancy/tenant-calendar';
import { chainOrder, CLOSED_LEAD_STATUSES, overdueStage, planHasSla, slaToday } from './sla-breaches';

/** Milliseconds between two scans in this process (0: no scan here). Provided by CustomizationModule. */
export const SLA_SCAN_INTERVAL_MS = Symbol('SLA_SCAN_INTERVAL_MS');
export const DEFAULT_SLA_SCAN_INTERVAL_MS = 300_000;

/** Who acts for the scan (domain events' `actor`, TenantScope). */
export const SLA_SCAN_ACTOR = 'sla-scan';

export interface SlaScanLimits {
  /** Leads read per statement (one range of lead ids, then their milestones in one IN list). Default 500. */
  batchSize?: number;
  /** Leads one pass looks at, over all tenants; the next pass goes on from there. Default 50 000. */
  leadsPerPass?: number;
}

export interface SlaScanResult {
  /** The UTC day of the pass (each tenant counts in its own today: the day of the same instant in its zone). */
  today: string;
  /** Tenants the pass visited (their pass of the day finished or not). */
  tenants: number;
  /** Leads looked at. */
  leads: number;
  /** Breaches this pass announced. */
  breaches: number;
  /** Whether every tenant's pass of the day is finished (false: the cap was reached first). */
  finished: boolean;
}

/**
 * The periodic scan for SLA breaches by time (docs/milestones.md "SLA breaches"): finds open leads that
 * sit in their current stage past the next expected type's sla_days and announces each breach once
 * (SlaBreachAnnouncer). Every process runs it every SLA_SCAN_INTERVAL_MS; any number may run at once.
 *
 * Cost: a breach becomes due only when the day changes, so each tenant is walked once per day of its zone:
 * its live open leads by primary-key range (`batchSize` a statement), their milestones by the
 * (tenant_id, lead_id, achieved_date) index and the claims of those that look overdue by the claims'
 * primary key, the check in memory; only a lead overdue and not yet announced takes a transaction
 * (lock, re-read, claim). How far the day's walk has come is stored per tenant
 * (sla_scan_progress), so instances share it instead of repeating it, and a pass stops after
 * `leadsPerPass` leads and the next goes on from there. A pass that finds every tenant's walk of the
 * day finished reads one row per tenant.
 */
@Injectable()
export class SlaBreachScan implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(SlaBreachScan.name);
  private readonly intervalMs: number;
  private timer?: NodeJS.Timeout;
  private running?: Promise<unknown>;
  private stopped = false;

  constructor(
    private readonly registry: TenantRegistry,
    private readonly scope: TenantScope,
    private readonly milestones: LeadMilestoneRepository,
    private readonly progress: SlaScanProgressRepository,
    private readonly claims: SlaBreachRepository,
    private readonly announcer: SlaBreachAnnouncer,
    private readonly calendar: TenantCalendar,
    @Optional() @Inject(SLA_SCAN_INTERVAL_MS) intervalMs?: number,
  ) {
    this.intervalMs = intervalMs ?? DEFAULT_SLA_SCAN_INTERVAL_MS;
  }

  onApplicationBootstrap(): void {
    if (this.intervalMs > 0) this.schedule();
  }

  /** Stops the timer and waits for a pass under way, while the database is still open. */
  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.running;
  }

  /** One pass over every tenant, counting days as of `now` (default: the current time). */
  async scanOnce(now: Date = new Date(), limits: SlaScanLimits = {}): Promise<SlaScanResult> {
    const today = slaToday(now);
    const batchSize = limits.batchSize ?? 500;
    let budget = limits.leadsPerPass ?? 50_000;
    const result: SlaScanResult = { today, tenants: 0, leads: 0, breaches: 0, finished: true };
    let after: string | null = null;
    for (;;) {
      const tenants = await this.registry.tenantIds(after, 100);
      if (tenants.length === 0) break;
      for (const tenantId of tenants) {
        if (budget <= 0 || this.stopped) return { ...result, finished: false };
        let done: { leads: number; breaches: number; finished: boolean };
        try {
          done = await this.scope.run(tenantId, () => this.scanTenant(now, batchSize, budget), { actor: SLA_SCAN_ACTOR });
        } catch (error) {
          // One tenant's failure (a statement timeout on a large tenant, say) must not stop the others:
          // logged, and its walk goes on from its stored progress in the next pass.
          this.logger.error({ err: error, tenantId }, 'SLA scan of a tenant failed');
          result.finished = false;
          continue;
        }
        result.tenants += 1;
        result.leads += done.leads;
        result.breaches += done.breaches;
        budget -= done.leads;
        if (!done.finished) result.finished = false;
      }
      after = tenants[tenants.length - 1];
    }
    return result;
  }

  /** The current tenant's walk of its today (the day of `now` in its zone), from where it stands, for at most `budget` leads. */
  private async scanTenant(now: Date, batchSize: number, budget: number): Promise<{ leads: number; breaches: number; finished: boolean }> {
    const today = slaToday(now, (await this.calendar.fresh()).zone);
    const stored = await this.progress.find();
    let after = stored?.day === today ? stored.afterLeadId : 0;
    if (after >= SLA_PASS_FINISHED) return { leads: 0, breaches: 0, finished: true };
    const plan = await this.announcer.plan();
    let leads = 0;
    let breaches = 0;
    if (planHasSla(plan)) {
      while (leads < budget && !this.stopped) {
        const asked = Math.min(batchSize, budget - leads);
        const ids = await this.milestones.findLiveLeadIdsAfter(after, asked, CLOSED_LEAD_STATUSES);
        if (ids.length === 0) break;
        const chains = await this.milestones.findChainFactsOfLeads(ids);
        // The cheap check on what was read: overdue, and not announced yet (a lead that stays stalled
        // is skipped here every day after). The announcer checks again under the lead's lock.
        const overdue = ids.flatMap((id) => {
          const stage = overdueStage(chainOrder(chains.get(id) ?? []), plan, today);
          return stage ? [{ id, key: breachKey(id, stage.typeId, stage.enteredOn) }] : [];
        });
        const claimed = overdue.length > 0 ? await this.claims.claimedKeys(overdue.map((o) => o.id)) : new Set<string>();
        for (const { id, key } of overdue) {
          if (claimed.has(key)) continue;
          if (await this.announcer.announceIfOverdue(id, plan, today)) breaches += 1;
        }
        leads += ids.length;
        after = ids[ids.length - 1];
        if (ids.length < asked) break; // the last batch: finished below
        await this.progress.advance(today, after);
      }
      if (leads >= budget || this.stopped) return { leads, breaches, finished: false };
    }
    await this.progress.advance(today, SLA_PASS_FINISHED);
    return { leads, breaches, finished: true };
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.scanOnce()
        .then((r) => {
          if (r.breaches > 0 || !r.finished) this.logger.log(r, 'SLA scan pass');
        })
        .catch((e: unknown) => this.logger.error({ err: e }, 'SLA scan pass failed'))
        .finally(() => {
          this.running = undefined;
          this.schedule();
        });
    }, this.intervalMs);
    // The timer alone never keeps the process alive; shutdown clears it (onModuleDestroy).
    this.timer.unref();
  }
}
