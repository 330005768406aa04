import { MigrationInterface, QueryRunner, Table } from 'typeorm';
import { bool, date, decimal, index, int, json, liveUnique, tenantOwnedColumns, text, varchar } from '../migration-helpers';

export class CreateLeadSources1764150100000 implements MigrationInterface {
  name = 'CreateLeadSources1764150100000';

  async up(qr: QueryRunner): Promise<void> {
    await qr.createTable(
      new Table({
        name: 'tenant_lead_sources',
        columns: [
          ...tenantOwnedColumns(),
          varchar('source_code', 50),
          varchar('source_name', 100),
          varchar('source_type', 16),
          text('description'),
          varchar('icon', 100, true),
          varchar('color_hex', 7, true),
          int('display_order', { default: 0 }),
          bool('is_active', true),
          bool('is_default', false),
          json('metadata'),
          int('leads_generated', { default: 0 }),
          int('conversion_count', { default: 0 }),
        ],
        indices: [liveUnique('tenant_lead_sources', ['tenant_id', 'source_code']), index('tenant_lead_sources', ['tenant_id', 'display_order'])],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'tenant_lead_subsources',
        columns: [
          ...tenantOwnedColumns(),
          int('source_id'),
          varchar('sub_source_code', 50),
          varchar('sub_source_name', 100),
          text('description'),
          varchar('icon', 100, true),
          int('display_order', { default: 0 }),
          bool('is_active', true),
          decimal('cost_per_lead', { default: 0 }),
          json('metadata'),
          int('leads_generated', { default: 0 }),
          int('conversion_count', { default: 0 }),
          decimal('total_cost', { precision: 16, default: 0 }),
          date('last_activity_date', true),
        ],
        indices: [liveUnique('tenant_lead_subsources', ['tenant_id', 'source_id', 'sub_source_code'])],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'tenant_lead_channels',
        columns: [
          ...tenantOwnedColumns(),
          varchar('channel_code', 50),
          varchar('channel_name', 100),
          text('description'),
          varchar('icon', 100, true),
          int('display_order', { default: 0 }),
          bool('is_active', true),
        ],
        indices: [liveUnique('tenant_lead_channels', ['tenant_id', 'channel_code'])],
      }),
    );
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropTable('tenant_lead_channels');
    await qr.dropTable('tenant_lead_subsources');
    await qr.dropTable('tenant_lead_sources');
  }
}
