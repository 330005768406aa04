import { Injectable } from '@nestjs/common';
import { ClsService } from 'nestjs-cls';
import { TimeZone } from '../common/analytics/time-zone';
import { Weekday, WEEKDAYS } from './tenant-settings.entity';
import { DEFAULT_CALENDAR_SETTINGS, TenantSettingsRepository } from './tenant-settings.repository';
import { TenantContext, TenancyStore } from './tenant-context';

/** What a tenant's days are: its zone, the first day of its weeks, and the rollup rows (generation) in them. */
export interface Calendar {
  /** The zone every day derived from an instant is taken in (the stored days' zone). */
  readonly zone: TimeZone;
  readonly weekStart: Weekday;
  /** Monday = 0 … Sunday = 6. */
  readonly weekStartIndex: number;
  /** The rollup rows reads use. */
  readonly generation: number;
  /** Today in the zone. */
  today(now?: Date): string;
}

/** Where a write keeps zoned rollups: a zone and the generation of rows in it. */
export interface RollupTarget {
  zone: TimeZone;
  generation: number;
}

/** The calendar a write sees, with the zone change being applied, if any. */
export interface WriteCalendar extends Calendar {
  /** The rows reads use: the generation and its zone. */
  readonly current: RollupTarget;
  /**
   * While a zone change is applied, the new rows a write to lead `leadId` must keep as well: those
   * of the new zone when the recomputation has passed the lead (a lead not reached yet gets its facts
   * there from the recomputation, as they are then); else null.
   */
  nextFor(leadId: number): RollupTarget | null;
}

const CALENDAR_KEY: unique symbol = Symbol.for('salesCustomization.calendar');
/** How long a context keeps the calendar it read: well below the grace of replaced rows (zone-recompute.ts). */
export const CALENDAR_KEPT_MS = 60_000;

function calendarOf(zoneName: string, weekStart: Weekday, generation: number): Calendar {
  const zone = TimeZone.of(zoneName);
  return { zone, weekStart, weekStartIndex: WEEKDAYS.indexOf(weekStart), generation, today: (now = new Date()) => zone.today(now) };
}

/**
 * The current tenant's calendar (docs/time-zones.md). Reads take it once per request (kept in the
 * request's context), so every statement of one answer uses the same zone and the same rollup rows;
 * writes take it with a shared lock on the settings row, in their transaction.
 */
@Injectable()
export class TenantCalendar {
  constructor(
    private readonly settings: TenantSettingsRepository,
    private readonly tenancy: TenantContext,
    private readonly cls: ClsService<TenancyStore & { [CALENDAR_KEY]?: { tenantId: string; calendar: Calendar; at: number } }>,
  ) {}

  /**
   * For reads: the calendar answers use, the same for the whole request. Kept in the request's context
   * for at most CALENDAR_KEPT_MS: a host's TenantScope.run may last longer than a request, and the rows
   * of a generation replaced by a change of zone are deleted RETIRED_ROWS_GRACE_MS after the switch.
   */
  async read(): Promise<Calendar> {
    const { tenantId } = this.tenancy.require();
    const kept = this.cls.isActive() ? this.cls.get(CALENDAR_KEY) : undefined;
    if (kept?.tenantId === tenantId && Date.now() - kept.at < CALENDAR_KEPT_MS) return kept.calendar;
    const calendar = await this.fresh();
    if (this.cls.isActive()) this.cls.set(CALENDAR_KEY, { tenantId, calendar, at: Date.now() });
    return calendar;
  }

  /** The calendar as stored now, not kept (background jobs, which outlive any one read). */
  async fresh(): Promise<Calendar> {
    const row = await this.settings.find();
    return row
      ? calendarOf(row.daysTimeZone, row.weekStart, row.generation)
      : calendarOf(DEFAULT_CALENDAR_SETTINGS.timeZone, DEFAULT_CALENDAR_SETTINGS.weekStart, 0);
  }

  /**
   * For writes that keep zoned rollups (leads, milestones), inside their transaction: holds a shared
   * lock on the settings row until the transaction ends. Take it before writing any rollup row.
   */
  async forWrite(): Promise<WriteCalendar> {
    const row = await this.settings.findShared();
    const calendar = row
      ? calendarOf(row.daysTimeZone, row.weekStart, row.generation)
      : calendarOf(DEFAULT_CALENDAR_SETTINGS.timeZone, DEFAULT_CALENDAR_SETTINGS.weekStart, 0);
    const next: RollupTarget | null = row && row.recomputeGeneration !== null ? { zone: TimeZone.of(row.timeZone), generation: row.recomputeGeneration } : null;
    const through = row?.recomputedThroughLeadId ?? 0;
    return { ...calendar, current: { zone: calendar.zone, generation: calendar.generation }, nextFor: (leadId) => (next && leadId <= through ? next : null) };
  }
}
