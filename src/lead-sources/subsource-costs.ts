import { Injectable } from '@nestjs/common';
import { groupBy } from '../common/group-by';
import { AuditLogService } from '../tenancy/audit-log.service';
import { TenantCalendar } from '../tenancy/tenant-calendar';
import { SubsourceCostResponseDto } from './dto/subsource-cost.dto';
import { LeadSubsourceCostEntity } from './lead-subsource-cost.entity';
import { compareValidFrom, LeadSubsourceCostRepository } from './lead-subsource-cost.repository';
import { LeadSubsourceEntity } from './lead-subsource.entity';

/** The audit log's entity_type of a cost history entry (key `SOURCE/SUBSOURCE/<valid_from or beginning>`). */
export const SUBSOURCE_COST = 'subsource_cost';

/** What a history entry holds (a stored entry, or the one a subsource without history implies). */
export type CostEntry = Pick<LeadSubsourceCostEntity, 'validFrom' | 'costPerLead' | 'createdAt' | 'createdBy' | 'updatedAt' | 'updatedBy'>;

/**
 * The cost in force on `day` among one subsource's entries: that of the entry with the latest
 * valid_from not after the day (an entry from the beginning, valid_from null, precedes every day).
 * Undefined when none is (a subsource without history).
 */
export function costInForce(entries: Pick<CostEntry, 'validFrom' | 'costPerLead'>[], day: string): number | undefined {
  let found: Pick<CostEntry, 'validFrom' | 'costPerLead'> | undefined;
  for (const e of entries) {
    if (e.validFrom !== null && e.validFrom > day) continue;
    if (!found || compareValidFrom(e.validFrom, found.validFrom) > 0) found = e;
  }
  return found?.costPerLead;
}

export const toSubsourceCostResponse = (e: CostEntry): SubsourceCostResponseDto => ({
  valid_from: e.validFrom,
  cost_per_lead: e.costPerLead,
  created_at: e.createdAt.toISOString(),
  created_by: e.createdBy,
  updated_at: e.updatedAt.toISOString(),
  updated_by: e.updatedBy,
});

/**
 * Subsource cost history (API.md §3 "Subsource costs"). A subsource's cost_per_lead column is the cost
 * in force today; its entries say which cost was in force on each day since the beginning. A subsource
 * whose cost was never written through the API (a default one seeded at registration) may have no
 * entry: its cost has then been its cost_per_lead from the beginning, and the first write of its
 * history stores that entry before its own.
 */
@Injectable()
export class SubsourceCosts {
  constructor(
    private readonly entries: LeadSubsourceCostRepository,
    private readonly calendar: TenantCalendar,
    private readonly audit: AuditLogService,
  ) {}

  /**
   * For a batch of new leads: the histories of their subsources in one read, and a function answering
   * the cost in force on the day (of the tenant's zone) of an instant, 0 for a lead without subsource.
   */
  async costsOn(subsources: (LeadSubsourceEntity | null | undefined)[]): Promise<(sub: LeadSubsourceEntity | null | undefined, at: Date) => number> {
    const ids = [...new Set(subsources.filter((s): s is LeadSubsourceEntity => Boolean(s)).map((s) => s.id))];
    if (ids.length === 0) return () => 0;
    const { zone } = await this.calendar.read();
    const bySub = groupBy(await this.entries.ofSubsources(ids), (e) => e.subSourceId);
    return (sub, at) => (sub ? (costInForce(bySub.get(sub.id) ?? [], zone.dayOf(at)) ?? sub.costPerLead) : 0);
  }

  /** The tenant's today (the last day an entry may start on). */
  async today(): Promise<string> {
    return (await this.calendar.read()).today();
  }

  /** A subsource's history by valid_from (from the beginning first). */
  async history(sub: LeadSubsourceEntity): Promise<CostEntry[]> {
    const stored = await this.entries.ofSubsources([sub.id]);
    return stored.length > 0 ? stored : [this.implied(sub)];
  }

  /** The first entry of a new subsource: its cost from the beginning (part of its creation, audited with it). */
  async begin(sub: LeadSubsourceEntity): Promise<void> {
    await this.entries.insert({ subSourceId: sub.id, validFrom: null, costPerLead: sub.costPerLead });
  }

  /**
   * Writes the cost of `validFrom` (null: the beginning), replacing that day's entry if there is one.
   * With `auditKey` (the subsource's audit key) the write is audited as `subsource_cost`; without, it is
   * part of a write of the subsource audited by its caller (a PATCH of cost_per_lead). The subsource is
   * locked by the caller; `sub.costPerLead` is its cost before this write. Answers the entry, whether it
   * is new, and the cost of the latest entry after the write (the subsource's cost today, since no entry
   * starts after today).
   */
  async put(
    sub: LeadSubsourceEntity,
    validFrom: string | null,
    costPerLead: number,
    auditKey: string | null,
  ): Promise<{ entry: CostEntry; created: boolean; latest: number }> {
    let entries = await this.entries.ofSubsources([sub.id]);
    if (entries.length === 0 && validFrom !== null) {
      await this.begin(sub);
      entries = await this.entries.ofSubsources([sub.id]);
    }
    const key = `${auditKey}/${validFrom ?? 'beginning'}`;
    const existing = entries.find((e) => e.validFrom === validFrom);
    let entry: LeadSubsourceCostEntity;
    if (existing) {
      entry = existing;
      if (existing.costPerLead !== costPerLead) {
        await this.entries.setCost(existing.id, costPerLead);
        entry = (await this.entries.findById(existing.id))!;
        if (auditKey !== null) await this.audit.record('update', SUBSOURCE_COST, key, toSubsourceCostResponse(existing), toSubsourceCostResponse(entry));
      }
    } else {
      entry = await this.entries.insert({ subSourceId: sub.id, validFrom, costPerLead });
      if (auditKey !== null) await this.audit.record('create', SUBSOURCE_COST, key, null, toSubsourceCostResponse(entry));
    }
    const after = [...entries.filter((e) => e.id !== entry.id), entry].sort((a, b) => compareValidFrom(a.validFrom, b.validFrom));
    return { entry, created: !existing, latest: after[after.length - 1].costPerLead };
  }

  /** The history a subsource without entries has: its cost_per_lead from the beginning, since its creation. */
  private implied(sub: LeadSubsourceEntity): CostEntry {
    return {
      validFrom: null,
      costPerLead: sub.costPerLead,
      createdAt: sub.createdAt,
      createdBy: sub.createdBy,
      updatedAt: sub.createdAt,
      updatedBy: sub.createdBy,
    };
  }
}
