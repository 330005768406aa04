import { ColumnOptions, ValueTransformer } from 'typeorm';

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

/**
 * Text columns that are MEDIUMTEXT (16 MiB) on MySQL/MariaDB, where TEXT holds 65,535 bytes, and TEXT
 * on SQLite (no limit there), as `table.column`: what the API accepts can pass 64 KiB in them
 * (migration 1764151400000). An entity names one column type for every engine, so theirs say
 * `text`/`simple-json`; the schema-drift comparison reads this list.
 */
export const MEDIUM_TEXT_COLUMNS: readonly string[] = ['audit_log.changes', 'lead_milestones.document_urls'];
