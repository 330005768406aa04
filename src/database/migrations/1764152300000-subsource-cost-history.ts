import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';
import { caseSensitiveTenantIds, date, decimal, indexName, perTenantKeyedColumns } from '../migration-helpers';

const TABLE = 'lead_subsource_costs';

/** The tables this migration creates keyed by `(tenant_id, id)` from the start (numbered by id_sequences). */
export const PER_TENANT_TABLES = [TABLE];

/**
 * Subsource cost history (API.md §3 "Subsource costs"): `lead_subsource_costs` holds each subsource's
 * cost_per_lead by the day it is in force from (NULL: from the beginning), unique per subsource and day.
 * Every subsource stored so far, deleted ones included, gets one entry from the beginning with its
 * current cost_per_lead, the entry's id being the subsource's own (unique in its tenant), and each
 * tenant's id sequence of the table starts after the largest.
 */
export class SubsourceCostHistory1764152300000 implements MigrationInterface {
  name = 'SubsourceCostHistory1764152300000';

  async up(qr: QueryRunner): Promise<void> {
    await qr.createTable(
      new Table({
        name: TABLE,
        columns: [...perTenantKeyedColumns(), { name: 'sub_source_id', type: 'bigint', isNullable: false }, date('valid_from', true), decimal('cost_per_lead')],
        indices: [
          new TableIndex({
            name: indexName('ux', TABLE, ['sub_source_id', 'valid_from']),
            columnNames: ['tenant_id', 'sub_source_id', 'valid_from'],
            isUnique: true,
          }),
        ],
      }),
    );
    await caseSensitiveTenantIds(qr);
    // A DATETIME literal both engines take (SQLite keeps the text; TypeORM writes the same form there).
    const now = new Date().toISOString().replace('T', ' ').replace('Z', '');
    await qr.query(
      `INSERT INTO ${TABLE} (tenant_id, id, created_at, updated_at, created_by, updated_by, version, sub_source_id, valid_from, cost_per_lead)
       SELECT tenant_id, id, ?, ?, 'system', 'system', 1, id, NULL, cost_per_lead FROM tenant_lead_subsources`,
      [now, now],
    );
    await qr.query(`INSERT INTO id_sequences (tenant_id, table_name, last_id) SELECT tenant_id, ?, MAX(id) FROM ${TABLE} GROUP BY tenant_id`, [TABLE]);
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.query('DELETE FROM id_sequences WHERE table_name = ?', [TABLE]);
    await qr.dropTable(TABLE);
  }
}
