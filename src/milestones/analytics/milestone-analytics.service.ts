import { compareCodePoints } from '../../common/text/text-key';
import { Injectable } from '@nestjs/common';
import { enumeratePeriods, Interval, periodStart } from '../../common/analytics/periods';
import { notFound, raise } from '../../common/errors/app-error';
import { DateRange } from '../../common/http/date-range.dto';
import { TenantCalendar } from '../../tenancy/tenant-calendar';
import { percent, ratio } from '../../common/numbers/rounding';
import { DAILY_MEASURES, DailyMeasures, zeroDaily } from '../milestone-chain';
import { MilestoneDailyStatRepository } from '../milestone-daily-stat.repository';
import { breaches, durationFigures, splitByMonths } from '../milestone-figures';
import { MilestoneTemplateRepository } from '../milestone-template.repository';
import { MilestoneTransitionLeadRepository } from '../milestone-transition-lead.repository';
import { MilestoneTransitionStatRepository, TransitionCell } from '../milestone-transition-stat.repository';
import { MilestoneTypeEntity } from '../milestone-type.entity';
import { MilestoneTypeRepository } from '../milestone-type.repository';
import {
  BottleneckDto,
  BottlenecksResponseDto,
  CompletionResponseDto,
  CompletionRowDto,
  TimeTrendPointDto,
  TimeTrendsResponseDto,
} from './milestone-analytics.dto';

/** Ties by code, as bytes (docs/conventions.md, "Text, codes and order"). */
const compareCodes = compareCodePoints;

/**
 * The row a code is reported with (name, SLA): its live type, else the one deleted last (by
 * deleted_at, then the higher id). A code re-used after a delete has several type rows.
 */
function representative(rows: MilestoneTypeEntity[]): MilestoneTypeEntity {
  const live = rows.find((t) => t.deletedAt === null);
  if (live) return live;
  return [...rows].sort((a, b) => b.deletedAt!.getTime() - a.deletedAt!.getTime() || b.id - a.id)[0];
}

/** Type rows by id, and each code's representative row. */
interface TypeIndex {
  codeOf: Map<number, string>;
  byCode: Map<string, MilestoneTypeEntity>;
}

/**
 * Milestone analytics (API.md §4), answered from the rollups kept by every milestone write, never
 * from the lead_milestones facts: a range reads at most (days × types) daily rows, and histogram
 * cells (pairs × distinct durations) of its whole months plus the days of its partial months. "In the range" always means achieved_date (for a transition:
 * its target's) in [start_date, end_date]. Milestones of a deleted type still count, under its code:
 * the rollups are keyed by type id, and every answer merges the ids of one code (a code re-used
 * after a delete) before counting, so a code is one row, with exact medians and p90 over the merged
 * histogram.
 */
@Injectable()
export class MilestoneAnalyticsService {
  constructor(
    private readonly daily: MilestoneDailyStatRepository,
    private readonly transitions: MilestoneTransitionStatRepository,
    private readonly transitionLeads: MilestoneTransitionLeadRepository,
    private readonly types: MilestoneTypeRepository,
    private readonly templates: MilestoneTemplateRepository,
    private readonly calendar: TenantCalendar,
  ) {}

  /** The codes of `ids` and the representative row of each of those codes (and of `extraCodes`). */
  private async indexTypes(ids: number[], extraCodes: string[] = []): Promise<TypeIndex> {
    const rows = await this.types.findAnyByIds([...new Set(ids)]);
    const codes = [...new Set([...rows.map((t) => t.typeCode), ...extraCodes])];
    const all = await this.types.findAnyByCodes(codes);
    const groups = new Map<string, MilestoneTypeEntity[]>();
    for (const t of all) groups.set(t.typeCode, [...(groups.get(t.typeCode) ?? []), t]);
    return {
      codeOf: new Map(all.map((t) => [t.id, t.typeCode])),
      byCode: new Map([...groups].map(([code, group]) => [code, representative(group)])),
    };
  }

  async completion(range: DateRange): Promise<CompletionResponseDto> {
    const calendar = await this.calendar.read();
    const rows = await this.daily.totalsByType(calendar.generation, range.startDate, range.endDate);
    const live = await this.types.findAllLive();
    const index = await this.indexTypes(
      rows.filter((r) => r.milestones !== 0).map((r) => r.milestoneTypeId),
      live.map((t) => t.typeCode),
    );
    const totals = new Map<string, DailyMeasures>();
    for (const r of rows) {
      const code = index.codeOf.get(r.milestoneTypeId);
      if (code === undefined) continue;
      const t = totals.get(code) ?? zeroDaily();
      for (const k of DAILY_MEASURES) t[k] += r[k];
      totals.set(code, t);
    }
    // Every live code, and the codes of deleted types only when they have milestones in the range.
    const liveCodes = new Set(live.map((t) => t.typeCode));
    const codes = [...index.byCode.keys()].filter((code) => liveCodes.has(code) || (totals.get(code)?.milestones ?? 0) !== 0).sort(compareCodes);
    const details = codes.map((code): CompletionRowDto => {
      const t = totals.get(code) ?? zeroDaily();
      return {
        type_code: code,
        type_name: index.byCode.get(code)!.typeName,
        total: t.milestones,
        completed: t.completed,
        in_progress: t.inProgress,
        skipped: t.skipped,
        failed: t.failed,
        completion_rate: percent(t.completed, t.milestones),
      };
    });
    // Stable sort over the code order above: completion_rate desc, nulls last.
    details.sort((a, b) => (b.completion_rate ?? -1) - (a.completion_rate ?? -1));
    return { start_date: range.startDate, end_date: range.endDate, details, timestamp: new Date().toISOString() };
  }

  async timeTrends(range: DateRange, interval: Interval, typeCode?: string): Promise<TimeTrendsResponseDto> {
    let typeIds: number[] | undefined;
    if (typeCode) {
      // Every row that ever had the code: its deleted types' milestones count under it too.
      typeIds = (await this.types.findAnyByCodes([typeCode])).map((t) => t.id);
      if (typeIds.length === 0) throw notFound('milestone type', typeCode);
    }
    const calendar = await this.calendar.read();
    const rows = await this.daily.totalsByDay(calendar.generation, range.startDate, range.endDate, typeIds);
    const index = await this.indexTypes(rows.map((r) => r.milestoneTypeId));
    const cells = new Map<string, { date: string; code: string; m: DailyMeasures }>();
    for (const r of rows) {
      const code = index.codeOf.get(r.milestoneTypeId);
      if (code === undefined) continue;
      const date = periodStart(r.day, interval, calendar.weekStartIndex);
      const key = `${date}|${code}`;
      const cell = cells.get(key) ?? { date, code, m: zeroDaily() };
      for (const k of DAILY_MEASURES) cell.m[k] += r[k];
      cells.set(key, cell);
    }
    const order = new Map(enumeratePeriods(range.startDate, range.endDate, interval, calendar.weekStartIndex).map((p, i) => [p, i]));
    const data: TimeTrendPointDto[] = [...cells.values()]
      .filter((c) => c.m.milestones > 0)
      .sort((a, b) => order.get(a.date)! - order.get(b.date)! || compareCodes(a.code, b.code))
      .map((c) => ({
        date: c.date,
        type_code: c.code,
        milestone_count: c.m.milestones,
        average_time_to_hit: ratio(c.m.daysToHit, c.m.milestones),
        completion_rate: percent(c.m.completed, c.m.milestones),
        follow_up_required: c.m.followUps,
      }));
    return { start_date: range.startDate, end_date: range.endDate, interval, data };
  }

  async bottlenecks(range: DateRange, minAverageDays: number, templateId?: number): Promise<BottlenecksResponseDto> {
    let allowed: Set<string> | undefined;
    if (templateId !== undefined) {
      const template = (await this.templates.findById(templateId)) ?? raise(notFound('milestone template', templateId));
      allowed = new Set(template.sequence.slice(1).map((code, i) => `${template.sequence[i]}>${code}`));
    }
    // Whole months from the monthly histogram, the partial months at the ends from the daily one.
    // The three rollup reads are independent: on MySQL they run side by side on the pool.
    const parts = splitByMonths(range.startDate, range.endDate);
    const [dayCells, monthCells, distinct] = await Promise.all([
      this.transitions.histogram(parts.days),
      parts.months ? this.transitions.monthHistogram(...parts.months) : [],
      this.transitionLeads.distinctLeads(range.startDate, range.endDate),
    ]);
    const cells = [...dayCells, ...monthCells];
    const index = await this.indexTypes([...new Set(cells.flatMap((c) => [c.fromTypeId, c.toTypeId]))]);
    const pairs = new Map<string, { from: string; to: string; cells: TransitionCell[] }>();
    for (const cell of cells) {
      const from = index.codeOf.get(cell.fromTypeId);
      const to = index.codeOf.get(cell.toTypeId);
      if (from === undefined || to === undefined) continue;
      const key = `${from}>${to}`;
      const pair = pairs.get(key) ?? { from, to, cells: [] };
      pair.cells.push(cell);
      pairs.set(key, pair);
    }
    // A lead's transitions are linked by code (milestone-chain.ts), so the distinct-lead cells of the
    // type-id pairs of one code pair add up to the distinct leads of the code pair.
    const leads = new Map<string, number>();
    for (const l of distinct) {
      const from = index.codeOf.get(l.fromTypeId);
      const to = index.codeOf.get(l.toTypeId);
      if (from === undefined || to === undefined) continue;
      leads.set(`${from}>${to}`, (leads.get(`${from}>${to}`) ?? 0) + l.leads);
    }

    const rows: BottleneckDto[] = [];
    for (const [key, pair] of pairs) {
      if (allowed && !allowed.has(key)) continue;
      const from = index.byCode.get(pair.from)!;
      const to = index.byCode.get(pair.to)!;
      const histogram = pair.cells.map((c) => ({ days: c.days, count: c.transitions }));
      const figures = durationFigures(histogram);
      if (figures.count === 0) continue;
      // The filter and the order use average_days as answered (2 decimals), so they agree with what the caller sees.
      if (figures.average! < minAverageDays) continue;
      // Every transition of the code pair against the one sla_days of B's code (its representative row).
      const breached = breaches(histogram, to.slaDays);
      rows.push({
        from_milestone: pair.from,
        to_milestone: pair.to,
        from_name: from.typeName,
        to_name: to.typeName,
        transitions: figures.count,
        leads_affected: leads.get(key) ?? 0,
        average_days: figures.average!,
        median_days: figures.median!,
        p90_days: figures.p90!,
        completion_rate: percent(
          pair.cells.reduce((s, c) => s + c.completed, 0),
          figures.count,
        )!,
        sla_breach_percent: breached === null ? null : percent(breached, figures.count),
      });
    }
    rows.sort(
      (a, b) =>
        b.average_days - a.average_days ||
        (a.from_milestone < b.from_milestone ? -1 : a.from_milestone > b.from_milestone ? 1 : 0) ||
        (a.to_milestone < b.to_milestone ? -1 : a.to_milestone > b.to_milestone ? 1 : 0),
    );
    return { start_date: range.startDate, end_date: range.endDate, data: rows };
  }
}
