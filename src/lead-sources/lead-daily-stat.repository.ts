import { Injectable } from '@nestjs/common';
import { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { TenantRollupRepository } from '../tenancy/tenant-rollup.repository';
import { Interval } from '../common/analytics/periods';
import { splitCents } from '../database/columns';
import { Dialect, moneyPartsSumSql, numericRow, periodStartSql } from '../database/sql-dialect';
import { LeadDailyStatEntity } from './lead-daily-stat.entity';
import { LeadSourceEntity } from './lead-source.entity';
import { LeadMonthlyStatEntity } from './lead-monthly-stat.entity';
import { addMeasures, Contribution, COUNTS, MONEY, Measures, TREND_COUNTS, TREND_MONEY, TrendMeasures } from './lead-contribution';
import { LeadAttributionDailyStatEntity, LeadAttributionMonthlyStatEntity } from './attribution/lead-attribution-stat.entity';
import { SourceCredit } from './attribution/attribution-contribution';

export interface SourceDayTotals extends Measures {
  day: string;
  sourceId: number;
  subSourceId: number;
}

/** A trend's totals of one period and source: only the measures a trend point shows. */
export interface SourcePeriodTotals extends TrendMeasures {
  /** The period's first day. */
  day: string;
  sourceId: number;
}

/**
 * The sums a read selects: counts as numbers, money sums exactly as `hi:lo` text (moneyPartsSumSql).
 * Every measure by default; a read that shows fewer sums fewer (each money sum is two SUMs and a text).
 */
const sums = (dialect: Dialect, counts: readonly string[] = COUNTS, money: readonly string[] = MONEY) =>
  [...counts.map((m) => `SUM(s.${m}) AS "${m}"`), ...money.map((m) => `${moneyPartsSumSql(dialect, `s.${m}Hi`, `s.${m}Lo`)} AS "${m}"`)].join(', ');

/**
 * The reads of a source rollup: lead_daily_stats (the lead's own codes: the default model) and
 * lead_attribution_daily_stats (the touch models, one more key column `model`), which have the same
 * measures and the same monthly copy beside them.
 */
export abstract class SourceRollupRepository<E extends ObjectLiteral & { tenantId: string }> extends TenantRollupRepository<E> {
  protected readonly alias = 's';
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

  /** Deletes up to `limit` rows of generations other than `keep`; answers how many went. */
  dropOtherGenerations(keep: number[], limit: number): Promise<number> {
    return this.deleteOtherGenerations(keep, limit);
  }

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

  /** Only the rows of one attribution model (the attribution copy's key; lead_daily_stats has none). */
  private ofModel<T extends ObjectLiteral>(qb: SelectQueryBuilder<T>, model: number | undefined): SelectQueryBuilder<T> {
    return model === undefined ? qb : qb.andWhere('s.model = :model', { model });
  }

  /**
   * Totals per source and subsource over days in [startDay, endDay]: the whole months inside the
   * range from the monthly copy, the days of the partial months at its ends from the daily rows.
   * With `sourceCode`, only the sources with that code (deleted ones included). Rows of `generation`
   * (and, in the attribution copy, of `model`).
   */
  async totalsBySubsource(generation: number, startDay: string, endDay: string, sourceCode?: string, model?: number): Promise<SourceDayTotals[]> {
    return this.overRange(
      generation,
      startDay,
      endDay,
      async (qb, within, params) => {
        this.ofSourceCode(this.ofModel(qb, model), sourceCode)
          .select('s.sourceId', 'sourceId')
          .addSelect('s.subSourceId', 'subSourceId')
          .addSelect(sums(this.dialect))
          .andWhere(within, params)
          .groupBy('s.sourceId')
          .addGroupBy('s.subSourceId');
        return (await qb.getRawMany()).map((r) => numericRow(r, MONEY_KEYS)) as unknown as SourceDayTotals[];
      },
      (r) => `${r.sourceId}|${r.subSourceId}`,
      (into, r) => addMeasures(into, r),
    );
  }

  /**
   * Trend totals (leads, conversions, revenue) per period and source over days in [startDay, endDay];
   * `day` is the period's first day (grouped in SQL: a year by week is 53 rows per source instead of
   * 365). With `sourceCode`, only the sources with that code (deleted ones included). Rows of
   * `generation` (and, in the attribution copy, of `model`); weeks from `weekStart` (Monday = 0).
   * Only the trend's three measures are summed (each money sum is two SUMs and a text): at 1,000,000
   * leads on MariaDB a year by week went from 16 to 9–11 ms p50, and under a touch model, which reads
   * this and the attribution copy side by side, from 20–21 to 12–15 ms (bench/RESULTS.md, 2026-12-06).
   */
  async trendTotals(
    generation: number,
    startDay: string,
    endDay: string,
    sourceCode?: string,
    interval: Interval = 'day',
    weekStart = 0,
    model?: number,
  ): Promise<SourcePeriodTotals[]> {
    const qb = this.ofSourceCode(this.ofModel(this.select(generation), model), sourceCode);
    const period = periodStartSql(this.dialect, 's.day', interval, weekStart);
    qb.select(period, 'day')
      .addSelect('s.sourceId', 'sourceId')
      .addSelect(sums(this.dialect, TREND_COUNTS, TREND_MONEY))
      .andWhere('s.day >= :startDay AND s.day <= :endDay', { startDay, endDay })
      .groupBy(period)
      .addGroupBy('s.sourceId');
    return (await qb.getRawMany()).map((r) => numericRow(r, MONEY_KEYS)) as unknown as SourcePeriodTotals[];
  }
}

const MONEY_KEYS = new Set<string>(MONEY);

/** Live leads per creation day, source and subsource, on their own codes (the default model, first). */
@Injectable()
export class LeadDailyStatRepository extends SourceRollupRepository<LeadDailyStatEntity> {
  protected readonly target = LeadDailyStatEntity;
  protected readonly table = 'lead_daily_stats';
  protected readonly keyColumns = ['tenant_id', 'day', 'source_id', 'sub_source_id'];
  protected override readonly months = { table: 'lead_monthly_stats', target: LeadMonthlyStatEntity };

  /** Adds deltas (days in the zone of `generation`) to that generation's rows. */
  add(deltas: Contribution[], generation: number): Promise<void> {
    return this.addDeltas(
      deltas.map((d) => [d.day, d.sourceId, d.subSourceId, ...COUNTS.map((m) => d.measures[m]), ...MONEY.flatMap((m) => splitCents(d.measures[m]))]),
      generation,
    );
  }
}

/** The touch models' credits per creation day, source and subsource (counts in credit units). */
@Injectable()
export class LeadAttributionStatRepository extends SourceRollupRepository<LeadAttributionDailyStatEntity> {
  protected readonly target = LeadAttributionDailyStatEntity;
  protected readonly table = 'lead_attribution_daily_stats';
  protected readonly keyColumns = ['tenant_id', 'model', 'day', 'source_id', 'sub_source_id'];
  protected override readonly months = { table: 'lead_attribution_monthly_stats', target: LeadAttributionMonthlyStatEntity };

  /** Adds credits (days in the zone of `generation`) to that generation's rows. */
  add(credits: SourceCredit[], generation: number): Promise<void> {
    return this.addDeltas(
      credits.map((c) => [c.model, c.day, c.sourceId, c.subSourceId, ...COUNTS.map((m) => c.measures[m]), ...MONEY.flatMap((m) => splitCents(c.measures[m]))]),
      generation,
    );
  }
}
