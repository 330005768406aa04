import { DataSource, EntityManager } from 'typeorm';
import { AppError } from '../common/errors/app-error';
import { MAX_PUBLIC_ID } from '../common/http/api-integer';
import { dialectOf, quote } from '../database/sql-dialect';

/**
 * Ids numbered per tenant and table. Every tenant-owned row (and audit entry) gets its id here, on
 * insert: the tenant's own next number in that table, so ids are 1, 2, 3… in each tenant and tell
 * nothing about other tenants' volume (a shared AUTO_INCREMENT did).
 *
 * One statement takes a block of `count` ids atomically: it adds `count` to the (tenant, table) row
 * of `id_sequences` and answers the new last id. MySQL/MariaDB: `last_id = LAST_INSERT_ID(last_id +
 * n)`, read back as the statement's insert id (per connection); SQLite: `RETURNING last_id`.
 *
 * Concurrency: the UPDATE locks that one row until the transaction ends, like a sequence that is not
 * shared. Inserts into one table of one tenant therefore commit one at a time from the moment they
 * take their ids (audit entries are appended last in a write, so there the wait is the commit); other
 * tables and other tenants never wait. SQLite runs one write transaction at a time anyway. A rolled
 * back insert gives its ids back with the rest of its transaction, so ids have no gaps in the normal
 * case; nothing relies on that.
 */
export const ID_SEQUENCES_TABLE = 'id_sequences';

/** Tables whose rows are numbered per tenant: those keyed by `(tenant_id, id)`. */
export function sequencedTables(dataSource: DataSource): string[] {
  return dataSource.entityMetadatas
    .filter(
      (m) =>
        m.primaryColumns
          .map((c) => c.databaseName)
          .sort()
          .join() === 'id,tenant_id',
    )
    .map((m) => m.tableName)
    .sort();
}

/** Creates a new tenant's sequence rows (all at 0), in its registration transaction. */
export async function openIdSequences(manager: EntityManager, tenantId: string): Promise<void> {
  const tables = sequencedTables(manager.connection);
  const dialect = dialectOf(manager.connection);
  const q = (n: string) => quote(dialect, n);
  const values = tables.map(() => '(?, ?, 0)').join(', ');
  const head = `INSERT INTO ${q(ID_SEQUENCES_TABLE)} (${q('tenant_id')}, ${q('table_name')}, ${q('last_id')}) VALUES ${values}`;
  // A row already there (a registration retried after a partial failure elsewhere) is kept.
  const sql = dialect === 'mysql' ? `${head} ON DUPLICATE KEY UPDATE ${q('last_id')} = ${q('last_id')}` : `${head} ON CONFLICT DO NOTHING`;
  await manager.query(
    sql,
    tables.flatMap((t) => [tenantId, t]),
  );
}

/**
 * Takes `count` consecutive ids of `table` for `tenantId` and answers the first. Runs in the caller's
 * transaction, which then holds the row until it ends (outside one, the statement is atomic on its
 * own). A tenant whose row is missing gets one, started at its largest id in the table.
 */
export async function allocateIds(manager: EntityManager, tenantId: string, table: string, count: number): Promise<number> {
  if (count <= 0) return 0;
  let last = await bump(manager, tenantId, table, count);
  if (last === undefined) {
    await createFromTable(manager, tenantId, table);
    last = await bump(manager, tenantId, table, count);
    if (last === undefined) throw new Error(`id sequence of ${table} for tenant ${tenantId} is missing`);
  }
  if (last > MAX_PUBLIC_ID) {
    throw new AppError('CONFLICT', `This tenant has used all ${MAX_PUBLIC_ID.toLocaleString('en')} ids of ${table}`);
  }
  return last - count + 1;
}

/** Adds `count` to the row and answers the new last id; undefined when the row does not exist. */
async function bump(manager: EntityManager, tenantId: string, table: string, count: number): Promise<number | undefined> {
  const dialect = dialectOf(manager.connection);
  const q = (n: string) => quote(dialect, n);
  const where = `WHERE ${q('tenant_id')} = ? AND ${q('table_name')} = ?`;
  if (dialect === 'mysql') {
    const result = (await manager.query(`UPDATE ${q(ID_SEQUENCES_TABLE)} SET ${q('last_id')} = LAST_INSERT_ID(${q('last_id')} + ?) ${where}`, [
      count,
      tenantId,
      table,
    ])) as { affectedRows: number; insertId: number | string };
    return result.affectedRows === 0 ? undefined : Number(result.insertId);
  }
  const rows = (await manager.query(`UPDATE ${q(ID_SEQUENCES_TABLE)} SET ${q('last_id')} = ${q('last_id')} + ? ${where} RETURNING ${q('last_id')} AS last_id`, [
    count,
    tenantId,
    table,
  ])) as { last_id: number }[];
  return rows.length === 0 ? undefined : Number(rows[0].last_id);
}

async function createFromTable(manager: EntityManager, tenantId: string, table: string): Promise<void> {
  const dialect = dialectOf(manager.connection);
  const q = (n: string) => quote(dialect, n);
  const head = `INSERT INTO ${q(ID_SEQUENCES_TABLE)} (${q('tenant_id')}, ${q('table_name')}, ${q('last_id')}) SELECT ?, ?, COALESCE(MAX(${q('id')}), 0) FROM ${q(table)} WHERE ${q('tenant_id')} = ?`;
  const sql = dialect === 'mysql' ? `${head} ON DUPLICATE KEY UPDATE ${q('last_id')} = ${q('last_id')}` : `${head} ON CONFLICT DO NOTHING`;
  await manager.query(sql, [tenantId, table, tenantId]);
}
