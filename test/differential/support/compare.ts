import { isDeepStrictEqual } from 'node:util';
import { Answer, EngineName } from './engines';

/**
 * What two answers to the same request may differ in, and how a difference is shown.
 *
 * Bodies are compared as the text each instance sent, so that money sums past what a double holds
 * are compared digit for digit (JSON.parse would round both alike) and a number never equals a
 * string. The two instances share one clock that stands still while an operation runs (the spec's
 * fake clock), and both get the same X-Request-Id, so by default nothing is normalized: server-set
 * timestamps and request ids come out equal, and any other difference is the engines'. Two
 * exceptions, each a measurement of the machine rather than data:
 * - the readiness probe's `responseTime` (how long its database ping took, in ms);
 * - with DIFF_REAL_CLOCK=1 (no fake clock) the server-set timestamps, exactly those: `created_at`,
 *   `updated_at`, `deleted_at`, `at`, `timestamp`, `integration_key_updated_at`, the stage timestamps
 *   (`contacted_at`, `qualified_at`, `converted_at`, `lost_at`) and the audit `changes` entries of those
 *   fields. A null stays null, so "stamped on one, not the other" is still a difference.
 */

const SERVER_TIMESTAMPS = [
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
];
/** `"created_at":"…"`, or an audit entry's `"created_at":["…","…"]` (either side may be null). */
const TIMESTAMP_FIELD = new RegExp(`"(${SERVER_TIMESTAMPS.join('|')})":("[^"]*"|\\[(?:"[^"]*"|null),(?:"[^"]*"|null)\\])`, 'g');
const STAMP = '"<server timestamp>"';
const READINESS = 'GET /health/ready';

export function normalizeText(text: string, timestamps: boolean, route?: string): string {
  let out = text;
  if (route === READINESS) out = out.replace(/"responseTime":\d+(\.\d+)?/g, '"responseTime":"<ping ms>"');
  if (timestamps) out = out.replace(TIMESTAMP_FIELD, (_m, key: string, value: string) => `"${key}":${value.replace(/"[^"]*"/g, STAMP)}`);
  return out;
}

export interface Comparable {
  status: number;
  /** The body as sent, normalized as above: what is compared. */
  text: string;
  /** The same, parsed: what a difference is shown with. */
  body: unknown;
  etag?: string;
  contentType?: string;
}

export function comparable(a: Answer, timestamps: boolean, route?: string): Comparable {
  const text = normalizeText(a.text, timestamps, route);
  let body: unknown = text;
  if (text !== '' && /json/.test(a.contentType ?? '')) {
    try {
      body = JSON.parse(text);
    } catch {
      body = text;
    }
  }
  return { status: a.status, text, body, etag: a.etag, contentType: a.contentType };
}

export const sameAnswer = (a: Comparable, b: Comparable) => a.status === b.status && a.text === b.text && a.etag === b.etag && a.contentType === b.contentType;

const show = (v: unknown, max = 160): string => {
  const s = v === undefined ? 'undefined' : JSON.stringify(v);
  return s.length > max ? `${s.slice(0, max)}…(${s.length} chars)` : s;
};

/** A short label for a list element: its id and code fields, when it has them. */
const labelOf = (v: unknown): string => {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return show(v, 60);
  const entries = Object.entries(v as Record<string, unknown>).filter(([k]) => k === 'id' || /_(code|key|name)$/.test(k) || k === 'date');
  return entries.length > 0
    ? `{${entries
        .slice(0, 3)
        .map(([k, x]) => `${k}: ${show(x, 40)}`)
        .join(', ')}}`
    : show(v, 60);
};

/**
 * Where two answers differ, one line per differing leaf (at most `max`), as `$.body.data[2].name:
 * sqlite "Café" | mariadb "CAFE"`. Arrays holding the same elements in another order are said so.
 * Texts that differ only past what JSON.parse keeps (the digits of a huge sum) are shown as text.
 */
export function describeDiff(a: Comparable, b: Comparable, names: [EngineName, EngineName] = ['sqlite', 'mariadb'], max = 20): string[] {
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
  const { text: ta, body: ba, ...restA } = a;
  const { text: tb, body: bb, ...restB } = b;
  walk({ ...restA, body: ba }, { ...restB, body: bb }, '$');
  if (lines.length === 0 && ta !== tb) {
    let i = 0;
    while (i < ta.length && ta[i] === tb[i]) i++;
    const from = Math.max(0, i - 60);
    lines.push(`$.body (as text, from character ${i}): ${names[0]} …${ta.slice(from, i + 40)}… | ${names[1]} …${tb.slice(from, i + 40)}…`);
  }
  return lines;
}

/** A one-line shape of a difference, to group many differences of one cause (`$.body.data[*].source_name`). */
export function signatureOf(lines: string[]): string {
  const first = lines[0] ?? '';
  return first.replace(/\[\d+\]/g, '[*]').replace(/:.*$/, '');
}
