import { MigrationInterface, QueryRunner, Table, TableColumnOptions } from 'typeorm';
import { caseSensitiveTenantIds, date, decimal, int, isMysql, varchar } from '../migration-helpers';

const key = (column: TableColumnOptions): TableColumnOptions => ({ ...column, isPrimary: true });

/**
 * lead_daily_stats summed per calendar month (`month` = its first day), filled from the daily rows
 * already stored; the service keeps both from then on.
 */
export class CreateLeadMonthlyStats1764151000001 implements MigrationInterface {
  name = 'CreateLeadMonthlyStats1764151000001';

  async up(qr: QueryRunner): Promise<void> {
    await qr.createTable(
      new Table({
        name: 'lead_monthly_stats',
        columns: [
          key(varchar('tenant_id', 64)),
          key(date('month')),
          key(int('source_id')),
          key(int('sub_source_id')),
          int('leads', { default: 0 }),
          int('contacted', { default: 0 }),
          int('qualified', { default: 0 }),
          int('converted', { default: 0 }),
          int('lost', { default: 0 }),
          { name: 'close_seconds', type: 'bigint', isNullable: false, default: 0 },
          decimal('expected_value', { precision: 18, default: 0 }),
          decimal('revenue', { precision: 18, default: 0 }),
          decimal('cost', { precision: 18, default: 0 }),
        ],
      }),
      true,
    );
    // MySQL commits DDL at once: a run whose back-fill was rolled back (e.g. the process was stopped)
    // left the table behind, empty or not. Start the back-fill from nothing.
    await qr.query('DELETE FROM lead_monthly_stats');
    const month = isMysql(qr) ? "DATE_FORMAT(day, '%Y-%m-01')" : "strftime('%Y-%m-01', day)";
    await qr.query(
      `INSERT INTO lead_monthly_stats
         (tenant_id, month, source_id, sub_source_id, leads, contacted, qualified, converted, lost, close_seconds, expected_value, revenue, cost)
       SELECT tenant_id, ${month}, source_id, sub_source_id, SUM(leads), SUM(contacted), SUM(qualified), SUM(converted), SUM(lost),
              SUM(close_seconds), SUM(expected_value), SUM(revenue), SUM(cost)
         FROM lead_daily_stats
        GROUP BY tenant_id, ${month}, source_id, sub_source_id`,
    );
    await caseSensitiveTenantIds(qr);
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropTable('lead_monthly_stats');
  }
}
