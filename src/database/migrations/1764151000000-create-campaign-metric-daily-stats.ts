import { MigrationInterface, QueryRunner, Table, TableColumnOptions } from 'typeorm';
import { caseSensitiveTenantIds, date, decimal, int, varchar } from '../migration-helpers';

const key = (column: TableColumnOptions): TableColumnOptions => ({ ...column, isPrimary: true });
const bigint = (name: string): TableColumnOptions => ({ name, type: 'bigint', isNullable: false, default: 0 });

/**
 * Daily rollup of campaign metrics per (type, channel), filled from the metric rows of the live
 * campaigns already stored; the service keeps it from then on.
 */
export class CreateCampaignMetricDailyStats1764151000000 implements MigrationInterface {
  name = 'CreateCampaignMetricDailyStats1764151000000';

  async up(qr: QueryRunner): Promise<void> {
    await qr.createTable(
      new Table({
        name: 'campaign_metric_daily_stats',
        columns: [
          key(varchar('tenant_id', 64)),
          key(date('day')),
          key(int('campaign_type_id')),
          key(int('channel_id')),
          bigint('impressions'),
          bigint('clicks'),
          bigint('leads_generated'),
          bigint('conversions'),
          decimal('spend', { precision: 18, default: 0 }),
          decimal('revenue', { precision: 18, default: 0 }),
        ],
      }),
      true,
    );
    // MySQL commits DDL at once: a run whose back-fill was rolled back (e.g. the process was stopped)
    // left the table behind, empty or not. Start the back-fill from nothing.
    await qr.query('DELETE FROM campaign_metric_daily_stats');
    await qr.query(
      `INSERT INTO campaign_metric_daily_stats
         (tenant_id, day, campaign_type_id, channel_id, impressions, clicks, leads_generated, conversions, spend, revenue)
       SELECT m.tenant_id, m.metric_day, c.campaign_type_id, m.channel_id,
              SUM(m.impressions), SUM(m.clicks), SUM(m.leads_generated), SUM(m.conversions), SUM(m.spend), SUM(m.revenue)
         FROM campaign_channel_metrics m
         JOIN campaigns c ON c.id = m.campaign_id AND c.tenant_id = m.tenant_id
        WHERE c.deleted_at IS NULL
        GROUP BY m.tenant_id, m.metric_day, c.campaign_type_id, m.channel_id`,
    );
    await caseSensitiveTenantIds(qr);
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropTable('campaign_metric_daily_stats');
  }
}
