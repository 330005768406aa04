import { Injectable } from '@nestjs/common';
import { numericRow } from '../database/sql-dialect';
import { TenantRollupRepository } from '../tenancy/tenant-rollup.repository';
import { DAILY_MEASURES, DailyDelta, DailyMeasures } from './milestone-chain';
import { MilestoneDailyStatEntity } from './milestone-daily-stat.entity';

export interface TypeTotals extends DailyMeasures {
  milestoneTypeId: number;
}

export interface TypeDayTotals extends TypeTotals {
  day: string;
}

const SUMS = DAILY_MEASURES.map((m) => `SUM(s.${m}) AS "${m}"`).join(', ');

@Injectable()
export class MilestoneDailyStatRepository extends TenantRollupRepository<MilestoneDailyStatEntity> {
  protected readonly target = MilestoneDailyStatEntity;
  protected readonly alias = 's';
  protected readonly table = 'milestone_daily_stats';
  protected readonly keyColumns = ['tenant_id', 'day', 'milestone_type_id'];
  protected readonly measureColumns = ['milestones', 'completed', 'in_progress', 'skipped', 'failed', 'follow_ups', 'days_to_hit'];
  /** days_to_hit counts from the day the lead was created, in the tenant's zone. */
  protected override readonly zoned = true;

  /** Adds deltas (lead creation days in the zone of `generation`) to that generation's rows. */
  add(deltas: DailyDelta[], generation: number): Promise<void> {
    return this.addDeltas(
      deltas.map((d) => [d.day, d.milestoneTypeId, ...DAILY_MEASURES.map((m) => d.measures[m])]),
      generation,
    );
  }

  /** Deletes up to `limit` rows of generations other than `keep`; answers how many went. */
  dropOtherGenerations(keep: number[], limit: number): Promise<number> {
    return this.deleteOtherGenerations(keep, limit);
  }

  /** Totals per type over milestones achieved in [startDay, endDay], rows of `generation`. */
  async totalsByType(generation: number, startDay: string, endDay: string): Promise<TypeTotals[]> {
    const rows = await this.select(generation)
      .select('s.milestoneTypeId', 'milestoneTypeId')
      .addSelect(SUMS)
      .andWhere('s.day >= :startDay AND s.day <= :endDay', { startDay, endDay })
      .groupBy('s.milestoneTypeId')
      .getRawMany();
    return rows.map((r) => numericRow(r)) as unknown as TypeTotals[];
  }

  /** Rows per day and type in [startDay, endDay], of the given types only when given (trends fold days into periods). */
  async totalsByDay(generation: number, startDay: string, endDay: string, milestoneTypeIds?: number[]): Promise<TypeDayTotals[]> {
    const qb = this.select(generation)
      .select('s.day', 'day')
      .addSelect('s.milestoneTypeId', 'milestoneTypeId')
      .addSelect(SUMS)
      .andWhere('s.day >= :startDay AND s.day <= :endDay', { startDay, endDay })
      .groupBy('s.day')
      .addGroupBy('s.milestoneTypeId');
    if (milestoneTypeIds !== undefined) qb.andWhere('s.milestoneTypeId IN (:...milestoneTypeIds)', { milestoneTypeIds });
    return (await qb.getRawMany()).map((r) => numericRow(r)) as unknown as TypeDayTotals[];
  }
}
