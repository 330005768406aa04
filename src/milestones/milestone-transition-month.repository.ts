import { Injectable } from '@nestjs/common';
import { numericRow } from '../database/sql-dialect';
import { TenantRollupRepository } from '../tenancy/tenant-rollup.repository';
import { TransitionDelta } from './milestone-chain';
import { MilestoneTransitionMonthEntity } from './milestone-transition-month.entity';
import { TransitionCell } from './milestone-transition-stat.repository';

@Injectable()
export class MilestoneTransitionMonthRepository extends TenantRollupRepository<MilestoneTransitionMonthEntity> {
  protected readonly target = MilestoneTransitionMonthEntity;
  protected readonly alias = 'tm';
  protected readonly table = 'milestone_transition_months';
  protected readonly keyColumns = ['tenant_id', 'month', 'from_type_id', 'to_type_id', 'days'];
  protected readonly measureColumns = ['transitions', 'completed'];

  /** `deltas` keyed by month (see monthlyDeltas): `day` holds the month's first day. */
  add(deltas: TransitionDelta[]): Promise<void> {
    return this.addDeltas(deltas.map((d) => [d.day, d.fromTypeId, d.toTypeId, d.days, d.transitions, d.completed]));
  }

  /** The histogram of the whole months from `firstMonth` to `lastMonth` (first days, inclusive). */
  async histogram(firstMonth: string, lastMonth: string): Promise<TransitionCell[]> {
    const rows = await this.select()
      .select('tm.fromTypeId', 'fromTypeId')
      .addSelect('tm.toTypeId', 'toTypeId')
      .addSelect('tm.days', 'days')
      .addSelect('SUM(tm.transitions)', 'transitions')
      .addSelect('SUM(tm.completed)', 'completed')
      .andWhere('tm.month >= :firstMonth AND tm.month <= :lastMonth', { firstMonth, lastMonth })
      .groupBy('tm.fromTypeId')
      .addGroupBy('tm.toTypeId')
      .addGroupBy('tm.days')
      .having('SUM(tm.transitions) <> 0')
      .getRawMany();
    return rows.map((r) => numericRow(r)) as unknown as TransitionCell[];
  }
}
