import { Injectable } from '@nestjs/common';
import { numericRow } from '../database/sql-dialect';
import { TenantRollupRepository } from '../tenancy/tenant-rollup.repository';
import { TransitionLeadDelta } from './milestone-chain';
import { MilestoneTransitionLeadEntity } from './milestone-transition-lead.entity';

export interface PairLeads {
  fromTypeId: number;
  toTypeId: number;
  leads: number;
}

@Injectable()
export class MilestoneTransitionLeadRepository extends TenantRollupRepository<MilestoneTransitionLeadEntity> {
  protected readonly target = MilestoneTransitionLeadEntity;
  protected readonly alias = 'tl';
  protected readonly table = 'milestone_transition_leads';
  protected readonly keyColumns = ['tenant_id', 'day', 'from_type_id', 'to_type_id', 'previous_date'];
  protected readonly measureColumns = ['leads'];

  add(deltas: TransitionLeadDelta[]): Promise<void> {
    return this.addDeltas(deltas.map((d) => [d.day, d.fromTypeId, d.toTypeId, d.previousDate, d.leads]));
  }

  /**
   * Distinct leads with a transition A→B whose target was achieved in [startDay, endDay]: each such
   * lead has exactly one of them whose previous A→B occurrence is before startDay (or none).
   */
  async distinctLeads(startDay: string, endDay: string): Promise<PairLeads[]> {
    const rows = await this.select()
      .select('tl.fromTypeId', 'fromTypeId')
      .addSelect('tl.toTypeId', 'toTypeId')
      .addSelect('SUM(tl.leads)', 'leads')
      .andWhere('tl.day >= :startDay AND tl.day <= :endDay', { startDay, endDay })
      .andWhere('tl.previousDate < :startDay')
      .groupBy('tl.fromTypeId')
      .addGroupBy('tl.toTypeId')
      .getRawMany();
    return rows.map((r) => numericRow(r)) as unknown as PairLeads[];
  }
}
