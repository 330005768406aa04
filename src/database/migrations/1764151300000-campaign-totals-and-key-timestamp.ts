import { MigrationInterface, QueryRunner, TableColumn, TableColumnOptions } from 'typeorm';
import { decimal, int, timestamp } from '../migration-helpers';

const bigint = (name: string): TableColumnOptions => ({ name, type: 'bigint', isNullable: false, default: 0 });

/** Each pair: the column as 1764150200000 built it, and as it is now. */
const TOTALS: [TableColumnOptions, TableColumnOptions][] = [
  [decimal('total_spent', { precision: 16, default: 0 }), decimal('total_spent', { precision: 18, default: 0 })],
  [int('total_leads', { default: 0 }), bigint('total_leads')],
  [int('total_conversions', { default: 0 }), bigint('total_conversions')],
  [decimal('total_revenue', { precision: 16, default: 0 }), decimal('total_revenue', { precision: 18, default: 0 })],
];

const KEY_UPDATED_AT = timestamp('integration_key_updated_at', true);

/**
 * A campaign's running totals sum its metric rows, each of which may hold a count up to 2,147,483,647
 * and money up to 999,999,999,999: the counts become BIGINT and the money DECIMAL(18,2), like the
 * daily rollup's columns. The metric service keeps each total within what a JS number holds exactly.
 * Campaign channels get `integration_key_updated_at`, when the write-only key was last set or removed.
 */
export class CampaignTotalsAndKeyTimestamp1764151300000 implements MigrationInterface {
  name = 'CampaignTotalsAndKeyTimestamp1764151300000';

  async up(qr: QueryRunner): Promise<void> {
    await qr.changeColumns(
      'campaigns',
      TOTALS.map(([before, after]) => ({ oldColumn: new TableColumn(before), newColumn: new TableColumn(after) })),
    );
    await qr.addColumn('tenant_campaign_channels', new TableColumn(KEY_UPDATED_AT));
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropColumn('tenant_campaign_channels', KEY_UPDATED_AT.name);
    await qr.changeColumns(
      'campaigns',
      TOTALS.map(([before, after]) => ({ oldColumn: new TableColumn(after), newColumn: new TableColumn(before) })),
    );
  }
}
