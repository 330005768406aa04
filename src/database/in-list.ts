/**
 * The most values one `IN (...)` list carries. MySQL and MariaDB estimate an IN list of up to
 * `eq_range_index_dive_limit` (200) values by diving into the index; above it they fall back to index
 * statistics, and MariaDB turns a list of 1,000 or more values into a derived table. Either can end in a
 * full scan of a tenant's rows (measured: 5,000 lead codes against 200,000 leads scanned the table and took
 * 300–750 ms; 100 codes at a time use the unique key). Lookups by a batch of codes or ids go in slices of
 * this size.
 */
export const IN_LIST_MAX = 100;

/** `values` in consecutive slices of at most `size`. */
export function inSlices<T>(values: readonly T[], size = IN_LIST_MAX): T[][] {
  const slices: T[][] = [];
  for (let i = 0; i < values.length; i += size) slices.push(values.slice(i, i + size));
  return slices;
}
