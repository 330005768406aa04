import { Injectable } from '@nestjs/common';
import { numericRow } from '../database/sql-dialect';
import { TenantRollupRepository } from '../tenancy/tenant-rollup.repository';
import { TransitionDelta } from './milestone-chain';
import { MilestoneTransitionStatEntity } from './milestone-transition-stat.entity';

/** One histogram cell summed over a day range. */
export interface TransitionCell {
  fromTypeId: number;
  toTypeId: number;
  days: number;
  transitions: number;
  completed: number;
}

@Injectable()
export class MilestoneTransitionStatRepository extends TenantRollupRepository<MilestoneTransitionStatEntity> {
  protected readonly target = MilestoneTransitionStatEntity;
  protected readonly alias = 't';
  protected readonly table = 'milestone_transition_stats';
  protected readonly keyColumns = ['tenant_id', 'day', 'from_type_id', 'to_type_id', 'days'];
  protected readonly measureColumns = ['transitions', 'completed'];

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
}
