import { DataSource } from 'typeorm';

export type Dialect = 'mysql' | 'sqlite';

export const dialectOf = (dataSource: DataSource): Dialect =>
  dataSource.options.type === 'better-sqlite3' ? 'sqlite' : 'mysql';

/**
 * The first day of the period holding a DATE column (itself, its week's Monday, its month's 1st),
 * as `YYYY-MM-DD`: rollup reads group by period in SQL instead of returning every day.
 */
export function periodStartSql(dialect: Dialect, column: string, interval: 'day' | 'week' | 'month'): string {
  if (interval === 'day') return column;
  if (dialect === 'mysql') return interval === 'week' ? `DATE_SUB(${column}, INTERVAL WEEKDAY(${column}) DAY)` : `DATE_FORMAT(${column}, '%Y-%m-01')`;
  return interval === 'week'
    ? `date(${column}, '-' || ((CAST(strftime('%w', ${column}) AS INTEGER) + 6) % 7) || ' days')`
    : `strftime('%Y-%m-01', ${column})`;
}

/** Quotes an identifier for the dialect (`lead` is reserved on MySQL 8; hand-written SQL quotes everything). */
export const quote = (dialect: Dialect, name: string) => (dialect === 'mysql' ? `\`${name}\`` : `"${name}"`);

/**
 * `INSERT … VALUES (…),(…)` that adds to the existing row on a key conflict:
 * `col = col + new value` for every measure column. Parameters are positional (`?`), rows × columns.
 * MySQL/MariaDB: ON DUPLICATE KEY UPDATE with VALUES(); SQLite: ON CONFLICT … DO UPDATE with excluded.
 */
export function upsertAddSql(dialect: Dialect, table: string, keyColumns: string[], measureColumns: string[], rows: number): string {
  const q = (n: string) => quote(dialect, n);
  const columns = [...keyColumns, ...measureColumns];
  const tuple = `(${columns.map(() => '?').join(', ')})`;
  const head = `INSERT INTO ${q(table)} (${columns.map(q).join(', ')}) VALUES ${Array.from({ length: rows }, () => tuple).join(', ')}`;
  if (dialect === 'mysql') {
    return `${head} ON DUPLICATE KEY UPDATE ${measureColumns.map((c) => `${q(c)} = ${q(c)} + VALUES(${q(c)})`).join(', ')}`;
  }
  return `${head} ON CONFLICT (${keyColumns.map(q).join(', ')}) DO UPDATE SET ${measureColumns
    .map((c) => `${q(c)} = ${q(c)} + excluded.${q(c)}`)
    .join(', ')}`;
}
