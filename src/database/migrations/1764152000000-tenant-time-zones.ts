import { MigrationInterface, QueryRunner, Table, TableColumn, TableColumnOptions } from 'typeorm';
import { alterTableOnline, caseSensitiveTenantIds, int, isMysql, timestamp, varchar } from '../migration-helpers';

const key = (column: TableColumnOptions): TableColumnOptions => ({ ...column, isPrimary: true });

/** The rollups keyed by a day derived from a lead's created_at, and their key after tenant_id and generation. */
const ZONED_ROLLUPS: { table: string; key: string[] }[] = [
  { table: 'lead_daily_stats', key: ['day', 'source_id', 'sub_source_id'] },
  { table: 'lead_monthly_stats', key: ['month', 'source_id', 'sub_source_id'] },
  { table: 'milestone_daily_stats', key: ['day', 'milestone_type_id'] },
];

/**
 * Tenant time zones (docs/time-zones.md):
 * - `tenant_settings`: one row per tenant (time zone, first day of the week, and the state of a zone
 *   change being applied), filled here with UTC and Monday for every tenant registered so far, which
 *   are the days the service has used until now: no stored day changes.
 * - the rollups whose day comes from a lead's created_at get `generation` in their key, after
 *   `tenant_id`: a change of zone builds the new days beside the old ones and reads switch at once.
 *   Every row stored so far is generation 0, the one the new settings rows name.
 * - `tenant_lead_subsources.last_activity_at`: the instant behind last_activity_date, whose day is taken
 *   again in a new zone. Filled from the latest lead on the subsource when its UTC day is the stored
 *   date; otherwise (that lead moved to another subsource) the start of the stored UTC day.
 */
export class TenantTimeZones1764152000000 implements MigrationInterface {
  name = 'TenantTimeZones1764152000000';

  async up(qr: QueryRunner): Promise<void> {
    await qr.createTable(
      new Table({
        name: 'tenant_settings',
        columns: [
          key(varchar('tenant_id', 64)),
          varchar('time_zone', 64),
          varchar('week_start', 9),
          int('version', { default: 1 }),
          timestamp('created_at'),
          timestamp('updated_at'),
          varchar('created_by', 128),
          varchar('updated_by', 128),
          varchar('days_time_zone', 64),
          int('generation', { default: 0 }),
          int('recompute_generation', { nullable: true }),
          { name: 'recomputed_through_lead_id', type: 'bigint', isNullable: false, default: 0 },
          timestamp('recompute_started_at', true),
          int('last_generation', { default: 0 }),
          timestamp('retired_at', true),
        ],
      }),
      true,
    );
    // A DATETIME literal both engines take (SQLite keeps the text; TypeORM writes the same form there).
    const now = new Date().toISOString().replace('T', ' ').replace('Z', '');
    const tenants: { id: string }[] = await qr.query('SELECT id FROM tenants');
    for (let i = 0; i < tenants.length; i += 200) {
      const part = tenants.slice(i, i + 200);
      await qr.query(
        `INSERT INTO tenant_settings (tenant_id, time_zone, week_start, version, created_at, updated_at, created_by, updated_by, days_time_zone, generation, recomputed_through_lead_id)
         VALUES ${part.map(() => "(?, 'UTC', 'monday', 1, ?, ?, 'system', 'system', 'UTC', 0, 0)").join(', ')}`,
        part.flatMap((t) => [t.id, now, now]),
      );
    }
    await caseSensitiveTenantIds(qr);

    if (isMysql(qr)) await alterTableOnline(qr, 'tenant_lead_subsources', ['ADD COLUMN `last_activity_at` DATETIME(3) NULL']);
    else await qr.addColumn('tenant_lead_subsources', new TableColumn(timestamp('last_activity_at', true)));
    const active: { tenant_id: string; id: number | string; day: string | Date }[] = await qr.query(
      'SELECT tenant_id, id, last_activity_date AS day FROM tenant_lead_subsources WHERE last_activity_date IS NOT NULL',
    );
    for (const sub of active) {
      const day = sub.day instanceof Date ? sub.day.toISOString().slice(0, 10) : String(sub.day).slice(0, 10);
      const [latest]: { at: string | Date | null }[] = await qr.query('SELECT MAX(created_at) AS at FROM leads WHERE tenant_id = ? AND sub_source_id = ?', [
        sub.tenant_id,
        sub.id,
      ]);
      const at = latest?.at ? (latest.at instanceof Date ? latest.at.toISOString() : `${String(latest.at).replace(' ', 'T')}Z`) : null;
      const instant = at !== null && at.slice(0, 10) === day ? at : `${day}T00:00:00.000Z`;
      await qr.query('UPDATE tenant_lead_subsources SET last_activity_at = ? WHERE tenant_id = ? AND id = ?', [
        instant.replace('T', ' ').replace('Z', ''),
        sub.tenant_id,
        sub.id,
      ]);
    }

    for (const { table, key: rest } of ZONED_ROLLUPS) {
      if (isMysql(qr)) {
        const columns = ['tenant_id', 'generation', ...rest].map((c) => `\`${c}\``).join(', ');
        await alterTableOnline(qr, table, [
          'ADD COLUMN `generation` INT NOT NULL DEFAULT 0 AFTER `tenant_id`',
          'DROP PRIMARY KEY',
          `ADD PRIMARY KEY (${columns})`,
        ]);
      } else {
        // SQLite rebuilds the table with the new column in its key.
        await qr.addColumn(table, new TableColumn({ ...int('generation', { default: 0 }), isPrimary: true }));
      }
    }
  }

  async down(qr: QueryRunner): Promise<void> {
    for (const { table, key: rest } of ZONED_ROLLUPS) {
      // Only the rows reads use stay (a tenant's other generation is a change of zone in progress or retired).
      await qr.query(
        `DELETE FROM ${table} WHERE generation <> COALESCE((SELECT s.generation FROM tenant_settings s WHERE s.tenant_id = ${table}.tenant_id), 0)`,
      );
      if (isMysql(qr)) {
        const columns = ['tenant_id', ...rest].map((c) => `\`${c}\``).join(', ');
        await qr.query(`ALTER TABLE \`${table}\` DROP PRIMARY KEY, DROP COLUMN \`generation\`, ADD PRIMARY KEY (${columns})`);
      } else {
        await qr.dropColumn(table, 'generation');
      }
    }
    if (isMysql(qr)) await qr.query('ALTER TABLE `tenant_lead_subsources` DROP COLUMN `last_activity_at`');
    else await qr.dropColumn('tenant_lead_subsources', 'last_activity_at');
    await qr.dropTable('tenant_settings');
  }
}
