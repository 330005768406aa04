import fc from 'fast-check';
import { TEXT_PATTERNS } from '../../../src/common/validation/decorators';
import { Role } from '../../../src/tenancy/tenant-context';
import { ApiDoc, Operation, QueryParam, Schema } from './openapi';

/**
 * fast-check arbitraries for requests, read from the OpenAPI schemas: valid-ish values for every
 * declared field (so that many requests get through and their answers can be checked), then
 * mutations (wrong types, out-of-range numbers, huge strings, unicode, nested JSON, SQL and script
 * injection, bad dates, extra fields), hostile whole bodies, path segments, query strings and headers.
 */

/** The documented text rules (names, labels, free text): generated as text, not from the pattern. */
const TEXT_RULES = new Set<string>(Object.values(TEXT_PATTERNS));

/** Strings that have broken services before. */
export const HOSTILE_STRINGS: string[] = [
  "' OR '1'='1",
  "'; DROP TABLE tenant_lead_sources; --",
  '" OR ""="',
  '1; SELECT SLEEP(5)',
  "%' UNION SELECT id, tenant_id FROM tenants --",
  "admin'--",
  '\\',
  "\\'",
  '`id`',
  '%',
  '_',
  '%_%',
  '${7*7}',
  '{{7*7}}',
  '#{7*7}',
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  'javascript:alert(1)',
  '../../../../etc/passwd',
  '..\\..\\windows\\win.ini',
  '\u0000',
  'a\u0000b',
  '\u0007\u0008\u001b[31m',
  '\r\nSet-Cookie: x=1',
  '\uFEFF',
  '\u202Eevil',
  '\u200B\u200C\u200D',
  'Ω≈ç√∫',
  'ﬀ ß İ ı',
  'Ａ',
  '😀',
  '👨‍👩‍👧‍👦',
  'e\u0301\u0301\u0301',
  '\u{10FFFF}',
  '\u{1F3F4}\u{E0067}\u{E0062}\u{E0073}\u{E0063}\u{E0074}\u{E007F}',
  '\uD800',
  'a\uDC00b',
  'NaN',
  'Infinity',
  '-1',
  '0',
  '1e309',
  '9'.repeat(400),
  'null',
  'undefined',
  'true',
  '[]',
  '{}',
  '__proto__',
  'constructor',
  'toString',
  '%s%s%s%n',
  ' ',
  '\t\n',
  ' leading',
  'trailing ',
];

export const BAD_DATES = [
  '2026-02-30',
  '2026-02-29',
  '2026-13-01',
  '2026-00-10',
  '2026-01-32',
  '0000-01-01',
  '0001-01-01',
  '0999-12-31',
  '9999-12-31',
  '10000-01-01',
  '2026-1-1',
  '2026/01/01',
  '20260101',
  '2026-01-01T00:00:00Z',
  ' 2026-01-01',
  '-2026-01-01',
  '+002026-01-01',
  '1970-01-01',
  '1900-02-29',
  '2026-W01',
  'today',
];

export const BAD_DATE_TIMES = [
  '2026-01-01T25:00:00Z',
  '2026-01-01T00:60:00Z',
  '2026-01-01T00:00:00+25:00',
  '2026-02-30T00:00:00Z',
  '0000-01-01T00:00:00Z',
  '0001-01-01T00:00:00Z',
  '0999-12-31T23:59:59Z',
  '9999-12-31T23:59:59.999Z',
  '+275760-09-13T00:00:00Z',
  '-271821-04-20T00:00:00Z',
  '1969-12-31T23:59:59.999Z',
  '2026-01-01',
  '2026-01-01T00:00:00',
  '2026-01-01T00:00:00.123456789Z',
  '2026-01-01 00:00:00',
  'yesterday',
  '1700000000',
];

export const WRONG_TYPES: unknown[] = [0, -1, 1.5, 1e308, -1e308, true, false, null, [], {}, [1, 2], ['a'], { $gt: '' }, { a: 1 }, '', 'x', '12'];

/** Fields no body declares: ids, tenancy, bookkeeping, prototype keys. */
export const EXTRA_FIELDS = [
  'tenant_id',
  'id',
  'created_by',
  'updated_by',
  'created_at_',
  'version',
  'deleted_at',
  'constructor',
  'prototype',
  'valueOf',
  'toString',
  'hasOwnProperty',
  'isAdmin',
  'role',
  'integration_key_sealed',
  'live',
];

/** Percent-encodes a path segment or query value byte by byte (UTF-8); lone surrogates become U+FFFD. */
export const encodeComponent = (s: string) =>
  [...Buffer.from(s, 'utf8')]
    .map((b) => (/[A-Za-z0-9\-._~]/.test(String.fromCharCode(b)) ? String.fromCharCode(b) : `%${b.toString(16).toUpperCase().padStart(2, '0')}`))
    .join('');

const pad = (n: number, w = 2) => String(n).padStart(w, '0');
const day = fc
  .date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2099-12-31T00:00:00Z'), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10));
const dayFromToday = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);
const recentDay = fc.oneof(
  { weight: 3, arbitrary: fc.integer({ min: -2, max: 0 }).map(dayFromToday) },
  { weight: 1, arbitrary: fc.integer({ min: -400, max: 30 }).map(dayFromToday) },
);
const dateTime = fc
  .tuple(
    fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2099-12-31T00:00:00Z'), noInvalidDate: true }),
    fc.constantFrom('Z', '+00:00', '+02:00', '-05:30', '.000Z'),
  )
  .map(([d, zone]) => (zone === '.000Z' ? d.toISOString() : d.toISOString().slice(0, 19) + zone));
const time = fc
  .tuple(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 }), fc.option(fc.integer({ min: 0, max: 59 })))
  .map(([h, m, s]) => `${pad(h)}:${pad(m)}${s === null ? '' : `:${pad(s)}`}`);

/** Free text of min..max characters, from several alphabets, plus the hostile strings that fit. */
function text(minLength = 0, maxLength = 100, strict = false): fc.Arbitrary<string> {
  const max = Math.min(maxLength, 200);
  const fits = HOSTILE_STRINGS.filter((s) => s.length >= minLength && [...s].length <= maxLength);
  const options: fc.Arbitrary<string>[] = [
    fc.string({ unit: 'grapheme-ascii', minLength, maxLength: max }),
    fc.string({ unit: 'grapheme', minLength, maxLength: Math.min(max, 30) }),
    // (Not in strict bodies: binary strings may hold lone surrogates, which are refused.)
    ...(strict ? [] : [fc.string({ unit: 'binary', minLength, maxLength: Math.min(max, 30) })]),
    // As long as allowed, in characters that take two UTF-16 units or come with a variation selector.
    // (Strict bodies leave out the variation selector: it is a second character, over the limit.)
    fc.constantFrom(...(strict ? ['😀', 'ß', 'a'] : ['😀', 'ß', '❤\uFE0F', 'a'])).map((c) => c.repeat(Math.max(minLength, maxLength))),
  ];
  if (fits.length > 0) options.push(fc.constantFrom(...fits));
  return fc.oneof(...options);
}

export interface GenContext {
  doc: ApiDoc;
  /** Values of rows the tenant has, per body field key (`Schema.field`) or query parameter name. */
  refs: (key: string) => (string | number)[];
  /** A fresh integration key (registered as a secret). */
  secret: () => string;
  /**
   * Bodies meant to be stored: references only name rows the tenant has (an optional reference with
   * none is left out), and COHERENCE applies the rules the schemas cannot say.
   */
  strict?: boolean;
  /** Whether a body field (`Schema.field`) names another row. */
  isRef?: (key: string) => boolean;
}

/**
 * Numbers the document declares as `number` although only integers are valid (counts, days, orders,
 * ids): the document has no `integer` type. Money, ratios and coordinates take decimals.
 */
const DECIMAL_FIELD = /(^|_)(budget|value|cost|spend|revenue|roi|rate|latitude|longitude|amount|price|percent)(_|$)/;

const hoursAgo = (h: number) => new Date(Date.now() - h * 3_600_000).toISOString();

/**
 * Rules between fields that a schema cannot express (API.md §3, §4), applied to strict bodies so that
 * they are stored: a lead's stage timestamps in order and in the past, a subsource under its source,
 * a printable lead code; a metric row's clicks within its impressions, on the campaign's channel.
 */
const COHERENCE: Record<string, (v: Record<string, unknown>) => Record<string, unknown>> = {
  CreateLeadDto: (v) => lead(v),
  UpdateLeadDto: (v) => lead(v),
  WriteCampaignMetricDto: (v) => metric(v),
  CreateLeadMilestoneDto: (v) => milestone(v),
  CreateCampaignStatusDto: (v) => campaignStatus(v),
  UpdateCampaignStatusDto: (v) => campaignStatus(v),
  CreateCampaignDto: (v) => campaign(v),
  UpdateCampaignDto: (v) => campaign(v),
  InstantiateCampaignDto: (v) => campaign(v),
};
/** A status is not both initial and final; a final one allows no transitions; the initial one is active. */
function campaignStatus(v: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...v };
  if (out.is_initial === true) Object.assign(out, { is_final: false, is_active: true });
  if (out.is_final === true) out.allowed_transitions = [];
  return out;
}
/** A campaign's channels once each, its end on or after its start, its KPIs distinct. */
function campaign(v: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...v };
  if (Array.isArray(out.channels)) {
    const seen = new Set<unknown>();
    out.channels = out.channels.filter(
      (c) => !seen.has((c as Record<string, unknown>)?.channel_code) && seen.add((c as Record<string, unknown>)?.channel_code),
    );
  }
  if (typeof out.end_date === 'string' && (typeof out.start_date !== 'string' || out.end_date < out.start_date)) delete out.end_date;
  if (Array.isArray(out.kpis)) out.kpis = [...new Set(out.kpis)];
  return out;
}
function milestone(v: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...v, achieved_date: new Date().toISOString().slice(0, 10) };
  // Coordinates go together, with at most 6 decimals.
  if (typeof out.location_latitude === 'number' && typeof out.location_longitude === 'number') {
    out.location_latitude = Math.round(out.location_latitude * 1e6) / 1e6;
    out.location_longitude = Math.round(out.location_longitude * 1e6) / 1e6;
  } else {
    delete out.location_latitude;
    delete out.location_longitude;
  }
  return out;
}
function lead(v: Record<string, unknown>): Record<string, unknown> {
  const out = { ...v };
  const order: [string, number][] = [
    ['created_at', 96],
    ['contacted_at', 72],
    ['qualified_at', 60],
    ['converted_at', 48],
    ['lost_at', 48],
  ];
  for (const [field, h] of order) if (typeof out[field] === 'string') out[field] = hoursAgo(h);
  if (typeof out.sub_source_code === 'string') Object.assign(out, { source_code: 'SOCIAL', sub_source_code: 'FACEBOOK' });
  if (typeof out.lead_code === 'string' && !/^[\x21-\x7E]([\x20-\x7E]{0,98}[\x21-\x7E])?$/.test(out.lead_code))
    out.lead_code = `L-${[...out.lead_code]
      .map((c) => c.charCodeAt(0).toString(36))
      .join('')
      .slice(0, 90)}`;
  return out;
}
function metric(v: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...v, channel_code: 'EMAIL' };
  if (typeof out.clicks === 'number' && typeof out.impressions === 'number' && out.clicks > out.impressions) out.clicks = out.impressions;
  if (typeof out.clicks === 'number' && typeof out.impressions !== 'number') out.impressions = out.clicks;
  return out;
}

/** A value the schema accepts (as far as the document says). */
export function validValue(g: GenContext, s0: Schema, key: string, depth = 0): fc.Arbitrary<unknown> {
  const s = g.doc.resolve(s0);
  const refs = g.refs(key);
  const field = key.split('.').pop()!;
  const base = ((): fc.Arbitrary<unknown> => {
    if (s.enum) return fc.constantFrom(...s.enum);
    if (s.writeOnly) return fc.constant(null).map(() => g.secret());
    switch (s.type) {
      case 'string':
        if (s.format === 'date') return fc.oneof(recentDay, day);
        if (s.format === 'date-time')
          return fc.oneof(
            fc.integer({ min: -72, max: -1 }).map((h) => new Date(Date.now() + h * 3_600_000).toISOString()),
            dateTime,
          );
        if (field === 'achieved_time') return time;
        if (field === 'document_urls' || /url/.test(field)) return fc.webUrl({ validSchemes: ['https'] });
        if (s.pattern && TEXT_RULES.has(s.pattern)) {
          // Names, labels and free text (docs/conventions.md, "Input"): every alphabet and the hostile strings; a
          // body meant to be stored keeps to what the field's rule takes (no control characters, a
          // name not blank), the rest are refused with 400 like any mutation.
          const arb = text(s.minLength ?? 0, s.maxLength ?? 100, g.strict);
          const rule = new RegExp(s.pattern, 'u');
          return g.strict ? arb.filter((v) => rule.test(v)) : arb;
        }
        if (s.pattern) return fc.stringMatching(new RegExp(s.pattern)).filter((v) => v.length <= (s.maxLength ?? 1000));
        return text(s.minLength ?? 0, s.maxLength ?? 100, g.strict);
      case 'number':
      case 'integer': {
        const min = s.minimum ?? 0;
        const max = Math.min(s.maximum ?? 1_000_000, 1_000_000_000);
        if (s.type === 'integer' || !DECIMAL_FIELD.test(field))
          return fc.oneof(fc.integer({ min: Math.ceil(min), max: Math.floor(max) }), fc.constantFrom(Math.ceil(min), Math.floor(max)));
        // In range, but at the edges: the bounds, and tiny values JavaScript writes with an exponent.
        // (Strict bodies keep to the 2 decimals money takes.)
        const edges = [min, max, 0.01, ...(g.strict ? [] : [1e-7, 5e-324])].filter((n) => n >= min && n <= max);
        return fc.oneof(
          { weight: 2, arbitrary: fc.integer({ min: Math.ceil(min), max: Math.floor(max) }) },
          { weight: 2, arbitrary: fc.integer({ min: Math.ceil(min * 100), max: Math.floor(max * 100) }).map((n) => n / 100) },
          { weight: 1, arbitrary: fc.constantFrom(...edges) },
        );
      }
      case 'boolean':
        return fc.boolean();
      case 'array': {
        const item = s.items ? g.doc.resolve(s.items) : { type: 'string' };
        const itemKey = s.items?.$ref ? s.items.$ref.replace('#/components/schemas/', '') : key;
        const arb = item.properties ? objectOf(g, item, itemKey, depth + 1) : validValue(g, item, key, depth + 1);
        const constraints = { minLength: s.minItems ?? 0, maxLength: Math.min(s.maxItems ?? 5, 4) };
        return s.uniqueItems ? fc.uniqueArray(arb, { ...constraints, selector: (v) => JSON.stringify(v) }) : fc.array(arb, constraints);
      }
      case 'object':
      default:
        if (s.properties) return objectOf(g, s, key, depth + 1);
        return fc.dictionary(fc.string({ unit: 'grapheme', maxLength: 12 }), fc.jsonValue({ maxDepth: 3 }), { maxKeys: 6 });
    }
  })();
  const nullable = s.nullable ? fc.oneof({ weight: 9, arbitrary: base }, { weight: 1, arbitrary: fc.constant(null) }) : base;
  // Most references name a row the tenant has, so that writes get past them and their answers are checked.
  if (refs.length > 0 && g.strict) return fc.constantFrom(...refs).map((v) => (s.type === 'array' ? [v] : v));
  return refs.length > 0
    ? fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...refs).map((v) => (s.type === 'array' ? [v] : v)) }, { weight: 1, arbitrary: nullable })
    : nullable;
}

/** An object with every required property and a random subset of the others. */
export function objectOf(g: GenContext, s: Schema, name: string, depth = 0): fc.Arbitrary<Record<string, unknown>> {
  const required = new Set(s.required ?? []);
  // Strict: an optional reference to a kind the tenant has no row of is left out.
  const props = Object.entries(s.properties ?? {}).filter(
    ([prop]) => !g.strict || required.has(prop) || !g.isRef?.(`${name}.${prop}`) || g.refs(`${name}.${prop}`).length > 0,
  );
  const model = Object.fromEntries(props.map(([prop, ps]) => [prop, validValue(g, ps, `${name}.${prop}`, depth)]));
  const record = fc.record(model, { requiredKeys: [...required].filter((k) => k in model) }) as fc.Arbitrary<Record<string, unknown>>;
  const coherent = g.strict ? COHERENCE[name] : undefined;
  return coherent ? record.map(coherent) : record;
}

/** A value the schema refuses, or one that stresses what it accepts. */
export function hostileValue(g: GenContext, s0: Schema): fc.Arbitrary<unknown> {
  const s = g.doc.resolve(s0);
  const options: fc.Arbitrary<unknown>[] = [fc.constantFrom(...WRONG_TYPES), fc.constantFrom(...HOSTILE_STRINGS)];
  if (s.type === 'string') {
    const max = s.maxLength ?? 100;
    options.push(
      fc.constantFrom('x'.repeat(max + 1), '😀'.repeat(max + 1), '❤\uFE0F'.repeat(max), 'é'.repeat(max * 2), 'x'.repeat(100_000)),
      fc.string({ unit: 'binary', minLength: 1, maxLength: 60 }),
    );
    if (s.format === 'date') options.push(fc.constantFrom(...BAD_DATES));
    if (s.format === 'date-time') options.push(fc.constantFrom(...BAD_DATE_TIMES));
  }
  if (s.type === 'number' || s.type === 'integer') {
    const min = s.minimum ?? 0;
    const max = s.maximum ?? 1e12;
    options.push(
      fc.constantFrom(
        min - 1,
        min - 0.001,
        max + 1,
        max + 0.5,
        -0,
        0.1 + 0.2,
        1.005,
        123.456,
        2 ** 31,
        2 ** 31 - 1,
        2 ** 53 + 1,
        1e21,
        -1e21,
        1e-7,
        3e-323,
        5e-324,
        999_999_999_999.99,
        1_000_000_000_000,
      ),
      fc.double({ noNaN: true, noDefaultInfinity: true }),
    );
  }
  if (s.type === 'array') {
    const n = (s.maxItems ?? 50) + 1;
    options.push(
      fc.constant(Array.from({ length: n }, (_v, i) => `ITEM_${i}`)),
      fc.constant(Array.from({ length: 10_000 }, () => 1)),
      fc.array(fc.anything(), { maxLength: 4 }),
    );
  }
  options.push(fc.constantFrom(5, 500, 3000).map((depth) => nested(depth)));
  return fc.oneof(...options);
}

/** `{"a":{"a":…{}}}`, `depth` levels deep. */
export const nested = (depth: number): Record<string, unknown> => {
  let v: Record<string, unknown> = {};
  for (let i = 0; i < depth; i++) v = { a: v };
  return v;
};

type Mutation =
  | { kind: 'set'; field: string; value: unknown }
  | { kind: 'drop'; field: string }
  | { kind: 'extra'; field: string; value: unknown }
  /** Mutations of one row of an array of objects (leads[], metrics[], channels[]). */
  | { kind: 'row'; field: string; index: number; mutations: Mutation[] };

/** The item schema of an array-of-objects property, if it is one. */
function rowSchema(g: GenContext, ps: Schema): Schema | undefined {
  const s = g.doc.resolve(ps);
  const items = s.type === 'array' && s.items ? g.doc.resolve(s.items) : undefined;
  return items?.properties ? items : undefined;
}

function mutations(g: GenContext, s: Schema, depth = 0): fc.Arbitrary<Mutation[]> {
  const props = Object.entries(s.properties ?? {});
  const rows = props.filter(([, ps]) => rowSchema(g, ps));
  const options: fc.Arbitrary<Mutation>[] = [
    fc.record({
      kind: fc.constant('extra' as const),
      field: fc.oneof(fc.constantFrom(...EXTRA_FIELDS), fc.string({ minLength: 1, maxLength: 10 })),
      value: fc.jsonValue({ maxDepth: 2 }),
    }),
  ];
  if (props.length > 0) {
    options.push(fc.constantFrom(...props).chain(([field, ps]) => hostileValue(g, ps).map((value) => ({ kind: 'set' as const, field, value }))));
    options.push(fc.constantFrom(...props.map(([p]) => p)).map((field) => ({ kind: 'drop' as const, field })));
  }
  if (rows.length > 0 && depth < 2) {
    // As often as the top-level kinds together: a row of a batch is where a bulk route's checks live.
    const row = fc
      .constantFrom(...rows)
      .chain(([field, ps]) =>
        fc.tuple(fc.nat({ max: 3 }), mutations(g, rowSchema(g, ps)!, depth + 1)).map(([index, ms]) => ({ kind: 'row' as const, field, index, mutations: ms })),
      );
    options.push(row, row, row);
  }
  return fc.array(fc.oneof(...options), { minLength: 1, maxLength: 3 });
}

const applyMutations = (body: Record<string, unknown>, ms: Mutation[]): Record<string, unknown> => {
  const out: Record<string, unknown> = { ...body };
  for (const m of ms) {
    if (m.kind === 'drop') delete out[m.field];
    else if (m.kind === 'row') {
      // The row at `index` (the last one when the batch is shorter; a new row when it is empty).
      const list = Array.isArray(out[m.field]) ? [...(out[m.field] as unknown[])] : [];
      const at = list.length === 0 ? 0 : Math.min(m.index, list.length - 1);
      const current = list[at];
      list[at] = applyMutations(current && typeof current === 'object' && !Array.isArray(current) ? (current as Record<string, unknown>) : {}, m.mutations);
      out[m.field] = list;
    }
    // defineProperty: a field named like a prototype key becomes an own property, as JSON would carry it.
    else Object.defineProperty(out, m.field, { value: m.value, enumerable: true, writable: true, configurable: true });
  }
  return out;
};

/** Whole bodies that are not the schema's object at all. */
export const HOSTILE_PAYLOADS: (string | Buffer)[] = [
  '',
  '[]',
  'null',
  '"x"',
  '0',
  '{"__proto__":{"polluted":1}}',
  '{"constructor":{"prototype":{"polluted":1}}}',
  '{"a":1,"a":2}',
  '\uFEFF{}',
  '{}garbage',
  '{"x":1e999999}',
  `${'['.repeat(50_000)}${']'.repeat(50_000)}`,
  `{"metadata":${'{"a":'.repeat(20_000)}{}${'}'.repeat(20_000)}}`,
  Buffer.from([0x7b, 0x22, 0x61, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d]),
  Buffer.from('{"a":"\\ud800"}'),
];

export interface FuzzBody {
  /** The parsed body as sent (undefined for a hostile payload). */
  value?: Record<string, unknown>;
  payload?: string | Buffer;
  /** Fields sent that the schema does not declare. */
  extra: string[];
}

/** Fields of a body the schema does not declare, at the top level and in rows of arrays of objects (`leads[1].tenant_id`). */
function undeclared(g: GenContext, s: Schema, value: Record<string, unknown>, prefix = ''): string[] {
  const props = s.properties ?? {};
  return Object.entries(value).flatMap(([key, v]) => {
    if (!(key in props)) return [`${prefix}${key}`];
    const row = rowSchema(g, props[key]);
    if (!row || !Array.isArray(v)) return [];
    return v.flatMap((item, i) =>
      item && typeof item === 'object' && !Array.isArray(item) ? undeclared(g, row, item as Record<string, unknown>, `${prefix}${key}[${i}].`) : [],
    );
  });
}

/** A body for the schema: valid-ish, mutated or hostile; only valid-ish with `validOnly`. */
export function bodyArb(g: GenContext, name: string, s: Schema, validOnly = false): fc.Arbitrary<FuzzBody> {
  const valid = objectOf(validOnly ? { ...g, strict: true } : g, s, name);
  const withBody = (value: Record<string, unknown>): FuzzBody => ({ value, payload: JSON.stringify(value), extra: undeclared(g, s, value) });
  if (validOnly) return valid.map(withBody);
  return fc.oneof(
    { weight: 5, arbitrary: valid.map(withBody) },
    { weight: 4, arbitrary: fc.tuple(valid, mutations(g, s)).map(([v, ms]) => withBody(applyMutations(v, ms))) },
    { weight: 1, arbitrary: fc.constantFrom(...HOSTILE_PAYLOADS).map((payload) => ({ payload, extra: [] })) },
  );
}

const HOSTILE_SEGMENTS = [
  '%',
  '%2',
  '%zz',
  '%00',
  '%2e%2e',
  '..',
  '.',
  'a%2Fb',
  '%252F',
  '-1',
  '0',
  '1.5',
  '1e3',
  '0x10',
  '2147483648',
  '99999999999999999999',
  'NaN',
  '%20',
  '+',
  'WEBSITE%00',
  'website',
];

/** A path parameter: a valid value (a row the tenant has) or a hostile segment. */
export function segmentArb(valid: string[]): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...valid).map(encodeComponent) },
    { weight: 2, arbitrary: fc.constantFrom(...HOSTILE_STRINGS, 'x'.repeat(5000)).map(encodeComponent) },
    { weight: 1, arbitrary: fc.constantFrom(...HOSTILE_SEGMENTS) },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 20 }).map(encodeComponent) },
  );
}

/** A query string over the operation's declared parameters, valid or not, plus strays. */
export function queryArb(g: GenContext, op: Operation): fc.Arbitrary<string> {
  const param = (q: QueryParam): fc.Arbitrary<string | null> =>
    fc.option(
      fc
        .oneof(
          { weight: 3, arbitrary: validQueryValue(g, q) },
          {
            weight: 1,
            arbitrary: fc.oneof(
              fc.constantFrom(...HOSTILE_STRINGS, ...BAD_DATES, '', '-1', '1e3', '1.5', '501', '9007199254740993', 'TRUE', 'yes', 'x'.repeat(10_000)),
              fc.string({ unit: 'binary', maxLength: 20 }),
            ),
          },
        )
        .map((v) => `${encodeComponent(q.name)}=${encodeComponent(String(v))}`),
      { freq: 2 },
    );
  const strays = fc.constantFrom(
    '',
    '',
    '',
    'unknown=1',
    'limit=1&limit=2',
    'limit[]=1',
    'limit[$gt]=0',
    '__proto__[x]=1',
    '%zz=1',
    'a=%E0%A4%A',
    '&&',
    '=',
    'limit',
  );
  return fc.tuple(fc.tuple(...op.query.map(param)), strays).map(([values, stray]) => {
    const parts = [...values.filter((v): v is string => v !== null), ...(stray ? [stray] : [])];
    return parts.length > 0 ? `?${parts.join('&')}` : '';
  });
}

function validQueryValue(g: GenContext, q: QueryParam): fc.Arbitrary<string> {
  const refs = g.refs(q.name);
  const s = g.doc.resolve(q.schema);
  const value = (() => {
    if (s.enum) return fc.constantFrom(...s.enum.map(String));
    if (s.type === 'boolean') return fc.constantFrom('true', 'false');
    if (s.type === 'number' || s.type === 'integer') return fc.integer({ min: s.minimum ?? 0, max: Math.min(s.maximum ?? 1000, 1_000_000_000) }).map(String);
    if (s.format === 'date') return recentDay;
    return text(0, 60);
  })();
  return refs.length > 0 ? fc.oneof(fc.constantFrom(...refs.map(String)), value) : value;
}

export const roleArb: fc.Arbitrary<Role> = fc.oneof(
  { weight: 8, arbitrary: fc.constant('admin' as Role) },
  { weight: 1, arbitrary: fc.constantFrom<Role>('manager', 'agent', 'viewer') },
);

/** Extra request headers, mostly none. */
export const headersArb: fc.Arbitrary<Record<string, string>> = fc.oneof(
  { weight: 8, arbitrary: fc.constant({}) },
  {
    weight: 1,
    arbitrary: fc
      .constantFrom('"1"', '*', 'W/"1"', '"abc"', '"99999999999999999999"', '""', '"-1"', '"1.5"', '"1", "2"', 'garbage')
      .map((v) => ({ 'if-match': v })),
  },
  {
    weight: 1,
    arbitrary: fc
      .constantFrom(
        'application/json; charset=latin1',
        'APPLICATION/JSON',
        'application/vnd.api+json',
        'text/plain',
        'application/json;;',
        'multipart/form-data',
      )
      .map((v) => ({ 'content-type': v })),
  },
  { weight: 1, arbitrary: fc.constantFrom('x', '', 'a'.repeat(200), '../t').map((v) => ({ 'x-tenant-id': v })) },
);
