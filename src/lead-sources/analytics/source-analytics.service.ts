import { compareCodePoints } from '../../common/text/text-key';
import { Injectable } from '@nestjs/common';
import { groupBy } from '../../common/group-by';
import { enumeratePeriods, Interval } from '../../common/analytics/periods';
import { notFound, raise } from '../../common/errors/app-error';
import { AttributedRangeQueryDto, DateRange, resolveDateRange } from '../../common/http/date-range.dto';
import { validateCode, validateInput } from '../../common/validation/validate-input';
import { moneyJson } from '../../common/numbers/money';
import { TenantCalendar } from '../../tenancy/tenant-calendar';
import { LeadAttributionStatRepository, LeadDailyStatRepository, SourceDayTotals, SourcePeriodTotals } from '../lead-daily-stat.repository';
import { AttributionModel, DEFAULT_ATTRIBUTION_MODEL, MODEL_NUMBER } from '../../common/analytics/attribution';
import { addMeasures, Measures, TrendMeasures, zeroMeasures } from '../lead-contribution';
import { LeadSourceEntity } from '../lead-source.entity';
import { LeadSourceRepository } from '../lead-source.repository';
import { LeadSubsourceEntity } from '../lead-subsource.entity';
import { LeadSubsourceRepository } from '../lead-subsource.repository';
import { attributedFigures, sourceFigures } from '../source-metrics';
import {
  AllSourcesPerformanceResponseDto,
  SourcePerformanceDto,
  SourcePerformanceResponseDto,
  SourceTrendPointDto,
  SourceTrendsQueryDto,
  SourceTrendsResponseDto,
  SubsourcePerformanceDto,
  SubsourcePerformanceResponseDto,
} from './source-analytics.dto';

const add = (into: Measures, row: Measures) => addMeasures(into, row);
/** A trend cell without leads (read only). */
const NO_TREND: Readonly<TrendMeasures> = Object.freeze({ leads: 0, converted: 0, revenue: 0n });
/** A touch model: its credits come from lead_attribution_daily_stats (counts in credit units). */
const credited = (model: AttributionModel | undefined) => model !== undefined && model !== DEFAULT_ATTRIBUTION_MODEL;

/**
 * Lead-source analytics (API.md §3), answered from the daily rollup (lead_daily_stats) rather than
 * the lead facts: a range costs one grouped read of at most sources × subsources × days rows.
 * Facts of a deleted source or subsource still count, reported under its code; live sources
 * and subsources with no leads in the range appear with zeros.
 *
 * For hosts (validate-input.ts), every method: codes as their path parameters take them, the query
 * (range, interval, filter) as the route takes it; the range rules (resolveDateRange) apply, with
 * "today" and every day in the tenant's zone (TenantCalendar).
 */
@Injectable()
export class SourceAnalyticsService {
  constructor(
    private readonly stats: LeadDailyStatRepository,
    private readonly credits: LeadAttributionStatRepository,
    private readonly sources: LeadSourceRepository,
    private readonly subsources: LeadSubsourceRepository,
    private readonly calendar: TenantCalendar,
  ) {}

  async source(code: string, query: AttributedRangeQueryDto = {}): Promise<SourcePerformanceResponseDto> {
    validateCode(code);
    const q = validateInput(AttributedRangeQueryDto, query);
    const calendar = await this.calendar.read();
    const range = resolveDateRange(q, calendar.today());
    const source = (await this.sources.findByCode(code)) ?? raise(notFound('lead source', code));
    const t = await this.totals(calendar.generation, range, q.model, code);
    const [perf] = await this.assemble(await this.withDeletedOf([source], t), t);
    return { start_date: range.startDate, end_date: range.endDate, ...perf };
  }

  /** The subsource's figures: every subsource row with its code under every source row with the source's code. */
  async subsource(sourceCode: string, subCode: string, query: AttributedRangeQueryDto = {}): Promise<SubsourcePerformanceResponseDto> {
    validateCode(sourceCode);
    validateCode(subCode);
    const q = validateInput(AttributedRangeQueryDto, query);
    const calendar = await this.calendar.read();
    const range = resolveDateRange(q, calendar.today());
    const source = (await this.sources.findByCode(sourceCode)) ?? raise(notFound('lead source', sourceCode));
    const sub = (await this.subsources.findByCode(subCode, source.id)) ?? raise(notFound('lead subsource', subCode));
    const t = await this.totals(calendar.generation, range, q.model, sourceCode);
    const sourceIds = [...new Set([source.id, ...t.rows.map((r) => r.sourceId), ...t.credits.map((r) => r.sourceId)])];
    const subIds = new Set((await this.subsources.findAllOfSources(sourceIds)).filter((s) => s.subSourceCode === subCode).map((s) => s.id));
    const [totals, credits] = [sumOf(t.rows, (r) => subIds.has(r.subSourceId)), sumOf(t.credits, (r) => subIds.has(r.subSourceId))];
    return {
      source_code: source.sourceCode,
      sub_source_code: sub.subSourceCode,
      sub_source_name: sub.subSourceName,
      start_date: range.startDate,
      end_date: range.endDate,
      ...sourceFigures(totals),
      ...(t.shown ? attributedFigures(credits, t.whole) : {}),
    };
  }

  async all(query: AttributedRangeQueryDto = {}): Promise<AllSourcesPerformanceResponseDto> {
    const q = validateInput(AttributedRangeQueryDto, query);
    const calendar = await this.calendar.read();
    const range = resolveDateRange(q, calendar.today());
    const t = await this.totals(calendar.generation, range, q.model);
    const sources = await this.withDeletedOf(await this.sources.findAllLive(), t);
    const data = (await this.assemble(sources, t)).sort((a, b) => b.leads_generated - a.leads_generated || compareCodePoints(a.source_code, b.source_code));
    return { start_date: range.startDate, end_date: range.endDate, data };
  }

  /**
   * One row per period and source code. `source_code` covers every source row with that code,
   * deleted ones included (404 only for a code no source ever had).
   */
  async trends(query: SourceTrendsQueryDto = {}): Promise<SourceTrendsResponseDto> {
    const q = validateInput(SourceTrendsQueryDto, query);
    const calendar = await this.calendar.read();
    const range = resolveDateRange(q, calendar.today());
    const interval: Interval = q.interval ?? 'day';
    const sourceCode = q.source_code;
    if (sourceCode && !(await this.sources.findByCode(sourceCode)) && !(await this.sources.findDeletedByCode(sourceCode))) {
      throw notFound('lead source', sourceCode);
    }
    const byPeriod = (repo: LeadDailyStatRepository | LeadAttributionStatRepository, model?: number) =>
      repo.trendTotals(calendar.generation, range.startDate, range.endDate, sourceCode, interval, calendar.weekStartIndex, model);
    const whole = !credited(q.model);
    const [rows, creditRows] = await Promise.all([byPeriod(this.stats), whole ? undefined : byPeriod(this.credits, MODEL_NUMBER[q.model!])]);
    const periods = enumeratePeriods(range.startDate, range.endDate, interval, calendar.weekStartIndex);
    // Zero-filled: every period for every source code that has a lead (or, under a touch model, a credit) in the range.
    const withLeads = rows.filter((r) => r.leads !== 0);
    const withCredits = (creditRows ?? rows).filter((r) => r.leads !== 0);
    const byId = new Map((await this.sources.findAnyByIds([...new Set([...withLeads, ...withCredits].map((r) => r.sourceId))])).map((s) => [s.id, s]));
    const named = new Map<string, LeadSourceEntity>();
    // Rows already come one per period and source; sources sharing a code (a deleted one and the live
    // one that reused it) share a cell.
    const fold = (of: SourcePeriodTotals[]) => {
      const cells = new Map<string, TrendMeasures>();
      for (const r of of) {
        const source = byId.get(r.sourceId)!;
        named.set(source.sourceCode, preferred(named.get(source.sourceCode), source));
        const key = `${source.sourceCode}|${r.day}`;
        const acc = cells.get(key);
        if (acc) {
          acc.leads += r.leads;
          acc.converted += r.converted;
          acc.revenue += r.revenue;
        } else cells.set(key, { leads: r.leads, converted: r.converted, revenue: r.revenue });
      }
      return cells;
    };
    const cells = fold(withLeads);
    const credits = whole ? cells : fold(withCredits);
    // Named by the live source with the code even when only deleted rows had leads in the range.
    for (const live of await this.sources.findByCodes([...named.keys()])) named.set(live.sourceCode, live);
    const codes = [...named.keys()].sort(compareCodePoints);
    const data: SourceTrendPointDto[] = [];
    for (const date of periods) {
      for (const code of codes) {
        const m = cells.get(`${code}|${date}`) ?? NO_TREND;
        data.push({
          date,
          source_code: code,
          source_name: named.get(code)!.sourceName,
          leads_generated: m.leads,
          conversions: m.converted,
          revenue: moneyJson(m.revenue),
          ...(q.model !== undefined ? attributedFigures(credits.get(`${code}|${date}`) ?? NO_TREND, whole) : {}),
        });
      }
    }
    return { start_date: range.startDate, end_date: range.endDate, interval, data };
  }

  /**
   * Totals per source and subsource on the leads' own codes, and what the model credits: under the
   * default model the same rows (`whole`: counts of whole leads), under a touch model its credits
   * (counts in credit units), read side by side.
   */
  private async totals(generation: number, range: DateRange, model: AttributionModel | undefined, sourceCode?: string): Promise<Totals> {
    const own = this.stats.totalsBySubsource(generation, range.startDate, range.endDate, sourceCode);
    if (!credited(model)) {
      const rows = await own;
      return { rows, credits: rows, whole: true, shown: model !== undefined };
    }
    const [rows, credits] = await Promise.all([
      own,
      this.credits.totalsBySubsource(generation, range.startDate, range.endDate, sourceCode, MODEL_NUMBER[model!]),
    ]);
    return { rows, credits, whole: false, shown: true };
  }

  /** `live` plus the deleted sources with leads (or credits) among the totals. */
  private async withDeletedOf(live: LeadSourceEntity[], t: Totals): Promise<LeadSourceEntity[]> {
    const liveIds = new Set(live.map((s) => s.id));
    const deletedIds = [...new Set([...t.rows, ...t.credits].filter((r) => r.leads !== 0 && !liveIds.has(r.sourceId)).map((r) => r.sourceId))];
    return [...live, ...(await this.sources.findAnyByIds(deletedIds))];
  }

  /**
   * One entry per source code: its totals and per-subsource-code figures (live subsources always,
   * deleted ones with leads or credits), each merged over the rows sharing the code (a deleted source
   * and the live one that reused its code). Names come from the live row, else the most recently deleted.
   */
  private async assemble(sources: LeadSourceEntity[], t: Totals): Promise<SourcePerformanceDto[]> {
    const out: SourcePerformanceDto[] = [];
    const allSubs = await this.subsources.findAllOfSources(sources.map((s) => s.id));
    for (const group of groupBy(sources, (s) => s.sourceCode).values()) {
      const ids = new Set(group.map((s) => s.id));
      const own = t.rows.filter((r) => ids.has(r.sourceId));
      const credited = t.credits.filter((r) => ids.has(r.sourceId));
      const subs = allSubs.filter(
        (s: LeadSubsourceEntity) => ids.has(s.sourceId) && (s.deletedAt === null || [...own, ...credited].some((r) => r.subSourceId === s.id && r.leads !== 0)),
      );
      const sub_sources: SubsourcePerformanceDto[] = [...groupBy(subs, (s) => s.subSourceCode).values()]
        .map((same) => {
          const subIds = new Set(same.map((s) => s.id));
          const inSub = (r: SourceDayTotals) => subIds.has(r.subSourceId);
          return { sub: same.reduce<LeadSubsourceEntity | undefined>(preferred, undefined)!, m: sumOf(own, inSub), c: sumOf(credited, inSub) };
        })
        // The subsource list order: display_order, the name's key, the code (bytes, as on both engines).
        .sort(
          (a, b) =>
            a.sub.displayOrder - b.sub.displayOrder ||
            compareCodePoints(a.sub.nameKey, b.sub.nameKey) ||
            compareCodePoints(a.sub.subSourceCode, b.sub.subSourceCode),
        )
        .map(({ sub, m, c }) => ({
          sub_source_code: sub.subSourceCode,
          sub_source_name: sub.subSourceName,
          ...sourceFigures(m),
          ...(t.shown ? attributedFigures(c, t.whole) : {}),
        }));
      const named = group.reduce<LeadSourceEntity | undefined>(preferred, undefined)!;
      out.push({
        source_code: named.sourceCode,
        source_name: named.sourceName,
        ...sourceFigures(sumOf(own)),
        ...(t.shown ? attributedFigures(sumOf(credited), t.whole) : {}),
        sub_sources,
      });
    }
    return out;
  }
}

/** The leads' own totals and the model's credits (the same rows under the default model). */
interface Totals {
  rows: SourceDayTotals[];
  credits: SourceDayTotals[];
  whole: boolean;
  /** A model was asked for: the answer shows the attributed figures (without one it is the answer of before models). */
  shown: boolean;
}

/** The measures of `rows` (those `keep` keeps) summed. */
function sumOf(rows: SourceDayTotals[], keep: (r: SourceDayTotals) => boolean = () => true): Measures {
  const m = zeroMeasures();
  for (const r of rows) if (keep(r)) add(m, r);
  return m;
}

/** Of two rows sharing a code, the one that names it: the live row, else the most recently deleted. */
function preferred<T extends { id: number; deletedAt: Date | null }>(a: T | undefined, b: T): T {
  if (!a) return b;
  if (a.deletedAt === null || b.deletedAt === null) return a.deletedAt === null ? a : b;
  return b.deletedAt.getTime() > a.deletedAt.getTime() || (b.deletedAt.getTime() === a.deletedAt.getTime() && b.id > a.id) ? b : a;
}
