import { Injectable } from '@nestjs/common';
import { enumeratePeriods, Interval, periodStart } from '../../common/analytics/periods';
import { notFound, raise } from '../../common/errors/app-error';
import { DateRange } from '../../common/http/date-range.dto';
import { percent, ratio } from '../../common/numbers/rounding';
import { DAILY_MEASURES, DailyMeasures, zeroDaily } from '../milestone-chain';
import { MilestoneDailyStatRepository } from '../milestone-daily-stat.repository';
import { breaches, durationFigures, splitByMonths } from '../milestone-figures';
import { MilestoneTemplateRepository } from '../milestone-template.repository';
import { MilestoneTransitionLeadRepository } from '../milestone-transition-lead.repository';
import { MilestoneTransitionMonthRepository } from '../milestone-transition-month.repository';
import { MilestoneTransitionStatRepository, TransitionCell } from '../milestone-transition-stat.repository';
import { MilestoneTypeEntity } from '../milestone-type.entity';
import { MilestoneTypeRepository } from '../milestone-type.repository';
import { BottleneckDto, BottlenecksResponseDto, CompletionResponseDto, CompletionRowDto, TimeTrendPointDto, TimeTrendsResponseDto } from './milestone-analytics.dto';

const byCode = (a: MilestoneTypeEntity, b: MilestoneTypeEntity) => (a.typeCode < b.typeCode ? -1 : a.typeCode > b.typeCode ? 1 : a.id - b.id);

/**
 * Milestone analytics (API.md §4), answered from the rollups kept by every milestone write, never
 * from the lead_milestones facts: a range reads at most (days × types) daily rows, and histogram
 * cells (pairs × distinct durations) of its whole months plus the days of its partial months. "In the range" always means achieved_date (for a transition:
 * its target's) in [start_date, end_date]. Milestones of a deleted type still count, under its code.
 */
@Injectable()
export class MilestoneAnalyticsService {
  constructor(
    private readonly daily: MilestoneDailyStatRepository,
    private readonly transitions: MilestoneTransitionStatRepository,
    private readonly transitionMonths: MilestoneTransitionMonthRepository,
    private readonly transitionLeads: MilestoneTransitionLeadRepository,
    private readonly types: MilestoneTypeRepository,
    private readonly templates: MilestoneTemplateRepository,
  ) {}

  async completion(range: DateRange): Promise<CompletionResponseDto> {
    const totals = new Map((await this.daily.totalsByType(range.startDate, range.endDate)).map((t) => [t.milestoneTypeId, t]));
    const live = await this.types.findAllLive();
    const liveIds = new Set(live.map((t) => t.id));
    const deleted = await this.types.findAnyByIds([...totals.values()].filter((t) => t.milestones !== 0 && !liveIds.has(t.milestoneTypeId)).map((t) => t.milestoneTypeId));
    const details = [...live, ...deleted].sort(byCode).map((type): CompletionRowDto => {
      const t = totals.get(type.id) ?? zeroDaily();
      return {
        type_code: type.typeCode,
        type_name: type.typeName,
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
    let typeId: number | undefined;
    if (typeCode) typeId = ((await this.types.findByCode(typeCode)) ?? raise(notFound('milestone type', typeCode))).id;
    const rows = await this.daily.totalsByDay(range.startDate, range.endDate, typeId);
    const cells = new Map<string, { date: string; typeId: number; m: DailyMeasures }>();
    for (const r of rows) {
      const date = periodStart(r.day, interval);
      const key = `${date}|${r.milestoneTypeId}`;
      const cell = cells.get(key) ?? { date, typeId: r.milestoneTypeId, m: zeroDaily() };
      for (const k of DAILY_MEASURES) cell.m[k] += r[k];
      cells.set(key, cell);
    }
    const types = new Map((await this.types.findAnyByIds([...new Set([...cells.values()].map((c) => c.typeId))])).map((t) => [t.id, t]));
    const order = new Map(enumeratePeriods(range.startDate, range.endDate, interval).map((p, i) => [p, i]));
    const data: TimeTrendPointDto[] = [...cells.values()]
      .filter((c) => c.m.milestones > 0 && types.has(c.typeId))
      .sort((a, b) => order.get(a.date)! - order.get(b.date)! || byCode(types.get(a.typeId)!, types.get(b.typeId)!))
      .map((c) => ({
        date: c.date,
        type_code: types.get(c.typeId)!.typeCode,
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
    const pairs = new Map<string, { fromTypeId: number; toTypeId: number; cells: TransitionCell[] }>();
    // Whole months from the monthly histogram, the partial months at the ends from the daily one.
    // The three rollup reads are independent: on MySQL they run side by side on the pool.
    const parts = splitByMonths(range.startDate, range.endDate);
    const [dayCells, monthCells, distinct] = await Promise.all([
      this.transitions.histogram(parts.days),
      parts.months ? this.transitionMonths.histogram(...parts.months) : [],
      this.transitionLeads.distinctLeads(range.startDate, range.endDate),
    ]);
    const cells = [...dayCells, ...monthCells];
    for (const cell of cells) {
      const key = `${cell.fromTypeId}>${cell.toTypeId}`;
      const pair = pairs.get(key) ?? { fromTypeId: cell.fromTypeId, toTypeId: cell.toTypeId, cells: [] };
      pair.cells.push(cell);
      pairs.set(key, pair);
    }
    const leads = new Map(distinct.map((l) => [`${l.fromTypeId}>${l.toTypeId}`, l.leads]));
    const ids = [...new Set([...pairs.values()].flatMap((p) => [p.fromTypeId, p.toTypeId]))];
    const types = new Map((await this.types.findAnyByIds(ids)).map((t) => [t.id, t]));

    const rows: BottleneckDto[] = [];
    for (const [key, pair] of pairs) {
      const from = types.get(pair.fromTypeId);
      const to = types.get(pair.toTypeId);
      if (!from || !to) continue;
      if (allowed && !allowed.has(`${from.typeCode}>${to.typeCode}`)) continue;
      const histogram = pair.cells.map((c) => ({ days: c.days, count: c.transitions }));
      const figures = durationFigures(histogram);
      if (figures.count === 0) continue;
      // The filter and the order use average_days as answered (2 decimals), so they agree with what the caller sees.
      if (figures.average! < minAverageDays) continue;
      const breached = breaches(histogram, to.slaDays);
      rows.push({
        from_milestone: from.typeCode,
        to_milestone: to.typeCode,
        from_name: from.typeName,
        to_name: to.typeName,
        transitions: figures.count,
        leads_affected: leads.get(key) ?? 0,
        average_days: figures.average!,
        median_days: figures.median!,
        p90_days: figures.p90!,
        completion_rate: percent(pair.cells.reduce((s, c) => s + c.completed, 0), figures.count)!,
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
