import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';
import { bool, date, decimal, index, indexName, int, json, liveUnique, tenantOwnedColumns, text, varchar } from '../migration-helpers';

/** Plain unique key (rows that are never soft-deleted on their own). */
const unique = (table: string, columns: string[]) => new TableIndex({ name: indexName('ux', table, columns), columnNames: columns, isUnique: true });

/** Campaign configuration, campaigns, their channel allocations and daily per-channel metrics (API.md §5). */
export class CreateCampaigns1764150200000 implements MigrationInterface {
  name = 'CreateCampaigns1764150200000';

  async up(qr: QueryRunner): Promise<void> {
    await qr.createTable(
      new Table({
        name: 'tenant_campaign_types',
        columns: [
          ...tenantOwnedColumns(),
          varchar('type_code', 50),
          varchar('type_name', 100),
          text('description'),
          varchar('icon', 100, true),
          varchar('color_hex', 7, true),
          int('display_order', { default: 0 }),
          bool('is_active', true),
          bool('is_default', false),
          int('typical_duration_days', { nullable: true }),
          decimal('min_budget', { nullable: true }),
          decimal('max_budget', { nullable: true }),
          decimal('recommended_budget', { nullable: true }),
          json('metadata'),
        ],
        indices: [liveUnique('tenant_campaign_types', ['tenant_id', 'type_code'])],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'tenant_campaign_channels',
        columns: [
          ...tenantOwnedColumns(),
          varchar('channel_code', 50),
          varchar('channel_name', 100),
          text('description'),
          varchar('icon', 100, true),
          int('display_order', { default: 0 }),
          bool('is_active', true),
          bool('is_default', false),
          decimal('average_cpl', { nullable: true }),
          decimal('average_cpm', { nullable: true }),
          decimal('average_roi', { nullable: true }),
          text('integration_key_sealed'),
          varchar('integration_key_last4', 4, true),
          json('integration_data'),
        ],
        indices: [liveUnique('tenant_campaign_channels', ['tenant_id', 'channel_code'])],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'tenant_campaign_statuses',
        columns: [
          ...tenantOwnedColumns(),
          varchar('status_code', 50),
          varchar('status_name', 100),
          text('description'),
          varchar('color_hex', 7, true),
          int('display_order', { default: 0 }),
          bool('is_active', true),
          bool('is_initial', false),
          bool('is_final', false),
          bool('allows_editing', true),
          json('allowed_transitions'),
        ],
        indices: [liveUnique('tenant_campaign_statuses', ['tenant_id', 'status_code'])],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'tenant_campaign_budget_types',
        columns: [
          ...tenantOwnedColumns(),
          varchar('budget_type_code', 50),
          varchar('budget_type_name', 100),
          text('description'),
          int('display_order', { default: 0 }),
          bool('is_active', true),
        ],
        indices: [liveUnique('tenant_campaign_budget_types', ['tenant_id', 'budget_type_code'])],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'tenant_campaign_templates',
        columns: [
          ...tenantOwnedColumns(),
          varchar('template_name', 100),
          int('campaign_type_id'),
          text('description'),
          json('default_channels'),
          decimal('default_budget', { nullable: true }),
          int('default_budget_type_id', { nullable: true }),
          int('default_duration_days', { nullable: true }),
          json('target_audience'),
          json('kpis'),
          bool('is_active', true),
          bool('is_default', false),
        ],
        indices: [index('tenant_campaign_templates', ['tenant_id', 'campaign_type_id'])],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'campaigns',
        columns: [
          ...tenantOwnedColumns(),
          varchar('campaign_code', 50),
          varchar('campaign_name', 100),
          int('campaign_type_id'),
          int('status_id'),
          int('budget_type_id', { nullable: true }),
          decimal('budget', { nullable: true }),
          date('start_date'),
          date('end_date', true),
          json('target_audience'),
          json('kpis'),
          int('template_id', { nullable: true }),
          decimal('total_spent', { precision: 16, default: 0 }),
          int('total_leads', { default: 0 }),
          int('total_conversions', { default: 0 }),
          decimal('total_revenue', { precision: 16, default: 0 }),
        ],
        indices: [
          liveUnique('campaigns', ['tenant_id', 'campaign_code']),
          index('campaigns', ['tenant_id', 'deleted_at', 'start_date']),
          index('campaigns', ['tenant_id', 'campaign_type_id']),
          index('campaigns', ['tenant_id', 'status_id']),
        ],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'campaign_channels',
        columns: [...tenantOwnedColumns(), int('campaign_id'), int('channel_id'), decimal('allocated_budget', { default: 0 })],
        indices: [liveUnique('campaign_channels', ['tenant_id', 'campaign_id', 'channel_id']), index('campaign_channels', ['tenant_id', 'channel_id'])],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'campaign_channel_metrics',
        columns: [
          ...tenantOwnedColumns(),
          int('campaign_id'),
          int('channel_id'),
          date('metric_day'),
          int('impressions', { default: 0 }),
          int('clicks', { default: 0 }),
          int('leads_generated', { default: 0 }),
          int('conversions', { default: 0 }),
          decimal('spend', { default: 0 }),
          decimal('revenue', { default: 0 }),
        ],
        indices: [
          unique('campaign_channel_metrics', ['tenant_id', 'campaign_id', 'channel_id', 'metric_day']),
          index('campaign_channel_metrics', ['tenant_id', 'metric_day', 'channel_id']),
        ],
      }),
    );
  }

  async down(qr: QueryRunner): Promise<void> {
    for (const table of [
      'campaign_channel_metrics',
      'campaign_channels',
      'campaigns',
      'tenant_campaign_templates',
      'tenant_campaign_budget_types',
      'tenant_campaign_statuses',
      'tenant_campaign_channels',
      'tenant_campaign_types',
    ]) {
      await qr.dropTable(table);
    }
  }
}
