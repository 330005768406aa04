import { DataSource } from 'typeorm';
import { startTestApi, TestApi } from '../support/app';
import { isMysql } from '../support/database';

/**
 * Every key of the schema leads with `tenant_id` (docs/scaling.md, "sharding by tenant"): each primary
 * key, unique key and index of a table that holds tenants' rows starts with that column, so a tenant's
 * rows sit together in every index, a unique key is enforced within a tenant (within a shard, once the
 * schema is sharded by tenant) and every request's statements stay within one tenant's rows. Read from
 * the migrated database itself, on SQLite and on MySQL/MariaDB: a table or index added later without it
 * fails here. The only exceptions are the non-unique indexes below, each with its reason.
 */

/** Tables without a tenant column, and why. */
const NOT_TENANT_ROWS: Record<string, string> = {
  tenants: 'the tenants themselves: keyed by the tenant id (its column is `id`)',
  schema_migrations: "the migration runner's own bookkeeping",
  typeorm_metadata: "TypeORM's own bookkeeping",
};

/**
 * Non-unique indexes that serve a background job across tenants, by `table.index`. On a sharded
 * deployment each shard holds its own copy over its own rows, so they do not tie tenants together.
 */
const CROSS_TENANT_INDEXES: Record<string, string> = {
  'webhook_deliveries.ix_webhook_deliveries__status__next_attempt_at':
    "the webhook relay's claim of due deliveries of every tenant (src/tenancy/cross-tenant-jobs.ts)",
  'webhook_deliveries.ix_webhook_deliveries__status__updated_at': "the webhook relay's purge of finished deliveries past their retention, of every tenant",
  'event_outbox.ix_event_outbox__occurred_at': "the webhook relay's take of the oldest outbox events of every tenant (src/tenancy/event-outbox.ts)",
};

interface Key {
  table: string;
  name: string;
  columns: string[];
}

async function keysOf(ds: DataSource): Promise<Key[]> {
  if (isMysql()) {
    const rows: { t: string; k: string; c: string }[] = await ds.query(
      'SELECT TABLE_NAME AS t, INDEX_NAME AS k, COLUMN_NAME AS c FROM information_schema.STATISTICS ' +
        'WHERE TABLE_SCHEMA = DATABASE() ORDER BY TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX',
    );
    const keys = new Map<string, Key>();
    for (const r of rows) {
      const id = `${r.t}.${r.k}`;
      if (!keys.has(id)) keys.set(id, { table: r.t, name: r.k, columns: [] });
      keys.get(id)!.columns.push(r.c);
    }
    return [...keys.values()];
  }
  const tables: { name: string }[] = await ds.query("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'");
  const keys: Key[] = [];
  for (const { name: table } of tables) {
    const columns: { name: string; pk: number }[] = await ds.query(`PRAGMA table_info("${table}")`);
    const pk = columns
      .filter((c) => c.pk > 0)
      .sort((a, b) => a.pk - b.pk)
      .map((c) => c.name);
    if (pk.length > 0) keys.push({ table, name: 'PRIMARY', columns: pk });
    const indexes: { name: string }[] = await ds.query(`PRAGMA index_list("${table}")`);
    for (const { name } of indexes) {
      if (name.startsWith('sqlite_autoindex_')) continue; // the primary key's own index, read above
      const parts: { seqno: number; name: string }[] = await ds.query(`PRAGMA index_info("${name}")`);
      keys.push({ table, name, columns: parts.sort((a, b) => a.seqno - b.seqno).map((p) => p.name) });
    }
  }
  return keys;
}

describe('tenant keys', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(() => api.close());

  it('leads every primary key, unique key and index of a tenant table with tenant_id', async () => {
    const keys = await keysOf(api.app.get(DataSource));
    const tenantTables = new Set(keys.map((k) => k.table).filter((t) => !NOT_TENANT_ROWS[t]));
    // The check reads something: every tenant table has a primary key, and the big ones are among them.
    expect([...tenantTables]).toEqual(expect.arrayContaining(['leads', 'lead_milestones', 'campaigns', 'audit_log', 'id_sequences', 'sla_breaches']));
    for (const table of tenantTables) expect(keys.some((k) => k.table === table && k.name === 'PRIMARY')).toBe(true);
    // SQLite orders a primary key's columns as the table declares them (TypeORM's rebuild of a table
    // puts `id` first); nothing shards an SQLite file, so there the primary key need only contain
    // tenant_id. Every other index, and on MySQL/MariaDB the primary key too, must start with it.
    const leads = (k: Key) => k.columns[0] === 'tenant_id' || (!isMysql() && k.name === 'PRIMARY' && k.columns.includes('tenant_id'));
    const offending = keys
      .filter((k) => tenantTables.has(k.table) && !leads(k) && !CROSS_TENANT_INDEXES[`${k.table}.${k.name}`])
      .map((k) => `${k.table}.${k.name} (${k.columns.join(', ')})`);
    expect(offending).toEqual([]);
    // An exception that no longer exists is dropped from the list, so that the list stays true.
    const names = new Set(keys.map((k) => `${k.table}.${k.name}`));
    expect(Object.keys(CROSS_TENANT_INDEXES).filter((name) => !names.has(name))).toEqual([]);
  });
});
