import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';
import { assertIdsUnique, caseSensitiveTenantIds, isMysql, PerTenantKeyChange, perTenantKeys, varchar } from '../migration-helpers';

/**
 * Ids numbered per tenant (src/tenancy/id-sequences.ts): a shared AUTO_INCREMENT told every tenant how
 * many rows all the others wrote, and an INT key of a large deployment's lead milestones would run out.
 *
 * - Every table with its own id is keyed by `(tenant_id, id)`, without AUTO_INCREMENT; ids and the
 *   columns that hold ids become BIGINT (rollup keys too).
 * - `id_sequences` holds each tenant's last id per table, started at the tenant's largest id there:
 *   rows keep their ids (links and stored references stay valid), new rows continue from them.
 *
 * On MySQL/MariaDB the type change copies each table and writes to it wait meanwhile (README, upgrade
 * notes, for timings at 1M leads): stop the previous release first, since its inserts rely on
 * AUTO_INCREMENT, and run `npm run migration:run` (no statement timeout).
 */
export const PER_TENANT_KEYS: Record<string, PerTenantKeyChange> = {
  tenant_lead_sources: { ownId: true, references: [] },
  tenant_lead_subsources: { ownId: true, references: ['source_id'] },
  tenant_lead_channels: { ownId: true, references: [] },
  tenant_milestone_types: { ownId: true, references: [] },
  tenant_milestone_templates: { ownId: true, references: [] },
  tenant_campaign_types: { ownId: true, references: [] },
  tenant_campaign_channels: { ownId: true, references: [] },
  tenant_campaign_statuses: { ownId: true, references: [] },
  tenant_campaign_budget_types: { ownId: true, references: [] },
  tenant_campaign_templates: { ownId: true, references: ['campaign_type_id', 'default_budget_type_id'] },
  campaigns: { ownId: true, references: ['campaign_type_id', 'status_id', 'budget_type_id', 'template_id'] },
  campaign_channels: { ownId: true, references: ['campaign_id', 'channel_id'] },
  campaign_channel_metrics: { ownId: true, references: ['campaign_id', 'channel_id'] },
  leads: { ownId: true, references: ['source_id', 'sub_source_id', 'channel_id', 'campaign_id'] },
  lead_milestones: { ownId: true, references: ['lead_id', 'milestone_type_id', 'previous_type_id'] },
  audit_log: {
    ownId: true,
    references: [],
    redundantIndexes: [new TableIndex({ name: 'ix_audit_log__id', columnNames: ['tenant_id', 'id'] })],
  },
  lead_daily_stats: { ownId: false, references: ['source_id', 'sub_source_id'] },
  lead_monthly_stats: { ownId: false, references: ['source_id', 'sub_source_id'] },
  campaign_metric_daily_stats: { ownId: false, references: ['campaign_type_id', 'channel_id'] },
  milestone_daily_stats: { ownId: false, references: ['milestone_type_id'] },
  milestone_transition_stats: { ownId: false, references: ['from_type_id', 'to_type_id'] },
  milestone_transition_leads: { ownId: false, references: ['from_type_id', 'to_type_id'] },
  milestone_transition_months: { ownId: false, references: ['from_type_id', 'to_type_id'] },
};

export class PerTenantIds1764151700000 implements MigrationInterface {
  name = 'PerTenantIds1764151700000';

  async up(qr: QueryRunner): Promise<void> {
    for (const [table, change] of Object.entries(PER_TENANT_KEYS)) await perTenantKeys(qr, table, change);
    await qr.createTable(
      new Table({
        name: 'id_sequences',
        columns: [
          { ...varchar('tenant_id', 64), isPrimary: true },
          { ...varchar('table_name', 64), isPrimary: true },
          { name: 'last_id', type: 'bigint', isNullable: false, default: 0 },
        ],
      }),
    );
    await caseSensitiveTenantIds(qr);
    const q = isMysql(qr) ? (n: string) => `\`${n}\`` : (n: string) => `"${n}"`;
    for (const [table, change] of Object.entries(PER_TENANT_KEYS)) {
      if (!change.ownId) continue;
      await qr.query(
        `INSERT INTO id_sequences (tenant_id, table_name, last_id) SELECT t.id, ?, ` +
          `COALESCE((SELECT MAX(r.id) FROM ${q(table)} r WHERE r.tenant_id = t.id), 0) FROM tenants t`,
        [table],
      );
    }
  }

  async down(qr: QueryRunner): Promise<void> {
    const tables = Object.entries(PER_TENANT_KEYS).reverse();
    for (const [table, change] of tables) if (change.ownId) await assertIdsUnique(qr, table);
    await qr.dropTable('id_sequences');
    for (const [table, change] of tables) await perTenantKeys(qr, table, change, true);
  }
}
