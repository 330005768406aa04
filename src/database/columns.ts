import { ColumnOptions, ValueTransformer } from 'typeorm';
import { TEXT_KEY_GROWTH } from '../common/text/text-key';

/** mysql2 returns DECIMAL as a string; the API speaks numbers. */
export const decimalTransformer: ValueTransformer = {
  to: (value: number | null | undefined) => value,
  from: (value: string | number | null) => (value === null || value === undefined ? null : Number(value)),
};

/** Money and rates: DECIMAL(p,2) read back as a JS number. */
export const decimalColumn = (opts: { precision?: number; nullable?: boolean; default?: number } = {}): ColumnOptions => ({
  type: 'decimal',
  precision: opts.precision ?? 14,
  scale: 2,
  nullable: opts.nullable ?? false,
  ...(opts.default !== undefined ? { default: opts.default } : {}),
  transformer: decimalTransformer,
});

/**
 * JSON objects and arrays (metadata, integration_data, target_audience, kpis…). Stored as text on
 * every engine: the service never queries inside them, and one type keeps the migrations identical.
 */
export const jsonColumn = (): ColumnOptions => ({ type: 'simple-json', nullable: false });

/** Timestamps with millisecond precision on MySQL (SQLite keeps ISO text). */
export const timestampColumn = (opts: { nullable?: boolean } = {}): ColumnOptions => ({
  type: 'datetime',
  precision: 3,
  nullable: opts.nullable ?? false,
});

/** A DATETIME read raw (a Date on MySQL, UTC text `YYYY-MM-DD HH:MM:SS.sss` on SQLite) as a Date. */
export const datetimeOf = (v: Date | string): Date => (v instanceof Date ? v : new Date(`${String(v).replace(' ', 'T')}Z`));

/** Calendar days (`YYYY-MM-DD`), returned as strings on both engines. */
export const dateColumn = (opts: { nullable?: boolean } = {}): ColumnOptions => ({
  type: 'date',
  nullable: opts.nullable ?? false,
  transformer: {
    to: (v: string | null | undefined) => v,
    from: (v: string | Date | null) => (v === null || v === undefined ? null : v instanceof Date ? v.toISOString().slice(0, 10) : String(v).slice(0, 10)),
  },
});

/**
 * Soft-delete-aware uniqueness: `live` is 1 for a live row and NULL for a deleted one, so a unique key
 * `(tenant_id, code, live)` holds among live rows only (NULLs are distinct on MySQL and SQLite alike)
 * and a deleted code can be reused. The same expression runs on both engines.
 */
export const LIVE_EXPRESSION = 'CASE WHEN deleted_at IS NULL THEN 1 END';

/** Names hold at most 100 code points; their key (textKey) at most TEXT_KEY_GROWTH times as many. */
export const NAME_KEY_LENGTH = 100 * TEXT_KEY_GROWTH;

/**
 * A name's key (textKey), stored beside it: what search and list order compare, as bytes on both
 * engines. The repository keeps it on every write that sets the name (TenantScopedRepository.derived).
 */
export const nameKeyColumn = (): ColumnOptions => ({ type: 'varchar', length: NAME_KEY_LENGTH, default: '' });

/**
 * Text columns that are MEDIUMTEXT (16 MiB) on MySQL/MariaDB, where TEXT holds 65,535 bytes, and TEXT
 * on SQLite (no limit there), as `table.column`: what the API accepts can pass 64 KiB in them
 * (migration 1764151400000). An entity names one column type for every engine, so theirs say
 * `text`/`simple-json`; the schema-drift comparison reads this list.
 */
export const MEDIUM_TEXT_COLUMNS: readonly string[] = ['audit_log.changes', 'lead_milestones.document_urls'];

/**
 * Money sums kept by rollups and counters (lead_daily_stats, lead_monthly_stats,
 * campaign_metric_daily_stats, a subsource's total_cost) are exact on both engines at any realistic
 * size: SQLite stores DECIMAL as REAL (a double: cents are lost past about 9 × 10^13) and has no
 * integer wider than 64 bits, so each sum is two BIGINT columns of cents, `<name>_hi` and `<name>_lo`,
 * with cents = hi × 10^7 + lo. A write adds its signed amount split the same way (`splitCents`:
 * |lo| < 10^7), so SQL adds both parts exactly on either engine; reads add the parts up in bigint.
 *
 * Sized for: one amount the API accepts is below 10^14 cents, i.e. below 10^7 in each part, so a part
 * (at most 9.2 × 10^18) takes 9.2 × 10^11 leads or metric rows at the largest amount in one cell — more
 * than its INT lead count (2.1 × 10^9 per source, day or subsource) can count. Each part is also
 * below 2^53, read exactly as a JS number, up to 9 × 10^8 leads at the largest amount.
 */
export const MONEY_PART = 10_000_000n;

/** Cents as (hi, lo), cents = hi × MONEY_PART + lo, both with the sign of `cents` and |lo| < MONEY_PART. */
export function splitCents(cents: bigint): [bigint, bigint] {
  const hi = cents / MONEY_PART;
  return [hi, cents - hi * MONEY_PART];
}

/** The cents of a (hi, lo) pair read from the database (numbers, digit strings or bigints). */
export const joinCents = (hi: unknown, lo: unknown): bigint => toBigInt(hi) * MONEY_PART + toBigInt(lo);

/** An integer from SQL: a number (SQLite, small MySQL BIGINTs), a digit string (MySQL DECIMAL/BIGINT) or null. */
export function toBigInt(value: unknown): bigint {
  if (value === null || value === undefined) return 0n;
  if (typeof value === 'bigint') return value;
  if (typeof value === 'number') {
    if (!Number.isInteger(value)) throw new Error(`toBigInt: ${value} is not an integer`);
    return BigInt(value);
  }
  const text = String(value).trim();
  // SUM of BIGINT is DECIMAL on MySQL: "123" or, from some servers, "123.0000".
  const match = /^(-?\d+)(?:\.0*)?$/.exec(text);
  if (!match) throw new Error(`toBigInt: ${text} is not an integer`);
  return BigInt(match[1]);
}

/** A BIGINT money part as the entity holds it (a bigint, exact whatever the driver answers). */
export const bigintTransformer: ValueTransformer = {
  to: (value: bigint | number | null | undefined) => value,
  from: (value: unknown) => (value === null || value === undefined ? null : toBigInt(value)),
};

/** One part of a money sum (see MONEY_PART): BIGINT, 0 by default, read as a bigint. */
export const moneyPartColumn = (): ColumnOptions => ({ type: 'bigint', default: 0, transformer: bigintTransformer });

/**
 * A row's id, or a reference to one (`source_id`, `lead_id`…): BIGINT on every engine, read as a JS
 * number (ids stay far below 2^53). The primary key of a tenant-owned table is `(tenant_id, id)`. The
 * API addresses ids up to MAX_PUBLIC_ID (src/common/http/api-integer.ts); BIGINT leaves room to lift it.
 */
export function idColumn(): { type: 'bigint'; transformer: ValueTransformer };
export function idColumn(opts: { nullable: boolean }): ColumnOptions;
export function idColumn(opts?: { nullable: boolean }): ColumnOptions {
  return { type: 'bigint', transformer: decimalTransformer, ...(opts?.nullable ? { nullable: true } : {}) };
}
