/**
 * Whether a PATCH changes nothing: every field of `changes` already holds that value on `current`
 * (compared as JSON, so dates, numbers and nested metadata compare by value; null and undefined alike).
 * Such a PATCH writes nothing: no new version, no audit entry.
 */
export const unchanged = <E extends object>(current: E, changes: Partial<E>): boolean =>
  Object.entries(changes).every(([key, value]) => JSON.stringify(value ?? null) === JSON.stringify((current as Record<string, unknown>)[key] ?? null));
