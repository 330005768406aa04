import { Injectable } from '@nestjs/common';
import { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { numericRow } from '../database/sql-dialect';
import { TenantRollupRepository } from '../tenancy/tenant-rollup.repository';
import { TransitionDelta } from './milestone-chain';
import { MilestoneTransitionMonthEntity } from './milestone-transition-month.entity';
import { MilestoneTransitionStatEntity } from './milestone-transition-stat.entity';

/** One histogram cell summed over a day range. */
export interface TransitionCell {
  fromTypeId: number;
  toTypeId: number;
  days: number;
  transitions: number;
  completed: number;
}

/**
 * The transition histogram by day, with its monthly copy (milestone_transition_months) kept by the
 * same writes (TenantRollupRepository's `months`): a year's bottlenecks read 12 months of cells plus
 * the days of at most two partial months, instead of 365 days of cells.
 */
@Injectable()
export class MilestoneTransitionStatRepository extends TenantRollupRepository<MilestoneTransitionStatEntity> {
  protected readonly target = MilestoneTransitionStatEntity;
  protected readonly alias = 't';
  protected readonly table = 'milestone_transition_stats';
  protected readonly keyColumns = ['tenant_id', 'day', 'from_type_id', 'to_type_id', 'days'];
  protected readonly measureColumns = ['transitions', 'completed'];
  protected override readonly months = { table: 'milestone_transition_months', target: MilestoneTransitionMonthEntity };

  add(deltas: TransitionDelta[]): Promise<void> {
    return this.addDeltas(deltas.map((d) => [d.day, d.fromTypeId, d.toTypeId, d.days, d.transitions, d.completed]));
  }

  /** The duration histogram of every transition whose target was achieved in one of the day ranges (inclusive). */
  async histogram(ranges: [string, string][]): Promise<TransitionCell[]> {
    if (ranges.length === 0) return [];
    const params: Record<string, string> = {};
    const within = ranges.map(([from, to], i) => {
      params[`from${i}`] = from;
      params[`to${i}`] = to;
      return `(t.day >= :from${i} AND t.day <= :to${i})`;
    });
    return cellsOf(this.select().andWhere(`(${within.join(' OR ')})`, params));
  }

  /** The histogram of the whole months from `firstMonth` to `lastMonth` (first days, inclusive), from the monthly copy. */
  monthHistogram(firstMonth: string, lastMonth: string): Promise<TransitionCell[]> {
    return cellsOf(this.selectMonths().andWhere('t.month >= :firstMonth AND t.month <= :lastMonth', { firstMonth, lastMonth }));
  }
}

/** The cells (pair, days) summed over the rows `qb` keeps, of the daily rows or of the monthly copy (alias `t`). */
async function cellsOf<T extends ObjectLiteral>(qb: SelectQueryBuilder<T>): Promise<TransitionCell[]> {
  const rows = await qb
    .select('t.fromTypeId', 'fromTypeId')
    .addSelect('t.toTypeId', 'toTypeId')
    .addSelect('t.days', 'days')
    .addSelect('SUM(t.transitions)', 'transitions')
    .addSelect('SUM(t.completed)', 'completed')
    .groupBy('t.fromTypeId')
    .addGroupBy('t.toTypeId')
    .addGroupBy('t.days')
    .having('SUM(t.transitions) <> 0')
    .getRawMany();
  return rows.map((r) => numericRow(r)) as unknown as TransitionCell[];
}
