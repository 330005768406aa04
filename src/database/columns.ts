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

/** Calendar days (`YYYY-MM-DD`), returned as strings on both engines. */
export const dateColumn = (opts: { nullable?: boolean } = {}): ColumnOptions => ({
  type: 'date',
  nullable: opts.nullable ?? false,
  transformer: {
    to: (v: string | null | undefined) => v,
    from: (v: string | Date | null) =>
      v === null || v === undefined ? null : v instanceof Date ? v.toISOString().slice(0, 10) : String(v).slice(0, 10),
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
