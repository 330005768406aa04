import { MigrationInterface, QueryRunner, Table } from 'typeorm';
import { date, decimal, index, int, liveUnique, tenantOwnedColumns, timestamp, varchar } from '../migration-helpers';

export class CreateLeads1764150300000 implements MigrationInterface {
  name = 'CreateLeads1764150300000';

  async up(qr: QueryRunner): Promise<void> {
    await qr.createTable(
      new Table({
        name: 'leads',
        columns: [
          ...tenantOwnedColumns(),
          varchar('lead_code', 100, true),
          int('source_id'),
          int('sub_source_id', { nullable: true }),
          int('channel_id', { nullable: true }),
          int('campaign_id', { nullable: true }),
          varchar('status', 16),
          decimal('expected_value', { default: 0 }),
          decimal('converted_value', { nullable: true }),
          decimal('acquisition_cost', { default: 0 }),
          timestamp('contacted_at', true),
          timestamp('qualified_at', true),
          timestamp('converted_at', true),
          timestamp('lost_at', true),
        ],
        indices: [
          liveUnique('leads', ['tenant_id', 'lead_code']),
          index('leads', ['tenant_id', 'created_at', 'id']),
          index('leads', ['tenant_id', 'source_id', 'created_at']),
          index('leads', ['tenant_id', 'campaign_id']),
        ],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'lead_daily_stats',
        columns: [
          { ...varchar('tenant_id', 64), isPrimary: true },
          { ...date('day'), isPrimary: true },
          { ...int('source_id'), isPrimary: true },
          { ...int('sub_source_id'), isPrimary: true },
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
    );
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropTable('lead_daily_stats');
    await qr.dropTable('leads');
  }
}
