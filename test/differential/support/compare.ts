import { isDeepStrictEqual } from 'node:util';
import { Answer, EngineName } from './engines';

/**
 * What two answers to the same request may differ in, and how a difference is shown.
 *
 * The two instances share one clock that stands still while an operation runs (the spec's fake
 * clock), and both get the same X-Request-Id, so by default nothing is normalized at all: server-set
 * timestamps and request ids come out equal, and any other difference is the engines'. With
 * DIFF_REAL_CLOCK=1 the clock runs and the server-set timestamps are normalized, exactly those:
 * `created_at`, `updated_at`, `deleted_at`, `at`, `timestamp`, `integration_key_updated_at`, the stage
 * timestamps (`contacted_at`, `qualified_at`, `converted_at`, `lost_at`) and the audit `changes`
 * entries of those fields. A null stays null, so "stamped on one, not the other" is still a difference.
 */

const SERVER_TIMESTAMPS = new Set([
  'created_at',
  'updated_at',
  'deleted_at',
  'at',
  'timestamp',
  'integration_key_updated_at',
  'contacted_at',
  'qualified_at',
  'converted_at',
  'lost_at',
]);
const STAMP = '<server timestamp>';

export function normalize(value: unknown, timestamps: boolean): unknown {
  if (!timestamps) return value;
  if (Array.isArray(value)) return value.map((v) => normalize(v, timestamps));
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    if (SERVER_TIMESTAMPS.has(key) && typeof v === 'string') out[key] = STAMP;
    // An audit entry's `changes`: { field: [before, after] }.
    else if (SERVER_TIMESTAMPS.has(key) && Array.isArray(v) && v.length === 2) out[key] = v.map((x) => (typeof x === 'string' ? STAMP : x));
    else out[key] = normalize(v, timestamps);
  }
  return out;
}

export interface Comparable {
  status: number;
  body: unknown;
  etag?: string;
  contentType?: string;
}

/**
 * The readiness probe reports how long its database ping took (`responseTime`, in ms): a measurement
 * of this machine, not data. It is the one field normalized whatever the clock.
 */
const READINESS = 'GET /health/ready';
const withoutPingTime = (body: unknown): unknown =>
  JSON.parse(JSON.stringify(body), (key, value) => (key === 'responseTime' && typeof value === 'number' ? '<ping ms>' : value));

export const comparable = (a: Answer, timestamps: boolean, route?: string): Comparable => ({
  status: a.status,
  body: normalize(route === READINESS ? withoutPingTime(a.body) : a.body, timestamps),
  etag: a.etag,
  contentType: a.contentType,
});

export const sameAnswer = (a: Comparable, b: Comparable) => isDeepStrictEqual(a, b);

const show = (v: unknown, max = 160): string => {
  const s = v === undefined ? 'undefined' : JSON.stringify(v);
  return s.length > max ? `${s.slice(0, max)}…(${s.length} chars)` : s;
};

/** A short label for a list element: its id and code fields, when it has them. */
const labelOf = (v: unknown): string => {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return show(v, 60);
  const entries = Object.entries(v as Record<string, unknown>).filter(([k]) => k === 'id' || /_(code|key|name)$/.test(k) || k === 'date');
  return entries.length > 0 ? `{${entries.slice(0, 3).map(([k, x]) => `${k}: ${show(x, 40)}`).join(', ')}}` : show(v, 60);
};

/**
 * Where two JSON values differ, one line per differing leaf (at most `max`), as `$.data[2].name:
 * sqlite "Café" | mariadb "CAFE"`. Arrays holding the same elements in another order are said so.
 */
export function describeDiff(a: unknown, b: unknown, names: [EngineName, EngineName] = ['sqlite', 'mariadb'], max = 20): string[] {
  const lines: string[] = [];
  const walk = (x: unknown, y: unknown, path: string) => {
    if (lines.length >= max || isDeepStrictEqual(x, y)) return;
    if (Array.isArray(x) && Array.isArray(y)) {
      const xs = x.map((v) => JSON.stringify(v));
      const ys = y.map((v) => JSON.stringify(v));
      if (xs.length === ys.length && [...xs].sort().join('\n') === [...ys].sort().join('\n')) {
        lines.push(`${path}: the same ${x.length} elements in another order`);
        lines.push(`  ${names[0]}: ${x.map(labelOf).join(', ').slice(0, 600)}`);
        lines.push(`  ${names[1]}: ${y.map(labelOf).join(', ').slice(0, 600)}`);
        return;
      }
      if (x.length !== y.length) {
        const only = (p: string[], q: string[], arr: unknown[]) => arr.filter((_v, i) => !q.includes(p[i])).map(labelOf);
        lines.push(`${path}: ${x.length} elements | ${y.length} elements`);
        const onlyX = only(xs, ys, x);
        const onlyY = only(ys, xs, y);
        if (onlyX.length > 0) lines.push(`  only in ${names[0]}: ${onlyX.join(', ').slice(0, 600)}`);
        if (onlyY.length > 0) lines.push(`  only in ${names[1]}: ${onlyY.join(', ').slice(0, 600)}`);
        if (onlyX.length > 0 || onlyY.length > 0) return;
      }
      for (let i = 0; i < Math.min(x.length, y.length); i++) walk(x[i], y[i], `${path}[${i}]`);
      return;
    }
    if (x && y && typeof x === 'object' && typeof y === 'object' && !Array.isArray(x) && !Array.isArray(y)) {
      const keys = [...new Set([...Object.keys(x), ...Object.keys(y)])];
      for (const k of keys) walk((x as Record<string, unknown>)[k], (y as Record<string, unknown>)[k], `${path}.${k}`);
      return;
    }
    lines.push(`${path}: ${names[0]} ${show(x)} | ${names[1]} ${show(y)}`);
  };
  walk(a, b, '$');
  return lines;
}

/** A one-line shape of a difference, to group many differences of one cause (`$.data[*].source_name`). */
export function signatureOf(lines: string[]): string {
  const first = lines[0] ?? '';
  return first.replace(/\[\d+\]/g, '[*]').replace(/:.*$/, '');
}
