import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';
import { textKey } from '../../common/text/text-key';
import { fillNameKeys, nameKeyColumn } from '../migration-helpers';

/**
 * Every configuration table and both template tables get `name_key`, the name as search and list
 * order compare it (textKey: case, accents and width ignored), stored and compared as bytes on both
 * engines (docs/conventions.md, "Text, codes and order"). Existing rows get their keys here, computed in JavaScript
 * in batches. Small tables (a few dozen rows per tenant).
 */
export const NAMED_TABLES: Record<string, string> = {
  tenant_lead_sources: 'source_name',
  tenant_lead_subsources: 'sub_source_name',
  tenant_lead_channels: 'channel_name',
  tenant_milestone_types: 'type_name',
  tenant_milestone_templates: 'template_name',
  tenant_campaign_types: 'type_name',
  tenant_campaign_channels: 'channel_name',
  tenant_campaign_statuses: 'status_name',
  tenant_campaign_budget_types: 'budget_type_name',
  tenant_campaign_templates: 'template_name',
};

export class NameKeys1764151600001 implements MigrationInterface {
  name = 'NameKeys1764151600001';

  async up(qr: QueryRunner): Promise<void> {
    for (const [table, nameColumn] of Object.entries(NAMED_TABLES)) {
      await qr.addColumn(table, new TableColumn(nameKeyColumn(qr)));
      await fillNameKeys(qr, table, nameColumn, textKey);
    }
  }

  async down(qr: QueryRunner): Promise<void> {
    for (const table of Object.keys(NAMED_TABLES).reverse()) await qr.dropColumn(table, 'name_key');
  }
}
