import { MigrationInterface, QueryRunner, Table, TableColumnOptions } from 'typeorm';
import { caseSensitiveTenantIds, date, timestamp, varchar } from '../migration-helpers';

const key = (column: TableColumnOptions): TableColumnOptions => ({ ...column, isPrimary: true });
const bigintId = (name: string, nullable = false): TableColumnOptions => ({ name, type: 'bigint', isNullable: nullable });

/**
 * SLA breaches by time (docs/milestones.md "SLA breaches"):
 * - `sla_breaches`: one row per breach announced, keyed by (tenant, lead, expected type, the day the
 *   lead entered its stage). Its primary key is the claim: of the writers that race to announce the
 *   same breach (the scan on several instances, the recording of a late milestone), the one whose
 *   insert lands announces it; the others find the key taken.
 * - `sla_scan_progress`: how far the daily pass of the scan has come in each tenant (the day and
 *   the last lead id done), shared by every instance so that they split the work instead of repeating it.
 */
export class CreateSlaBreaches1764151900000 implements MigrationInterface {
  name = 'CreateSlaBreaches1764151900000';

  async up(qr: QueryRunner): Promise<void> {
    await qr.createTable(
      new Table({
        name: 'sla_breaches',
        columns: [
          key(varchar('tenant_id', 64)),
          key(bigintId('lead_id')),
          key(bigintId('milestone_type_id')),
          key(date('entered_on')),
          varchar('type_code', 50),
          date('due_on'),
          varchar('detected_by', 16),
          bigintId('milestone_id', true),
          timestamp('created_at'),
        ],
      }),
      true,
    );
    await qr.createTable(
      new Table({
        name: 'sla_scan_progress',
        columns: [key(varchar('tenant_id', 64)), date('day'), bigintId('after_lead_id')],
      }),
      true,
    );
    await caseSensitiveTenantIds(qr);
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropTable('sla_scan_progress');
    await qr.dropTable('sla_breaches');
  }
}
