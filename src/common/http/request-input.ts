import { isUtf8 } from 'node:buffer';

/**
 * Request input that the stack under us would otherwise turn into a 500 or silently alter. Used by
 * app.setup.ts for every JSON body and every URL (test/security/fuzz.e2e-spec.ts).
 */

/** Deepest nesting of objects and arrays in a JSON body: the DTOs need 3, JSON fields get the rest. */
export const MAX_JSON_DEPTH = 32;

/**
 * Keys named like a member of Object.prototype (`__proto__`, `constructor`, `toString`, `valueOf`…),
 * and `prototype`: the DTO transformation (class-transformer) drops them without a word, at any depth
 * (an unknown field would pass, a key of `metadata` would be lost), and some reach prototypes.
 */
const RESERVED_KEYS = new Set([...Object.getOwnPropertyNames(Object.prototype), 'prototype']);
/** A UTF-16 surrogate on its own (`"\ud800"` in JSON): no UTF-8 column can store it. */
const LONE_SURROGATE = /\p{Cs}/u;

/**
 * Parses a JSON request body, or says why it is refused: not UTF-8 (RFC 8259), nested deeper than
 * MAX_JSON_DEPTH (the validation pipe recurses per level and would overflow the stack), not JSON, a
 * string or key that is not well-formed Unicode (it would be stored as U+FFFD), or a reserved key.
 */
export function parseJsonBody(raw: Buffer): { value: unknown } | { error: string } {
  if (raw.length === 0) return { error: 'The request body is empty' };
  if (!isUtf8(raw)) return { error: 'The request body is not valid UTF-8' };
  let text = raw.toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);

  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > MAX_JSON_DEPTH) return { error: `The request body is nested deeper than ${MAX_JSON_DEPTH} levels` };
    } else if (c === 0x7d || c === 0x5d) depth--;
  }

  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { error: 'The request body is not valid JSON' };
  }
  const pending: unknown[] = [value];
  while (pending.length > 0) {
    const v = pending.pop();
    if (typeof v === 'string') {
      if (LONE_SURROGATE.test(v)) return { error: 'Strings must be well-formed Unicode (a lone surrogate such as \\ud800 is not)' };
    } else if (v !== null && typeof v === 'object') {
      for (const [key, item] of Object.entries(v)) {
        if (RESERVED_KEYS.has(key)) return { error: `The key "${key}" is not allowed` };
        if (LONE_SURROGATE.test(key)) return { error: 'Keys must be well-formed Unicode' };
        pending.push(item);
      }
    }
  }
  return { value };
}

/**
 * A path segment whose percent-encoding does not decode (`%zz`, a cut UTF-8 sequence) names nothing.
 * Its `%` signs are escaped, so that the router takes it as literal text and it answers 404 like any
 * unknown code or id, with the headers and problem document of every answer: Fastify's router would
 * answer it itself, before any hook, in its own JSON.
 */
export function escapeUndecodablePath(url: string): string {
  const q = url.indexOf('?');
  const path = q === -1 ? url : url.slice(0, q);
  if (!path.includes('%')) return url;
  const escaped = path
    .split('/')
    .map((segment) => {
      try {
        decodeURIComponent(segment);
        return segment;
      } catch {
        return segment.replace(/%/g, '%25');
      }
    })
    .join('/');
  return q === -1 ? escaped : escaped + url.slice(q);
}
