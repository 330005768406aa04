import { Injectable } from '@nestjs/common';
import { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { TenantRollupRepository } from '../tenancy/tenant-rollup.repository';
import { splitByMonths } from '../common/analytics/month-split';
import { Interval } from '../common/analytics/periods';
import { splitCents } from '../database/columns';
import { Dialect, moneyPartsSumSql, numericRow, periodStartSql } from '../database/sql-dialect';
import { LeadDailyStatEntity } from './lead-daily-stat.entity';
import { LeadSourceEntity } from './lead-source.entity';
import { LeadMonthlyStatEntity } from './lead-monthly-stat.entity';
import { addMeasures, Contribution, COUNTS, MONEY, Measures } from './lead-contribution';

export interface SourceDayTotals extends Measures {
  day: string;
  sourceId: number;
  subSourceId: number;
}

/** The sums a read selects: counts as numbers, money sums exactly as `hi:lo` text (moneyPartsSumSql). */
const sums = (dialect: Dialect) =>
  [...COUNTS.map((m) => `SUM(s.${m}) AS "${m}"`), ...MONEY.map((m) => `${moneyPartsSumSql(dialect, `s.${m}Hi`, `s.${m}Lo`)} AS "${m}"`)].join(', ');

@Injectable()
export class LeadDailyStatRepository extends TenantRollupRepository<LeadDailyStatEntity> {
  protected readonly target = LeadDailyStatEntity;
  protected readonly alias = 's';
  protected readonly table = 'lead_daily_stats';
  protected readonly keyColumns = ['tenant_id', 'day', 'source_id', 'sub_source_id'];
  protected override readonly months = { table: 'lead_monthly_stats', target: LeadMonthlyStatEntity };
  protected override readonly zoned = true;
  protected readonly measureColumns = [
    'leads',
    'contacted',
    'qualified',
    'converted',
    'lost',
    'close_seconds',
    'expected_value_hi',
    'expected_value_lo',
    'revenue_hi',
    'revenue_lo',
    'cost_hi',
    'cost_lo',
  ];

  /**
   * Keeps the rows of every source row with this code, deleted ones included (a deleted source's
   * facts count under its code, together with those of a live source that reuses it).
   */
  private ofSourceCode<T extends ObjectLiteral>(qb: SelectQueryBuilder<T>, sourceCode: string | undefined): SelectQueryBuilder<T> {
    if (sourceCode === undefined) return qb;
    return this.joinScoped(qb.withDeleted(), LeadSourceEntity, 'src', 'src.id = s.sourceId AND src.sourceCode = :sourceCode', { inner: true }).setParameter(
      'sourceCode',
      sourceCode,
    );
  }

  /** Adds deltas (days in the zone of `generation`) to that generation's rows. */
  add(deltas: Contribution[], generation: number): Promise<void> {
    return this.addDeltas(
      deltas.map((d) => [d.day, d.sourceId, d.subSourceId, ...COUNTS.map((m) => d.measures[m]), ...MONEY.flatMap((m) => splitCents(d.measures[m]))]),
      generation,
    );
  }

  /** Deletes up to `limit` rows of generations other than `keep`; answers how many went. */
  dropOtherGenerations(keep: number[], limit: number): Promise<number> {
    return this.deleteOtherGenerations(keep, limit);
  }

  /**
   * Totals per source and subsource over days in [startDay, endDay]: the whole months inside the
   * range from the monthly copy, the days of the partial months at its ends from the daily rows.
   * With `sourceCode`, only the sources with that code (deleted ones included). Rows of `generation`.
   */
  async totalsBySubsource(generation: number, startDay: string, endDay: string, sourceCode?: string): Promise<SourceDayTotals[]> {
    const parts = splitByMonths(startDay, endDay);
    const grouped = async (qb: SelectQueryBuilder<ObjectLiteral>, column: string, ranges: [string, string][]) => {
      const params: Record<string, string> = {};
      const within = ranges.map(([from, to], i) => {
        params[`from${i}`] = from;
        params[`to${i}`] = to;
        return `(${column} >= :from${i} AND ${column} <= :to${i})`;
      });
      this.ofSourceCode(qb, sourceCode)
        .select('s.sourceId', 'sourceId')
        .addSelect('s.subSourceId', 'subSourceId')
        .addSelect(sums(this.dialect))
        .andWhere(`(${within.join(' OR ')})`, params)
        .groupBy('s.sourceId')
        .addGroupBy('s.subSourceId');
      return (await qb.getRawMany()).map((r) => numericRow(r, MONEY_KEYS)) as unknown as SourceDayTotals[];
    };
    const rows = parts.days.length > 0 ? await grouped(this.select(generation) as SelectQueryBuilder<ObjectLiteral>, 's.day', parts.days) : [];
    if (!parts.months) return rows;
    // Whole months: added to the partial months' rows of the same source and subsource.
    const totals = new Map(rows.map((r) => [`${r.sourceId}|${r.subSourceId}`, r]));
    for (const r of await grouped(this.selectMonths(generation), 's.month', [parts.months])) {
      const acc = totals.get(`${r.sourceId}|${r.subSourceId}`);
      if (!acc) totals.set(`${r.sourceId}|${r.subSourceId}`, r);
      else addMeasures(acc, r);
    }
    return [...totals.values()];
  }

  /**
   * Totals per period and source over days in [startDay, endDay]; `day` is the period's first day
   * (grouped in SQL: a year by week is 53 rows per source instead of 365). With `sourceCode`, only
   * the sources with that code (deleted ones included). Rows of `generation`; weeks from `weekStart` (Monday = 0).
   */
  async totalsByDay(
    generation: number,
    startDay: string,
    endDay: string,
    sourceCode?: string,
    interval: Interval = 'day',
    weekStart = 0,
  ): Promise<SourceDayTotals[]> {
    const qb = this.ofSourceCode(this.select(generation), sourceCode);
    const period = periodStartSql(this.dialect, 's.day', interval, weekStart);
    qb.select(period, 'day')
      .addSelect('s.sourceId', 'sourceId')
      .addSelect(sums(this.dialect))
      .andWhere('s.day >= :startDay AND s.day <= :endDay', { startDay, endDay })
      .groupBy(period)
      .addGroupBy('s.sourceId');
    return (await qb.getRawMany()).map((r) => numericRow(r, MONEY_KEYS)) as unknown as SourceDayTotals[];
  }
}

const MONEY_KEYS = new Set<string>(MONEY);
