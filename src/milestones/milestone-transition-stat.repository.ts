import { Injectable } from '@nestjs/common';
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
    const rows = await this.select()
      .select('t.fromTypeId', 'fromTypeId')
      .addSelect('t.toTypeId', 'toTypeId')
      .addSelect('t.days', 'days')
      .addSelect('SUM(t.transitions)', 'transitions')
      .addSelect('SUM(t.completed)', 'completed')
      .andWhere(`(${within.join(' OR ')})`, params)
      .groupBy('t.fromTypeId')
      .addGroupBy('t.toTypeId')
      .addGroupBy('t.days')
      .having('SUM(t.transitions) <> 0')
      .getRawMany();
    return rows.map((r) => numericRow(r)) as unknown as TransitionCell[];
  }

  /** The histogram of the whole months from `firstMonth` to `lastMonth` (first days, inclusive), from the monthly copy. */
  async monthHistogram(firstMonth: string, lastMonth: string): Promise<TransitionCell[]> {
    const rows = await this.selectMonths()
      .select('t.fromTypeId', 'fromTypeId')
      .addSelect('t.toTypeId', 'toTypeId')
      .addSelect('t.days', 'days')
      .addSelect('SUM(t.transitions)', 'transitions')
      .addSelect('SUM(t.completed)', 'completed')
      .andWhere('t.month >= :firstMonth AND t.month <= :lastMonth', { firstMonth, lastMonth })
      .groupBy('t.fromTypeId')
      .addGroupBy('t.toTypeId')
      .addGroupBy('t.days')
      .having('SUM(t.transitions) <> 0')
      .getRawMany();
    return rows.map((r) => numericRow(r)) as unknown as TransitionCell[];
  }
}
