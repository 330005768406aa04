import { ERROR_STATUS } from '../../../src/common/errors/error-codes';
import { Res } from './secure-api';

/** Text that must never reach a client: SQL, driver messages, stack frames, file paths. */
export const LEAK =
  /\b(SELECT|INSERT INTO|UPDATE \w+ SET|DELETE FROM)\b|SQLITE_|ER_[A-Z_]{3,}|QueryFailedError|TypeError|RangeError|\bat \S+ \(|\.ts:\d+|node_modules|\/work\//;

/**
 * What is wrong with an error answer: it must be application/problem+json with a contract `code`
 * whose status is the HTTP status, and show no internals. [] when it is fine (or not an error).
 */
export function problemIssues(res: Res, echoed: string[] = []): string[] {
  if (res.statusCode < 400) return [];
  const issues: string[] = [];
  if (!/^application\/problem\+json/.test(String(res.headers['content-type'] ?? ''))) issues.push(`content-type ${res.headers['content-type']}`);
  let body: any;
  try {
    body = JSON.parse(res.body);
  } catch {
    return [...issues, `body is not JSON: ${res.body.slice(0, 120)}`];
  }
  const code = body?.code as keyof typeof ERROR_STATUS;
  if (typeof code !== 'string' || !(code in ERROR_STATUS)) issues.push(`code ${JSON.stringify(body?.code)} is not a contract code`);
  else if (ERROR_STATUS[code] !== res.statusCode) issues.push(`code ${code} is ${ERROR_STATUS[code]}, not ${res.statusCode}`);
  if (body?.status !== res.statusCode) issues.push(`status field ${body?.status}`);
  for (const field of ['type', 'title', 'detail']) if (typeof body?.[field] !== 'string') issues.push(`no ${field}`);
  // What the request itself said may come back in a detail ("resource \"x' OR 1=1\" not found"): not a leak.
  const own = echoed.filter((e) => e.length >= 3).flatMap((e) => [e, JSON.stringify(e).slice(1, -1)]);
  const text = own.reduce((t, e) => t.split(e).join(''), res.body);
  if (LEAK.test(text)) issues.push(`shows internals: ${res.body.slice(0, 200)}`);
  return issues;
}

export const isProblem = (res: Res, status: number, code: string) => res.statusCode === status && problemIssues(res).length === 0 && res.json().code === code;

/** `404 NOT_FOUND` or what came instead, for failure lists. */
export const answer = (res: Res) => {
  if (res.statusCode >= 400) {
    try {
      const body = res.json();
      return `${res.statusCode} ${body.code ?? ''} ${String(body.detail ?? '').slice(0, 160)}`.trim();
    } catch {
      return `${res.statusCode} ${res.body.slice(0, 160)}`;
    }
  }
  return `${res.statusCode}`;
};

const VOLATILE = new Set(['instance', 'timestamp']);
const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * A response reduced to what must not depend on who asked or when: status and body, without the
 * request id (`instance`) and `timestamp`, with each of `values` (the row names the request used)
 * replaced by `<ref>` wherever it appears as a whole word in a string.
 */
export function normalized(res: Res, values: (string | number)[] = []): { status: number; body: unknown } {
  const patterns = values.map((v) => new RegExp(`(?<![A-Za-z0-9_])${escapeRe(String(v))}(?![A-Za-z0-9_])`, 'g'));
  const strip = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(strip);
    if (v && typeof v === 'object') {
      return Object.fromEntries(
        Object.entries(v)
          .filter(([k]) => !VOLATILE.has(k))
          .map(([k, x]) => [k, strip(x)]),
      );
    }
    return typeof v === 'string' ? patterns.reduce((s, p) => s.replace(p, '<ref>'), v) : v;
  };
  let body: unknown = res.body;
  try {
    body = res.body === '' ? null : JSON.parse(res.body);
  } catch {
    // keep the text
  }
  return { status: res.statusCode, body: strip(body) };
}
