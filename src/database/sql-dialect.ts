import { DataSource } from 'typeorm';
import { joinCents, MONEY_PART, toBigInt } from './columns';

export type Dialect = 'mysql' | 'sqlite';

export const dialectOf = (dataSource: DataSource): Dialect => (dataSource.options.type === 'better-sqlite3' ? 'sqlite' : 'mysql');

/**
 * Whether a failed statement hit a primary or unique key another row already holds (MySQL/MariaDB
 * ER_DUP_ENTRY, SQLite's constraint codes). Inside a transaction only the statement fails on every
 * engine we run on: the transaction goes on, so an insert that loses a race can be told apart and skipped.
 */
export function isDuplicateKeyError(e: unknown): boolean {
  const code = (e as { driverError?: { code?: string }; code?: string })?.driverError?.code ?? (e as { code?: string })?.code;
  return code === 'ER_DUP_ENTRY' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === 'SQLITE_CONSTRAINT_UNIQUE';
}

/**
 * The first day of the period holding a DATE column (itself, its week's first day, its month's 1st),
 * as `YYYY-MM-DD`: rollup reads group by period in SQL instead of returning every day. Weeks start on
 * `weekStart` (Monday = 0 … Sunday = 6; the tenant's week_start).
 */
export function periodStartSql(dialect: Dialect, column: string, interval: 'day' | 'week' | 'month', weekStart = 0): string {
  if (interval === 'day') return column;
  if (!Number.isInteger(weekStart) || weekStart < 0 || weekStart > 6) throw new Error(`weekStart out of range: ${weekStart}`);
  // Days since the week's first day: (weekday − weekStart) mod 7, with weekday Monday = 0.
  const back = (weekday: string) => (weekStart === 0 ? weekday : `((${weekday} + ${7 - weekStart}) % 7)`);
  if (dialect === 'mysql')
    return interval === 'week' ? `DATE_SUB(${column}, INTERVAL ${back(`WEEKDAY(${column})`)} DAY)` : `DATE_FORMAT(${column}, '%Y-%m-01')`;
  return interval === 'week'
    ? `date(${column}, '-' || ${back(`((CAST(strftime('%w', ${column}) AS INTEGER) + 6) % 7)`)} || ' days')`
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
  return `${head} ON CONFLICT (${keyColumns.map(q).join(', ')}) DO UPDATE SET ${measureColumns.map((c) => `${q(c)} = ${q(c)} + excluded.${q(c)}`).join(', ')}`;
}

/** An integer expression as exact text: SQLite answers int64 as a JS number, which rounds past 2^53. */
export const exactTextSql = (dialect: Dialect, expr: string) => (dialect === 'mysql' ? `CAST(${expr} AS CHAR)` : `CAST(${expr} AS TEXT)`);

const concatSql = (dialect: Dialect, parts: string[]) => (dialect === 'mysql' ? `CONCAT(${parts.join(', ')})` : parts.join(' || '));

/**
 * Σ of a money sum kept as two BIGINT parts (columns.ts MONEY_PART), exact on both engines, as the
 * text `hi:lo` (read it with `moneySumOf`). Each part is summed as an integer: MySQL's SUM of BIGINT
 * is an exact DECIMAL, SQLite's an int64 that no realistic range fills (parts stay below 10^7 per fact).
 */
export function moneyPartsSumSql(dialect: Dialect, hi: string, lo: string): string {
  return concatSql(dialect, [exactTextSql(dialect, `COALESCE(SUM(${hi}), 0)`), "':'", exactTextSql(dialect, `COALESCE(SUM(${lo}), 0)`)]);
}

/**
 * Σ of a DECIMAL(p,2) money column, exact on both engines, as text (read it with `moneySumOf`).
 * MySQL sums DECIMALs exactly: `12345.67`. SQLite stores them as REAL, which holds one amount of the
 * API (at most 15 significant digits) to the cent but rounds a sum: each value is taken to whole
 * cents first and the cents summed as integers in the two parts of MONEY_PART: `hi:lo`.
 */
export function moneySumSql(dialect: Dialect, expr: string): string {
  if (dialect === 'mysql') return `CAST(COALESCE(SUM(${expr}), 0) AS CHAR)`;
  const cents = `CAST(ROUND((${expr}) * 100) AS INTEGER)`;
  return moneyPartsSumSql(dialect, `${cents} / ${MONEY_PART}`, `${cents} % ${MONEY_PART}`);
}

/** Cents of what moneyPartsSumSql or moneySumSql answered (`hi:lo`, or a decimal text). */
export function moneySumOf(value: unknown): bigint {
  if (value === null || value === undefined) return 0n;
  const text = String(value);
  const colon = text.indexOf(':');
  if (colon !== -1) return joinCents(text.slice(0, colon), text.slice(colon + 1));
  const match = /^(-?)(\d+)(?:\.(\d{0,2})\d*)?$/.exec(text.trim());
  if (!match) throw new Error(`moneySumOf: ${text} is not a money sum`);
  const cents = toBigInt(match[2]) * 100n + BigInt(((match[3] ?? '') + '00').slice(0, 2));
  return match[1] === '-' ? -cents : cents;
}

/**
 * A raw aggregate row in numbers: SUMs and COUNTs come back as strings on MySQL (DECIMAL/BIGINT) and
 * numbers on SQLite; NULL (a SUM over nothing) is 0; `day` is cut to `YYYY-MM-DD` (MySQL may answer a
 * Date); the columns named in `moneyKeys` are money sums (moneyPartsSumSql/moneySumSql), read into cents.
 */
export function numericRow(row: Record<string, unknown>, moneyKeys?: ReadonlySet<string>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  // for…in rather than Object.entries: analytics convert thousands of rows per request.
  for (const k in row) {
    const v = row[k];
    if (k === 'day') out[k] = typeof v === 'string' ? v.slice(0, 10) : String(v instanceof Date ? v.toISOString() : v).slice(0, 10);
    else if (moneyKeys?.has(k)) out[k] = moneySumOf(v);
    else out[k] = v === null ? 0 : Number(v);
  }
  return out;
}
