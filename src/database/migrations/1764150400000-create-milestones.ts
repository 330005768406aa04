import { MigrationInterface, QueryRunner, Table, TableColumnOptions } from 'typeorm';
import { bool, date, decimal, index, int, json, liveUnique, tenantOwnedColumns, text, varchar } from '../migration-helpers';

/** A primary-key column of a rollup table (every rollup key leads with tenant_id). */
const key = (column: TableColumnOptions): TableColumnOptions => ({ ...column, isPrimary: true });

export class CreateMilestones1764150400000 implements MigrationInterface {
  name = 'CreateMilestones1764150400000';

  async up(qr: QueryRunner): Promise<void> {
    await qr.createTable(
      new Table({
        name: 'tenant_milestone_types',
        columns: [
          ...tenantOwnedColumns(),
          varchar('type_code', 50),
          varchar('type_name', 100),
          varchar('category', 16),
          text('description'),
          varchar('icon', 100, true),
          varchar('color_hex', 7, true),
          int('display_order', { default: 0 }),
          bool('is_active', true),
          bool('is_required', false),
          bool('is_mandatory', false),
          int('typical_duration_days', { nullable: true }),
          int('sla_days', { nullable: true }),
          bool('allows_attachment', true),
          bool('allows_location', true),
          bool('allows_notes', true),
          json('metadata'),
        ],
        indices: [liveUnique('tenant_milestone_types', ['tenant_id', 'type_code']), index('tenant_milestone_types', ['tenant_id', 'display_order'])],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'tenant_milestone_templates',
        columns: [
          ...tenantOwnedColumns(),
          varchar('template_name', 100),
          varchar('template_type', 16),
          text('description'),
          bool('is_active', true),
          bool('is_default', false),
          json('sequence'),
          int('estimated_days', { default: 0 }),
        ],
        indices: [index('tenant_milestone_templates', ['tenant_id', 'template_type', 'is_default'])],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'lead_milestones',
        columns: [
          ...tenantOwnedColumns(),
          int('lead_id'),
          int('milestone_type_id'),
          varchar('type_code', 50),
          varchar('type_name', 100),
          date('achieved_date'),
          varchar('achieved_time', 8, true),
          varchar('status', 16),
          text('notes'),
          { ...decimal('location_latitude', { precision: 9, nullable: true }), scale: 6 },
          { ...decimal('location_longitude', { precision: 9, nullable: true }), scale: 6 },
          varchar('location_name', 200, true),
          int('duration_minutes', { nullable: true }),
          varchar('outcome', 16, true),
          bool('follow_up_required', false),
          date('follow_up_date', true),
          json('document_urls'),
          json('metadata'),
          varchar('completed_by', 128, true),
          // The lead's chain, kept by every write of the lead's milestones (null on the first).
          int('days_from_previous', { nullable: true }),
          int('previous_type_id', { nullable: true }),
          date('pair_previous_date', true),
        ],
        indices: [index('lead_milestones', ['tenant_id', 'lead_id', 'achieved_date'])],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'milestone_daily_stats',
        columns: [
          key(varchar('tenant_id', 64)),
          key(date('day')),
          key(int('milestone_type_id')),
          int('milestones', { default: 0 }),
          int('completed', { default: 0 }),
          int('in_progress', { default: 0 }),
          int('skipped', { default: 0 }),
          int('failed', { default: 0 }),
          int('follow_ups', { default: 0 }),
          int('days_to_hit', { default: 0 }),
        ],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'milestone_transition_stats',
        columns: [
          key(varchar('tenant_id', 64)),
          key(date('day')),
          key(int('from_type_id')),
          key(int('to_type_id')),
          key(int('days')),
          int('transitions', { default: 0 }),
          int('completed', { default: 0 }),
        ],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'milestone_transition_leads',
        columns: [
          key(varchar('tenant_id', 64)),
          key(date('day')),
          key(int('from_type_id')),
          key(int('to_type_id')),
          key(date('previous_date')),
          int('leads', { default: 0 }),
        ],
      }),
    );
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropTable('milestone_transition_leads');
    await qr.dropTable('milestone_transition_stats');
    await qr.dropTable('milestone_daily_stats');
    await qr.dropTable('lead_milestones');
    await qr.dropTable('tenant_milestone_templates');
    await qr.dropTable('tenant_milestone_types');
  }
}
