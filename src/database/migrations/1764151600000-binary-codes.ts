import { MigrationInterface, QueryRunner } from 'typeorm';
import { assertNoCaseClashes, binaryCollation, defaultCollation } from '../migration-helpers';

/**
 * Text that identifies something compares and sorts by bytes on every engine (docs/conventions.md, "Text, codes and
 * order"): the codes of configuration rows and campaigns (their ORDER BY ties then agree: `A1` < `A10` <
 * `A_1`), a lead's `lead_code` (`CRM-1` and `crm-1` are two leads) and the audit log's filters. On
 * MySQL/MariaDB these columns become `utf8mb4_bin`; SQLite compares bytes already (nothing to do).
 *
 * Each table is rebuilt once on MySQL (the column is in an index): `leads` and `audit_log` are the large
 * ones; run `npm run migration:run` before starting the release (no statement timeout there).
 * `lead_milestones.type_code` stays as it is: a snapshot shown in answers, never compared or sorted in SQL.
 */
export const BINARY_TEXT_COLUMNS: Record<string, string[]> = {
  tenant_lead_sources: ['source_code'],
  tenant_lead_subsources: ['sub_source_code'],
  tenant_lead_channels: ['channel_code'],
  tenant_milestone_types: ['type_code'],
  tenant_campaign_types: ['type_code'],
  tenant_campaign_channels: ['channel_code'],
  tenant_campaign_statuses: ['status_code'],
  tenant_campaign_budget_types: ['budget_type_code'],
  campaigns: ['campaign_code'],
  leads: ['lead_code'],
  audit_log: ['entity_type', 'entity_key'],
};

export class BinaryCodes1764151600000 implements MigrationInterface {
  name = 'BinaryCodes1764151600000';

  async up(qr: QueryRunner): Promise<void> {
    for (const [table, columns] of Object.entries(BINARY_TEXT_COLUMNS)) await binaryCollation(qr, table, columns);
  }

  async down(qr: QueryRunner): Promise<void> {
    // Live lead codes that differ only in case are two leads now; the default collation would merge
    // them (configuration codes are upper-case only, audit keys have no unique key).
    await assertNoCaseClashes(qr, 'leads', ['tenant_id'], 'lead_code');
    for (const [table, columns] of Object.entries(BINARY_TEXT_COLUMNS).reverse()) await defaultCollation(qr, table, columns);
  }
}
