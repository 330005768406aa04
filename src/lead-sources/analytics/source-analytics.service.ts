import { Injectable } from '@nestjs/common';
import { enumeratePeriods, Interval, periodStart } from '../../common/analytics/periods';
import { notFound, raise } from '../../common/errors/app-error';
import { DateRange } from '../../common/http/date-range.dto';
import { round2 } from '../../common/numbers/rounding';
import { LeadDailyStatRepository, SourceDayTotals } from '../lead-daily-stat.repository';
import { MEASURES, Measures, zeroMeasures } from '../lead-contribution';
import { LeadSourceEntity } from '../lead-source.entity';
import { LeadSourceRepository } from '../lead-source.repository';
import { LeadSubsourceEntity } from '../lead-subsource.entity';
import { LeadSubsourceRepository } from '../lead-subsource.repository';
import { sourceFigures } from '../source-metrics';
import {
  AllSourcesPerformanceResponseDto,
  SourcePerformanceDto,
  SourcePerformanceResponseDto,
  SourceTrendPointDto,
  SourceTrendsResponseDto,
  SubsourcePerformanceDto,
  SubsourcePerformanceResponseDto,
} from './source-analytics.dto';

const add = (into: Measures, row: Measures) => {
  for (const m of MEASURES) into[m] += row[m];
};

/**
 * Lead-source analytics (API.md §3), answered from the daily rollup (lead_daily_stats) rather than
 * the lead facts: a range costs one grouped read of at most sources × subsources × days rows.
 * Facts of a deleted source or subsource still count, reported under its code; live sources
 * and subsources with no leads in the range appear with zeros.
 */
@Injectable()
export class SourceAnalyticsService {
  constructor(
    private readonly stats: LeadDailyStatRepository,
    private readonly sources: LeadSourceRepository,
    private readonly subsources: LeadSubsourceRepository,
  ) {}

  async source(code: string, range: DateRange): Promise<SourcePerformanceResponseDto> {
    const source = (await this.sources.findByCode(code)) ?? raise(notFound('lead source', code));
    const rows = await this.stats.totalsBySubsource(range.startDate, range.endDate, source.id);
    const [perf] = await this.assemble([source], rows);
    return { start_date: range.startDate, end_date: range.endDate, ...perf };
  }

  async subsource(sourceCode: string, subCode: string, range: DateRange): Promise<SubsourcePerformanceResponseDto> {
    const source = (await this.sources.findByCode(sourceCode)) ?? raise(notFound('lead source', sourceCode));
    const sub = (await this.subsources.findByCode(subCode, source.id)) ?? raise(notFound('lead subsource', subCode));
    const rows = await this.stats.totalsBySubsource(range.startDate, range.endDate, source.id);
    const totals = zeroMeasures();
    rows.filter((r) => r.subSourceId === sub.id).forEach((r) => add(totals, r));
    return {
      source_code: source.sourceCode,
      sub_source_code: sub.subSourceCode,
      sub_source_name: sub.subSourceName,
      start_date: range.startDate,
      end_date: range.endDate,
      ...sourceFigures(totals),
    };
  }

  async all(range: DateRange): Promise<AllSourcesPerformanceResponseDto> {
    const rows = await this.stats.totalsBySubsource(range.startDate, range.endDate);
    const live = await this.sources.findAllLive();
    const liveIds = new Set(live.map((s) => s.id));
    const deleted = await this.sources.findAnyByIds([...new Set(rows.map((r) => r.sourceId))].filter((id) => !liveIds.has(id)));
    const data = (await this.assemble([...live, ...deleted], rows)).sort(
      (a, b) => b.leads_generated - a.leads_generated || a.source_code.localeCompare(b.source_code),
    );
    return { start_date: range.startDate, end_date: range.endDate, data };
  }

  async trends(range: DateRange, interval: Interval, sourceCode?: string): Promise<SourceTrendsResponseDto> {
    let sourceId: number | undefined;
    if (sourceCode) sourceId = ((await this.sources.findByCode(sourceCode)) ?? raise(notFound('lead source', sourceCode))).id;
    const rows = await this.stats.totalsByDay(range.startDate, range.endDate, sourceId, interval);
    const periods = enumeratePeriods(range.startDate, range.endDate, interval);
    // Zero-filled: every period for every source that has a lead in the range.
    const cells = new Map<string, Measures>();
    for (const r of rows) {
      if (r.leads === 0) continue;
      const key = `${r.sourceId}|${periodStart(r.day, interval)}`;
      const acc = cells.get(key) ?? zeroMeasures();
      add(acc, r);
      cells.set(key, acc);
    }
    const sourceIds = [...new Set([...cells.keys()].map((k) => Number(k.split('|')[0])))];
    const sources = (await this.sources.findAnyByIds(sourceIds)).sort((a, b) => a.sourceCode.localeCompare(b.sourceCode));
    const data: SourceTrendPointDto[] = [];
    for (const date of periods) {
      for (const s of sources) {
        const m = cells.get(`${s.id}|${date}`) ?? zeroMeasures();
        data.push({
          date,
          source_code: s.sourceCode,
          source_name: s.sourceName,
          leads_generated: m.leads,
          conversions: m.converted,
          revenue: round2(m.revenue),
        });
      }
    }
    return { start_date: range.startDate, end_date: range.endDate, interval, data };
  }

  /** Per source: totals and per-subsource figures (live subsources always, deleted ones with data). */
  private async assemble(sources: LeadSourceEntity[], rows: SourceDayTotals[]): Promise<SourcePerformanceDto[]> {
    const out: SourcePerformanceDto[] = [];
    const allSubs = await this.subsources.findAllOfSources(sources.map((s) => s.id));
    for (const source of sources) {
      const own = rows.filter((r) => r.sourceId === source.id);
      const totals = zeroMeasures();
      own.forEach((r) => add(totals, r));
      const subs = allSubs.filter(
        (s: LeadSubsourceEntity) =>
          s.sourceId === source.id && (s.deletedAt === null || own.some((r) => r.subSourceId === s.id && r.leads !== 0)),
      );
      const sub_sources: SubsourcePerformanceDto[] = subs
        .sort((a, b) => a.displayOrder - b.displayOrder || a.subSourceName.localeCompare(b.subSourceName))
        .map((s) => {
          const m = zeroMeasures();
          own.filter((r) => r.subSourceId === s.id).forEach((r) => add(m, r));
          return { sub_source_code: s.subSourceCode, sub_source_name: s.subSourceName, ...sourceFigures(m) };
        });
      out.push({ source_code: source.sourceCode, source_name: source.sourceName, ...sourceFigures(totals), sub_sources });
    }
    return out;
  }
}
