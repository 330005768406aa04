import { MigrationInterface, QueryRunner } from 'typeorm';
import { changeIntegerType, isMysql, joinMoneyColumns, splitMoneyColumns } from '../migration-helpers';

/** The money sums of rollups and counters, and the DECIMAL(p,2) they were (p: their precision). */
const MONEY_SUMS: { table: string; columns: { name: string; precision: number }[] }[] = [
  { table: 'lead_daily_stats', columns: ['expected_value', 'revenue', 'cost'].map((name) => ({ name, precision: 18 })) },
  { table: 'lead_monthly_stats', columns: ['expected_value', 'revenue', 'cost'].map((name) => ({ name, precision: 18 })) },
  { table: 'campaign_metric_daily_stats', columns: ['spend', 'revenue'].map((name) => ({ name, precision: 18 })) },
  { table: 'tenant_lead_subsources', columns: [{ name: 'total_cost', precision: 16 }] },
];

/**
 * Sums that can no longer overflow or lose cents (docs/numbers.md, "Money is exact"):
 * - Every money sum of a rollup or counter becomes two BIGINT parts of cents (columns.ts MONEY_PART):
 *   DECIMAL(16,2) and DECIMAL(18,2) overflowed after 101 and 10,001 leads at the largest accepted
 *   amount, and SQLite summed them as doubles. The parts hold 9.2 × 10^11 such leads per cell.
 * - milestone_daily_stats.days_to_hit becomes BIGINT (an INT cell held some 600 milestones planned
 *   8,000 years after their lead's creation).
 * - MySQL only: campaigns.total_leads and total_conversions are recomputed from the metric rows.
 *   Migration 1764151300000 widened them with TypeORM's changeColumn, which on MySQL drops and re-adds
 *   a column whose type changes: campaigns whose metrics were written before it show 0 until their
 *   next metric write.
 */
export class ExactMoneySums1764151500000 implements MigrationInterface {
  name = 'ExactMoneySums1764151500000';

  async up(qr: QueryRunner): Promise<void> {
    for (const { table, columns } of MONEY_SUMS)
      await splitMoneyColumns(
        qr,
        table,
        columns.map((c) => c.name),
      );
    await changeIntegerType(qr, 'milestone_daily_stats', 'days_to_hit', 'bigint');
    if (isMysql(qr)) {
      await qr.query(
        `UPDATE campaigns SET
           total_leads = (SELECT COALESCE(SUM(m.leads_generated), 0) FROM campaign_channel_metrics m WHERE m.tenant_id = campaigns.tenant_id AND m.campaign_id = campaigns.id),
           total_conversions = (SELECT COALESCE(SUM(m.conversions), 0) FROM campaign_channel_metrics m WHERE m.tenant_id = campaigns.tenant_id AND m.campaign_id = campaigns.id)`,
      );
    }
  }

  async down(qr: QueryRunner): Promise<void> {
    await changeIntegerType(qr, 'milestone_daily_stats', 'days_to_hit', 'integer');
    for (const { table, columns } of [...MONEY_SUMS].reverse()) await joinMoneyColumns(qr, table, columns);
  }
}
