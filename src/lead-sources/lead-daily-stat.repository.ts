import { Injectable } from '@nestjs/common';
import { TenantRollupRepository } from '../tenancy/tenant-rollup.repository';
import { LeadDailyStatEntity } from './lead-daily-stat.entity';
import { Contribution, MEASURES, Measures } from './lead-contribution';

export interface SourceDayTotals extends Measures {
  day: string;
  sourceId: number;
  subSourceId: number;
}

const SUMS = MEASURES.map((m) => `SUM(s.${m}) AS "${m}"`).join(', ');

@Injectable()
export class LeadDailyStatRepository extends TenantRollupRepository<LeadDailyStatEntity> {
  protected readonly target = LeadDailyStatEntity;
  protected readonly alias = 's';
  protected readonly table = 'lead_daily_stats';
  protected readonly keyColumns = ['tenant_id', 'day', 'source_id', 'sub_source_id'];
  protected readonly measureColumns = [
    'leads',
    'contacted',
    'qualified',
    'converted',
    'lost',
    'close_seconds',
    'expected_value',
    'revenue',
    'cost',
  ];

  add(deltas: Contribution[]): Promise<void> {
    return this.addDeltas(deltas.map((d) => [d.day, d.sourceId, d.subSourceId, ...MEASURES.map((m) => d.measures[m])]));
  }

  /** Totals per source and subsource over days in [startDay, endDay]. */
  async totalsBySubsource(startDay: string, endDay: string, sourceId?: number): Promise<SourceDayTotals[]> {
    const qb = this.select()
      .select('s.sourceId', 'sourceId')
      .addSelect('s.subSourceId', 'subSourceId')
      .addSelect(SUMS)
      .andWhere('s.day >= :startDay AND s.day <= :endDay', { startDay, endDay })
      .groupBy('s.sourceId')
      .addGroupBy('s.subSourceId');
    if (sourceId !== undefined) qb.andWhere('s.sourceId = :sourceId', { sourceId });
    return (await qb.getRawMany()).map(numeric) as unknown as SourceDayTotals[];
  }

  /** Totals per day and source over days in [startDay, endDay] (trends fold days into periods). */
  async totalsByDay(startDay: string, endDay: string, sourceId?: number): Promise<SourceDayTotals[]> {
    const qb = this.select()
      .select('s.day', 'day')
      .addSelect('s.sourceId', 'sourceId')
      .addSelect(SUMS)
      .andWhere('s.day >= :startDay AND s.day <= :endDay', { startDay, endDay })
      .groupBy('s.day')
      .addGroupBy('s.sourceId');
    if (sourceId !== undefined) qb.andWhere('s.sourceId = :sourceId', { sourceId });
    return (await qb.getRawMany()).map(numeric) as unknown as SourceDayTotals[];
  }
}

/** Raw aggregates come back as strings on MySQL (DECIMAL/BIGINT sums) and numbers on SQLite. */
function numeric(row: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(row)) {
    out[k] = k === 'day' ? String(v instanceof Date ? v.toISOString() : v).slice(0, 10) : v === null ? 0 : Number(v);
  }
  return out;
}
