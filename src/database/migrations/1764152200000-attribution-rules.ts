import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';
import { textKey } from '../../common/text/text-key';
import { binaryCollation, bool, caseSensitiveTenantIds, indexName, int, isMysql, varchar, perTenantKeyedColumns } from '../migration-helpers';

/** The code every tenant's unmapped volume goes under: a lead source and its one subsource. */
export const UNMAPPED = { code: 'UNMAPPED', name: 'Unmapped', sourceType: 'direct' } as const;

/** The tables this migration creates keyed by `(tenant_id, id)` from the start (numbered by id_sequences). */
export const PER_TENANT_TABLES = ['attribution_rules'];

/** The code columns of attribution_rules: compared as bytes, like every code (docs/conventions.md). */
const CODE_COLUMNS = ['source_code', 'sub_source_code', 'channel_code', 'campaign_code', 'campaign_channel_code'];

/** `(tenant_id, id)` BIGINT keys, tenant_id first (as CreateWebhooks1764151800000 makes them). */
/** Rows inserted per statement. */
const BATCH = 200;

/**
 * Attribution mapping rules (docs/attribution.md, "Mapping rules"):
 * - `attribution_rules`: per tenant, numbered by id_sequences; match conditions as value + mode
 *   columns, what a rule resolves to as codes.
 * - every tenant registered so far gets the lead source UNMAPPED ("Unmapped", direct, displayed after
 *   its live sources, a default) with its subsource UNMAPPED, as registration now seeds them. A tenant
 *   that already has a live source coded UNMAPPED keeps it and gets only the subsource, when missing.
 *   Ids continue each tenant's numbering (id_sequences).
 *
 * `down` drops the table and removes the UNMAPPED subsources and sources that were seeded (by this
 * migration or at registration: created by `system`) and that no lead and no touch names (a touch
 * keeps the source and subsource its credit went to, and the attribution rollups name them too:
 * lead_touches, of the migration before, is still there). Those that leads or touches name stay,
 * ordinary rows of the schema before, as do a tenant's own UNMAPPED rows.
 */
export class AttributionRules1764152200000 implements MigrationInterface {
  name = 'AttributionRules1764152200000';

  async up(qr: QueryRunner): Promise<void> {
    await qr.createTable(
      new Table({
        name: 'attribution_rules',
        columns: [
          ...perTenantKeyedColumns(),
          varchar('name', 100),
          int('priority'),
          bool('is_active', true),
          varchar('utm_source_value', 255, true),
          varchar('utm_source_match', 8, true),
          varchar('utm_medium_value', 255, true),
          varchar('utm_medium_match', 8, true),
          varchar('utm_campaign_value', 255, true),
          varchar('utm_campaign_match', 8, true),
          varchar('source_code', 50),
          varchar('sub_source_code', 50, true),
          varchar('channel_code', 50, true),
          varchar('campaign_code', 50, true),
          varchar('campaign_channel_code', 50, true),
        ],
        indices: [new TableIndex({ name: indexName('ix', 'attribution_rules', ['priority', 'id']), columnNames: ['tenant_id', 'priority', 'id'] })],
      }),
    );
    await binaryCollation(qr, 'attribution_rules', CODE_COLUMNS);
    await caseSensitiveTenantIds(qr);
    await seedUnmapped(qr);
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropTable('attribution_rules');
    await qr.query(
      'DELETE FROM tenant_lead_subsources WHERE sub_source_code = ? AND created_by = ? ' +
        'AND NOT EXISTS (SELECT 1 FROM leads WHERE leads.tenant_id = tenant_lead_subsources.tenant_id AND leads.sub_source_id = tenant_lead_subsources.id) ' +
        'AND NOT EXISTS (SELECT 1 FROM lead_touches t WHERE t.tenant_id = tenant_lead_subsources.tenant_id AND t.sub_source_id = tenant_lead_subsources.id)',
      [UNMAPPED.code, 'system'],
    );
    await qr.query(
      'DELETE FROM tenant_lead_sources WHERE source_code = ? AND created_by = ? ' +
        'AND NOT EXISTS (SELECT 1 FROM leads WHERE leads.tenant_id = tenant_lead_sources.tenant_id AND leads.source_id = tenant_lead_sources.id) ' +
        'AND NOT EXISTS (SELECT 1 FROM lead_touches t WHERE t.tenant_id = tenant_lead_sources.tenant_id AND t.source_id = tenant_lead_sources.id) ' +
        'AND NOT EXISTS (SELECT 1 FROM tenant_lead_subsources WHERE tenant_lead_subsources.tenant_id = tenant_lead_sources.tenant_id AND tenant_lead_subsources.source_id = tenant_lead_sources.id)',
      [UNMAPPED.code, 'system'],
    );
  }
}

type Id = number | string;

/**
 * Takes the next id of `table` for each tenant (one each), after both its id_sequences row and its
 * largest id there, and moves the sequence on.
 */
async function nextIds(qr: QueryRunner, table: string, tenants: string[]): Promise<Map<string, number>> {
  const q = isMysql(qr) ? (n: string) => `\`${n}\`` : (n: string) => `"${n}"`;
  const sequences = new Map<string, number>(
    (await qr.query('SELECT tenant_id AS t, last_id AS n FROM id_sequences WHERE table_name = ?', [table])).map((r: { t: string; n: Id }) => [
      r.t,
      Number(r.n),
    ]),
  );
  const largest = new Map<string, number>(
    (await qr.query(`SELECT tenant_id AS t, MAX(id) AS n FROM ${q(table)} GROUP BY tenant_id`)).map((r: { t: string; n: Id }) => [r.t, Number(r.n)]),
  );
  const next = new Map<string, number>();
  for (const t of tenants) {
    const id = Math.max(sequences.get(t) ?? 0, largest.get(t) ?? 0) + 1;
    next.set(t, id);
    if (sequences.has(t)) await qr.query('UPDATE id_sequences SET last_id = ? WHERE tenant_id = ? AND table_name = ?', [id, t, table]);
    else await qr.query('INSERT INTO id_sequences (tenant_id, table_name, last_id) VALUES (?, ?, ?)', [t, table, id]);
  }
  return next;
}

/** Inserts rows of the same columns, BATCH per statement. */
async function insertRows(qr: QueryRunner, table: string, columns: string[], rows: unknown[][]): Promise<void> {
  for (let i = 0; i < rows.length; i += BATCH) {
    const part = rows.slice(i, i + BATCH);
    const one = `(${columns.map(() => '?').join(', ')})`;
    await qr.query(`INSERT INTO ${table} (${columns.join(', ')}) VALUES ${part.map(() => one).join(', ')}`, part.flat());
  }
}

async function seedUnmapped(qr: QueryRunner): Promise<void> {
  // A DATETIME literal both engines take (SQLite keeps the text; TypeORM writes the same form there).
  const now = new Date().toISOString().replace('T', ' ').replace('Z', '');
  const tenants: string[] = (await qr.query('SELECT id FROM tenants ORDER BY id')).map((r: { id: string }) => r.id);
  if (tenants.length === 0) return;

  const live = new Map<string, number>(
    (await qr.query('SELECT tenant_id AS t, id FROM tenant_lead_sources WHERE source_code = ? AND deleted_at IS NULL', [UNMAPPED.code])).map(
      (r: { t: string; id: Id }) => [r.t, Number(r.id)],
    ),
  );
  const lastOrder = new Map<string, number>(
    (await qr.query('SELECT tenant_id AS t, MAX(display_order) AS n FROM tenant_lead_sources WHERE deleted_at IS NULL GROUP BY tenant_id')).map(
      (r: { t: string; n: Id | null }) => [r.t, Number(r.n ?? -1)],
    ),
  );
  const needSource = tenants.filter((t) => !live.has(t));
  const sourceIds = await nextIds(qr, 'tenant_lead_sources', needSource);
  await insertRows(
    qr,
    'tenant_lead_sources',
    [
      'tenant_id',
      'id',
      'created_at',
      'updated_at',
      'created_by',
      'updated_by',
      'version',
      'source_code',
      'source_name',
      'name_key',
      'source_type',
      'display_order',
      'is_active',
      'is_default',
      'metadata',
    ],
    needSource.map((t) => [
      t,
      sourceIds.get(t),
      now,
      now,
      'system',
      'system',
      1,
      UNMAPPED.code,
      UNMAPPED.name,
      textKey(UNMAPPED.name),
      UNMAPPED.sourceType,
      (lastOrder.get(t) ?? -1) + 1,
      1,
      1,
      '{}',
    ]),
  );
  for (const [t, id] of sourceIds) live.set(t, id);

  // The subsource, under each tenant's live UNMAPPED source, unless it has a live one already.
  const withSub = new Set<string>(
    (await qr.query('SELECT tenant_id AS t, source_id AS s FROM tenant_lead_subsources WHERE sub_source_code = ? AND deleted_at IS NULL', [UNMAPPED.code]))
      .filter((r: { t: string; s: Id }) => live.get(r.t) === Number(r.s))
      .map((r: { t: string }) => r.t),
  );
  const needSub = tenants.filter((t) => !withSub.has(t));
  const subOrder = new Map<string, number>();
  for (const t of needSub.filter((x) => !sourceIds.has(x))) {
    // A tenant's own UNMAPPED source may have subsources: the new one comes after them.
    const [row] = await qr.query('SELECT MAX(display_order) AS n FROM tenant_lead_subsources WHERE tenant_id = ? AND source_id = ? AND deleted_at IS NULL', [
      t,
      live.get(t),
    ]);
    subOrder.set(t, row?.n === null || row?.n === undefined ? 0 : Number(row.n) + 1);
  }
  const subIds = await nextIds(qr, 'tenant_lead_subsources', needSub);
  await insertRows(
    qr,
    'tenant_lead_subsources',
    [
      'tenant_id',
      'id',
      'created_at',
      'updated_at',
      'created_by',
      'updated_by',
      'version',
      'source_id',
      'sub_source_code',
      'sub_source_name',
      'name_key',
      'display_order',
      'is_active',
      'metadata',
    ],
    needSub.map((t) => [
      t,
      subIds.get(t),
      now,
      now,
      'system',
      'system',
      1,
      live.get(t),
      UNMAPPED.code,
      UNMAPPED.name,
      textKey(UNMAPPED.name),
      subOrder.get(t) ?? 0,
      1,
      '{}',
    ]),
  );
}
