import { DOMAIN_EVENTS } from '../../../src/events/domain-events';
import { Role } from '../../../src/tenancy/tenant-context';
import { ApiDocument, Schema } from './doc';
import { Answer, Request, Who } from './engines';
import { CampaignRow, CodedKindName, CodedRow, TenantModel } from './model';
import { Rng } from './rng';
import {
  addDays,
  clip,
  color,
  CONTROL_TEXTS,
  count,
  COUNT_MAX,
  DAY_MS,
  dayOf,
  displayOrder,
  integrationKey,
  jsonObject,
  leadCode,
  MAX_DAY,
  MIN_DAY,
  money,
  MONEY_MAX,
  name,
  newCode,
  optionalText,
  smallMoney,
  timeOfDay,
  timestamp,
} from './values';

/**
 * The write operations of a differential run: one generator per write route of the OpenAPI document
 * (ROUTES), each making a mostly valid request from what the tenant has (the model), plus invalid
 * variants made from the route's body schema (unknown, missing, mistyped and out-of-bound fields,
 * codes in the wrong case, control characters, stale If-Match, roles that may not write, another
 * tenant's rows). `apply` moves the model with the answer.
 */

export interface Op {
  /** The OpenAPI operation: `PATCH /lead-sources/{source_code}`. */
  route: string;
  req: Request;
  /** What was made invalid on purpose, if anything (shown in a report). */
  invalid?: string;
  /** What else is special about it (shown in a report). */
  note?: string;
  apply?(answer: Answer): void;
}

export interface WriteCtx {
  rng: Rng;
  /** The run's clock now (ms): the instant both instances see while this operation runs. */
  now: number;
  /** The tenant the operation is for, and the other one (for cross-tenant references). */
  t: TenantModel;
  other: TenantModel;
  doc: ApiDocument;
}

type Gen = (c: WriteCtx) => Op | null;

const ok = (a: Answer) => a.status >= 200 && a.status < 300;
const obj = (a: Answer) => a.body as Record<string, unknown>;
const enc = encodeURIComponent;

const SUBS: Record<Role, string> = { admin: 'ada', manager: 'max', agent: 'aga', viewer: 'vic' };

/** Mostly the admin; now and then a role that may or may not write here (403 or not: both must agree). */
function who(
  c: WriteCtx,
  roleWeights: [number, Role][] = [
    [85, 'admin'],
    [7, 'manager'],
    [4, 'agent'],
    [4, 'viewer'],
  ],
): Who {
  const role = c.rng.weighted(roleWeights);
  return { tenant: c.t.tenant, role, sub: SUBS[role] };
}

/** An If-Match header: mostly none, sometimes the current version (as `"3"`, `W/"3"`, `3` or `*`), sometimes a stale one. */
function ifMatch(c: WriteCtx, version: number | undefined): Record<string, string> {
  if (version === undefined || Number.isNaN(version)) return {};
  return c.rng.weighted<Record<string, string>>([
    [14, {}],
    [3, { 'if-match': `"${version}"` }],
    [1, { 'if-match': `W/"${version}"` }],
    [1, { 'if-match': '*' }],
    [2, { 'if-match': `"${Math.max(0, version - 1)}"` }],
  ]);
}

/** Picks an existing row mostly, and otherwise a deleted one, an unknown code, another tenant's or the wrong case. */
function pathCode(c: WriteCtx, live: string[], deleted: string[], otherTenant: string[], prefix: string): { code: string; note?: string } {
  const { rng } = c;
  return rng.weighted<() => { code: string; note?: string }>([
    [live.length > 0 ? 20 : 0, () => ({ code: rng.pick(live) })],
    [deleted.length > 0 ? 2 : 0, () => ({ code: rng.pick(deleted), note: 'a deleted row' })],
    [1, () => ({ code: `${prefix}_NONE`, note: 'an unknown code' })],
    [otherTenant.length > 0 ? 1 : 0, () => ({ code: rng.pick(otherTenant), note: "the other tenant's row" })],
    [
      live.length > 0 ? 1 : 0,
      () => {
        const code = rng.pick(live);
        return { code: rng.chance(0.5) ? code.toLowerCase() : code[0] + code.slice(1).toLowerCase(), note: 'a code in the wrong case' };
      },
    ],
  ])();
}

// ---------------------------------------------------------------------------------------------
// Invalid variants, made from the body schema of the route.

function mutateBody(c: WriteCtx, route: string, body: Record<string, unknown>): { body: Record<string, unknown>; invalid: string } | null {
  const schema = c.doc.bodyOf(route);
  if (!schema?.properties) return null;
  const { rng } = c;
  const props = Object.entries(schema.properties).map(([k, s]) => [k, c.doc.resolve(s)] as [string, Schema]);
  const out = { ...body };
  const kinds: [number, () => string | null][] = [
    [2, () => ((out.bogus_field = rng.pick([1, 'x', null])), 'an unknown field')],
    [
      2,
      () => {
        const required = schema.required ?? [];
        if (required.length === 0) return null;
        const k = rng.pick(required);
        delete out[k];
        return `${k} missing`;
      },
    ],
    [
      3,
      () => {
        const [k, s] = rng.pick(props);
        out[k] =
          s.type === 'string'
            ? rng.pick([12, true, [], {}])
            : s.type === 'array'
              ? rng.pick(['x', {}, 1])
              : s.type === 'boolean'
                ? rng.pick(['true', 1, 'yes'])
                : rng.pick(['12', true, [], '1e3']);
        return `${k} of the wrong type`;
      },
    ],
    [
      3,
      () => {
        const bounded = props.filter(([, s]) => s.maxLength !== undefined || s.maximum !== undefined || s.minimum !== undefined || s.maxItems !== undefined);
        if (bounded.length === 0) return null;
        const [k, s] = rng.pick(bounded);
        if (s.type === 'string' && s.maxLength !== undefined) out[k] = rng.pick(['x', '😀', 'é']).repeat(s.maxLength + 1);
        else if (s.type === 'array' && s.maxItems !== undefined) out[k] = Array.from({ length: s.maxItems + 1 }, (_v, i) => `A${i}`);
        else if (s.maximum !== undefined && rng.chance(0.5)) out[k] = s.maximum + (s.type === 'integer' ? 1 : 0.01);
        else if (s.minimum !== undefined) out[k] = s.minimum - 1;
        else return null;
        return `${k} out of bounds`;
      },
    ],
    [
      2,
      () => {
        const money = props.filter(([k, s]) => s.type === 'number' && /budget|value|cost|spend|revenue|cpl|cpm|roi/.test(k));
        if (money.length === 0) return null;
        const [k] = rng.pick(money);
        out[k] = rng.pick([1.005, 0.001, 1e-7, -0.01, Number.MAX_SAFE_INTEGER]);
        return `${k} not money`;
      },
    ],
    [
      2,
      () => {
        const codes = props.filter(([k, s]) => /_code$/.test(k) && s.type === 'string' && typeof out[k] === 'string');
        if (codes.length === 0) return null;
        const [k] = rng.pick(codes);
        out[k] = rng.chance(0.5) ? String(out[k]).toLowerCase() : `${String(out[k])[0]}${String(out[k]).slice(1).toLowerCase()}x`;
        return `${k} in the wrong case`;
      },
    ],
    [
      2,
      () => {
        const names = props.filter(([k, s]) => s.type === 'string' && /_name$|description|notes|icon/.test(k));
        if (names.length === 0) return null;
        const [k] = rng.pick(names);
        out[k] = rng.pick(CONTROL_TEXTS);
        return `${k} with a control character`;
      },
    ],
    [
      1,
      () => {
        const notNull = props.filter(([k, s]) => !s.nullable && k in out);
        if (notNull.length === 0) return null;
        const [k] = rng.pick(notNull);
        out[k] = null;
        return `${k} null`;
      },
    ],
  ];
  for (let attempt = 0; attempt < 4; attempt++) {
    const invalid = rng.weighted(kinds)();
    if (invalid) return { body: out, invalid };
  }
  return null;
}

/** Bodies that are not the route's JSON object at all, or not JSON (400, or 415 for another media type). */
const RAW_BODIES: [string, Record<string, string>][] = [
  ['{"a":', {}],
  ['[]', {}],
  ['null', {}],
  ['"x"', {}],
  ['{"__proto__":{"x":1}}', {}],
  ['{"ok":1}', { 'content-type': 'text/plain' }],
  ['{}', { 'content-type': 'application/json; charset=latin1' }],
];

/** Wraps a generator: about one operation in eight gets an invalid body, a few a body that is not one. */
function withInvalid(gen: Gen): Gen {
  return (c) => {
    const op = gen(c);
    if (op && !op.invalid && op.req.body !== undefined && c.rng.chance(0.015)) {
      const [raw, headers] = c.rng.pick(RAW_BODIES);
      return { ...op, req: { ...op.req, body: raw, headers: { ...op.req.headers, ...headers } }, invalid: `the body ${raw} ${JSON.stringify(headers)}` };
    }
    if (!op || op.invalid || !op.req.body || typeof op.req.body !== 'object' || Array.isArray(op.req.body) || !c.rng.chance(0.12)) return op;
    const mutated = mutateBody(c, op.route, op.req.body as Record<string, unknown>);
    if (!mutated) return op;
    return { ...op, req: { ...op.req, body: mutated.body }, invalid: mutated.invalid };
  };
}

/** Random subset of optional fields: each generator is called only for the fields picked. */
function fields(c: WriteCtx, generators: Record<string, () => unknown>, min: number, max: number): Record<string, unknown> {
  const keys = c.rng.some(Object.keys(generators), max, min);
  return Object.fromEntries(keys.map((k) => [k, generators[k]()]));
}

// ---------------------------------------------------------------------------------------------
// Code-addressed configuration resources (API.md §3–§5): create, PATCH, delete, (de)activate, restore.

interface CodedKind {
  kind: CodedKindName;
  path: string;
  param: string;
  codeField: string;
  nameField: string;
  prefix: string;
  optional(c: WriteCtx): Record<string, () => unknown>;
  /** Rules between fields that a schema cannot say, so that most bodies are stored. */
  cohere?(body: Record<string, unknown>, c: WriteCtx): void;
}

/** The source and subsource a touch that no attribution rule maps goes to (seeded for every tenant). */
const UNMAPPED = 'UNMAPPED';

const SOURCE_TYPES = ['website', 'email', 'phone', 'referral', 'event', 'social', 'direct', 'partner', 'import'];

const days = (c: WriteCtx, min: number, max: number) => () =>
  c.rng.weighted<number | null>([
    [2, null],
    [5, c.rng.int(min, Math.min(max, 60))],
    [1, max],
    [1, min],
  ]);
const flag = (c: WriteCtx) => () => c.rng.chance(0.5);
const nullableMoney = (c: WriteCtx) => () => (c.rng.chance(0.2) ? null : money(c.rng));

export const CODED: CodedKind[] = [
  {
    kind: 'leadSource',
    path: '/lead-sources',
    param: 'source_code',
    codeField: 'source_code',
    nameField: 'source_name',
    prefix: 'SRC',
    optional: (c) => ({
      source_type: () => c.rng.pick(SOURCE_TYPES),
      description: () => optionalText(c.rng, 2000),
      icon: () => optionalText(c.rng, 100),
      color_hex: () => color(c.rng),
      display_order: () => displayOrder(c.rng),
      is_active: () => c.rng.chance(0.8),
      is_default: flag(c),
      metadata: () => jsonObject(c.rng),
    }),
    cohere: (b, c) => {
      b.source_type ??= c.rng.pick(SOURCE_TYPES);
    },
  },
  {
    kind: 'leadChannel',
    path: '/lead-channels',
    param: 'channel_code',
    codeField: 'channel_code',
    nameField: 'channel_name',
    prefix: 'LCH',
    optional: (c) => ({
      description: () => optionalText(c.rng, 2000),
      icon: () => optionalText(c.rng, 100),
      display_order: () => displayOrder(c.rng),
      is_active: () => c.rng.chance(0.8),
    }),
  },
  {
    kind: 'milestoneType',
    path: '/milestone-types',
    param: 'type_code',
    codeField: 'type_code',
    nameField: 'type_name',
    prefix: 'MT',
    optional: (c) => ({
      category: () => c.rng.pick(['engagement', 'action', 'decision', 'completion']),
      description: () => optionalText(c.rng, 2000),
      icon: () => optionalText(c.rng, 100),
      color_hex: () => color(c.rng),
      display_order: () => displayOrder(c.rng),
      is_active: () => c.rng.chance(0.85),
      is_required: flag(c),
      is_mandatory: () => c.rng.chance(0.2),
      typical_duration_days: days(c, 0, 3650),
      sla_days: days(c, 0, 3650),
      allows_attachment: () => c.rng.chance(0.8),
      allows_location: () => c.rng.chance(0.8),
      allows_notes: () => c.rng.chance(0.8),
      metadata: () => jsonObject(c.rng),
    }),
  },
  {
    kind: 'campaignType',
    path: '/campaign-types',
    param: 'type_code',
    codeField: 'type_code',
    nameField: 'type_name',
    prefix: 'CT',
    optional: (c) => ({
      description: () => optionalText(c.rng, 2000),
      icon: () => optionalText(c.rng, 100),
      color_hex: () => color(c.rng),
      display_order: () => displayOrder(c.rng),
      is_active: () => c.rng.chance(0.85),
      is_default: flag(c),
      typical_duration_days: days(c, 1, 3660),
      min_budget: nullableMoney(c),
      max_budget: nullableMoney(c),
      recommended_budget: nullableMoney(c),
      metadata: () => jsonObject(c.rng),
    }),
    cohere: (b, c) => {
      // min ≤ recommended ≤ max, mostly.
      if (c.rng.chance(0.9)) {
        const given = ['min_budget', 'recommended_budget', 'max_budget'].filter((k) => typeof b[k] === 'number');
        const sorted = given.map((k) => b[k] as number).sort((x, y) => x - y);
        given.forEach((k, i) => (b[k] = sorted[i]));
      }
    },
  },
  {
    kind: 'campaignChannel',
    path: '/campaign-channels',
    param: 'channel_code',
    codeField: 'channel_code',
    nameField: 'channel_name',
    prefix: 'CC',
    optional: (c) => ({
      description: () => optionalText(c.rng, 2000),
      icon: () => optionalText(c.rng, 100),
      display_order: () => displayOrder(c.rng),
      is_active: () => c.rng.chance(0.85),
      is_default: flag(c),
      average_cpl: nullableMoney(c),
      average_cpm: nullableMoney(c),
      average_roi: () =>
        c.rng.weighted<number | null>([
          [1, null],
          [3, c.rng.int(-10_000, 50_000) / 100],
          [1, -100],
        ]),
      integration_key: () => (c.rng.chance(0.15) ? null : integrationKey(c.rng)),
      integration_data: () => jsonObject(c.rng),
    }),
  },
  {
    kind: 'campaignStatus',
    path: '/campaign-statuses',
    param: 'status_code',
    codeField: 'status_code',
    nameField: 'status_name',
    prefix: 'CS',
    optional: (c) => ({
      description: () => optionalText(c.rng, 2000),
      color_hex: () => color(c.rng),
      display_order: () => displayOrder(c.rng),
      is_active: () => c.rng.chance(0.9),
      is_initial: () => c.rng.chance(0.1),
      is_final: () => c.rng.chance(0.2),
      allows_editing: () => c.rng.chance(0.85),
      allowed_transitions: () => c.rng.some([...c.t.codes('campaignStatus'), ...(c.rng.chance(0.1) ? ['CS_NONE'] : [])], 3),
    }),
    cohere: (b) => {
      if (b.is_initial === true) Object.assign(b, { is_final: false, is_active: true });
      if (b.is_final === true) b.allowed_transitions = [];
    },
  },
  {
    kind: 'budgetType',
    path: '/campaign-budget-types',
    param: 'budget_type_code',
    codeField: 'budget_type_code',
    nameField: 'budget_type_name',
    prefix: 'BT',
    optional: (c) => ({
      description: () => optionalText(c.rng, 2000),
      display_order: () => displayOrder(c.rng),
      is_active: () => c.rng.chance(0.85),
    }),
  },
];

function codedRoutes(k: CodedKind): Record<string, [number, Gen]> {
  const item = `${k.path}/{${k.param}}`;
  const rows = (c: WriteCtx) => [...c.t.coded[k.kind].values()];
  const target = (c: WriteCtx, pick: (r: CodedRow) => boolean) => {
    const all = rows(c);
    return pathCode(
      c,
      all.filter(pick).map((r) => r.code),
      all.filter((r) => !r.live).map((r) => r.code),
      c.other.codes(k.kind),
      k.prefix,
    );
  };
  const update = (c: WriteCtx) => (a: Answer) => {
    if (ok(a) && a.status !== 204) {
      c.t.setCoded(k.kind, obj(a), k.codeField);
      c.t.noteName(obj(a)[k.nameField]);
    }
  };
  return {
    [`POST ${k.path}`]: [
      2,
      withInvalid((c) => {
        const existing = c.t.codes(k.kind);
        const code = existing.length > 0 && c.rng.chance(0.08) ? c.rng.pick(existing) : newCode(c.rng, k.prefix);
        const body: Record<string, unknown> = { [k.codeField]: code, [k.nameField]: name(c.rng), ...fields(c, k.optional(c), 0, 5) };
        k.cohere?.(body, c);
        return { route: `POST ${k.path}`, req: { method: 'POST', path: k.path, body, who: who(c) }, apply: update(c) };
      }),
    ],
    [`PATCH ${item}`]: [
      2,
      withInvalid((c) => {
        const { code, note } = target(c, (r) => r.live);
        const row = c.t.coded[k.kind].get(code);
        const body = fields(c, { [k.nameField]: () => name(c.rng), ...k.optional(c) }, 1, 3);
        k.cohere?.(body, c);
        const path = `${k.path}/${enc(code)}`;
        return {
          route: `PATCH ${item}`,
          req: { method: 'PATCH', path, body, who: who(c), headers: ifMatch(c, row?.version) },
          invalid: note,
          apply: update(c),
        };
      }),
    ],
    [`DELETE ${item}`]: [
      0.6,
      (c) => {
        // The source UNMAPPED seldom: touches no rule maps need it (its deletion is a case of its own, an unplaceable touch).
        const { code, note } = target(c, (r) => r.live && (k.kind !== 'leadSource' || r.code !== UNMAPPED || c.rng.chance(0.15)));
        const row = c.t.coded[k.kind].get(code);
        return {
          route: `DELETE ${item}`,
          req: { method: 'DELETE', path: `${k.path}/${enc(code)}`, who: who(c), headers: ifMatch(c, row?.version) },
          invalid: note,
          apply: (a) => {
            if (a.status === 204 && row) row.live = false;
            if (a.status === 204 && k.kind === 'leadSource') for (const sub of c.t.subsources.get(code)?.values() ?? []) sub.live = false;
          },
        };
      },
    ],
    [`POST ${item}/activate`]: [
      0.4,
      (c) => {
        const { code, note } = target(c, (r) => r.live && (!r.active || c.rng.chance(0.2)));
        return {
          route: `POST ${item}/activate`,
          req: { method: 'POST', path: `${k.path}/${enc(code)}/activate`, who: who(c) },
          invalid: note,
          apply: update(c),
        };
      },
    ],
    [`POST ${item}/deactivate`]: [
      0.5,
      (c) => {
        const { code, note } = target(c, (r) => r.live && (r.active || c.rng.chance(0.2)));
        return {
          route: `POST ${item}/deactivate`,
          req: { method: 'POST', path: `${k.path}/${enc(code)}/deactivate`, who: who(c) },
          invalid: note,
          apply: update(c),
        };
      },
    ],
    [`POST ${item}/restore`]: [
      0.5,
      (c) => {
        const deleted = rows(c)
          .filter((r) => !r.live)
          .map((r) => r.code);
        // A deleted UNMAPPED source is restored first most of the time (with its subsources).
        const unmapped = k.kind === 'leadSource' && deleted.includes(UNMAPPED) && c.rng.chance(0.7);
        const { code, note } = unmapped
          ? { code: UNMAPPED, note: undefined }
          : c.rng.chance(0.8) && deleted.length > 0
            ? { code: c.rng.pick(deleted), note: undefined }
            : target(c, (r) => r.live);
        return {
          route: `POST ${item}/restore`,
          req: {
            method: 'POST',
            path: `${k.path}/${enc(code)}/restore`,
            who: who(c, [
              [90, 'admin'],
              [10, 'manager'],
            ]),
          },
          invalid: note,
          apply: update(c),
        };
      },
    ],
  };
}

// ---------------------------------------------------------------------------------------------
// Subsources (under a source).

function subsourceRoutes(): Record<string, [number, Gen]> {
  const base = '/lead-sources/{source_code}/subsources';
  const item = `${base}/{sub_source_code}`;
  const optional = (c: WriteCtx) => ({
    description: () => optionalText(c.rng, 2000),
    icon: () => optionalText(c.rng, 100),
    display_order: () => displayOrder(c.rng),
    is_active: () => c.rng.chance(0.85),
    cost_per_lead: () => (c.rng.chance(0.9) ? smallMoney(c.rng) : money(c.rng)),
    metadata: () => jsonObject(c.rng),
  });
  const source = (c: WriteCtx, withSubs: boolean) => {
    const live = c.t.codes('leadSource').filter((s) => !withSubs || [...(c.t.subsources.get(s)?.values() ?? [])].length > 0);
    return pathCode(
      c,
      live,
      c.t.codes('leadSource', (r) => !r.live),
      c.other.codes('leadSource'),
      'SRC',
    );
  };
  const sub = (c: WriteCtx, src: string, pick: (r: CodedRow) => boolean) =>
    pathCode(
      c,
      c.t.subsourceCodes(src, pick),
      c.t.subsourceCodes(src, (r) => !r.live),
      [],
      'SUB',
    );
  const update = (c: WriteCtx, src: string) => (a: Answer) => {
    if (ok(a) && a.status !== 204) {
      c.t.setSubsource(src, obj(a));
      c.t.noteName(obj(a).sub_source_name);
    }
  };
  const itemOp =
    (
      route: string,
      method: 'POST' | 'PATCH' | 'DELETE',
      suffix: string,
      pick: (r: CodedRow, c: WriteCtx) => boolean,
      extra: (c: WriteCtx, row?: CodedRow) => Partial<Request> = () => ({}),
    ): Gen =>
    (c) => {
      // A deleted UNMAPPED/UNMAPPED is restored first most of the time: while it is not live, touches no rule maps are refused.
      const unmapped = route.endsWith('/restore') && c.t.subsources.get(UNMAPPED)?.get(UNMAPPED)?.live === false && c.rng.chance(0.7);
      const s: { code: string; note?: string } = unmapped ? { code: UNMAPPED } : source(c, true);
      const u: { code: string; note?: string } = unmapped ? { code: UNMAPPED } : sub(c, s.code, (r) => pick(r, c));
      const row = c.t.subsources.get(s.code)?.get(u.code);
      return {
        route,
        req: { method, path: `/lead-sources/${enc(s.code)}/subsources/${enc(u.code)}${suffix}`, who: who(c), ...extra(c, row) },
        invalid: s.note ?? u.note,
        apply: (a) => {
          if (a.status === 204 && row) row.live = false;
          // A cost entry is not the subsource (whose version and cost_per_lead the next read sweep brings).
          else if (!route.endsWith('/costs')) update(c, s.code)(a);
        },
      };
    };
  return {
    [`POST ${base}`]: [
      2,
      withInvalid((c) => {
        const s = source(c, false);
        const existing = c.t.subsourceCodes(s.code);
        const code = existing.length > 0 && c.rng.chance(0.08) ? c.rng.pick(existing) : newCode(c.rng, 'SUB');
        const body = { sub_source_code: code, sub_source_name: name(c.rng), ...fields(c, optional(c), 0, 4) };
        return {
          route: `POST ${base}`,
          req: { method: 'POST', path: `/lead-sources/${enc(s.code)}/subsources`, body, who: who(c) },
          invalid: s.note,
          apply: update(c, s.code),
        };
      }),
    ],
    [`PATCH ${item}`]: [
      1.5,
      withInvalid(
        itemOp(
          `PATCH ${item}`,
          'PATCH',
          '',
          (r) => r.live,
          (c, row) => ({
            body: fields(c, { sub_source_name: () => name(c.rng), ...optional(c) }, 1, 3),
            headers: ifMatch(c, row?.version),
          }),
        ),
      ),
    ],
    [`DELETE ${item}`]: [
      0.7,
      itemOp(
        `DELETE ${item}`,
        'DELETE',
        '',
        // UNMAPPED/UNMAPPED seldom: touches need it (and its deletion is a case of its own, an unplaceable touch).
        (r, c) => r.live && (r.code !== UNMAPPED || c.rng.chance(0.15)),
        (c, row) => ({ headers: ifMatch(c, row?.version) }),
      ),
    ],
    [`POST ${item}/activate`]: [0.5, itemOp(`POST ${item}/activate`, 'POST', '/activate', (r, c) => r.live && (!r.active || c.rng.chance(0.2)))],
    [`POST ${item}/deactivate`]: [0.5, itemOp(`POST ${item}/deactivate`, 'POST', '/deactivate', (r, c) => r.live && (r.active || c.rng.chance(0.2)))],
    [`POST ${item}/restore`]: [0.6, itemOp(`POST ${item}/restore`, 'POST', '/restore', (r, c) => !r.live || c.rng.chance(0.1))],
    // The cost history: a cost from a day (not after the tenant's today; null: from the beginning). Days
    // repeat (a day's entry is replaced, 200), and lie over the back-filled leads' days, so that a new
    // lead's default acquisition_cost is the cost in force on its created_at day.
    [`POST ${item}/costs`]: [
      1.5,
      withInvalid(
        itemOp(
          `POST ${item}/costs`,
          'POST',
          '/costs',
          (r) => r.live,
          (c) => ({
            body: {
              cost_per_lead: c.rng.chance(0.9) ? smallMoney(c.rng) : money(c.rng),
              valid_from: c.rng.weighted<() => string | null>([
                [2, () => null],
                [10, () => dayOf(c.now - c.rng.int(0, 450) * DAY_MS)],
                [3, () => dayOf(c.now - c.rng.int(0, 3) * DAY_MS)],
                [2, () => dayOf(c.now + c.rng.int(-1, 1) * DAY_MS)],
                [1, () => dayOf(c.now + c.rng.int(2, 30) * DAY_MS)],
                [1, () => c.rng.pick([MIN_DAY, '1899-12-31', '2025-02-29', '2024-02-29', 'today'])],
              ])(),
            },
          }),
        ),
      ),
    ],
  };
}

// ---------------------------------------------------------------------------------------------
// Milestone templates and campaign templates (addressed by id).

function idTarget(
  c: WriteCtx,
  rows: Map<number, { id: number; live: boolean }>,
  pick: (r: { id: number; live: boolean }) => boolean,
  others: Map<number, unknown>,
): { id: string; note?: string } {
  const all = [...rows.values()];
  const live = all.filter(pick).map((r) => r.id);
  return c.rng.weighted<() => { id: string; note?: string }>([
    [live.length > 0 ? 20 : 0, () => ({ id: String(c.rng.pick(live)) })],
    [all.length > 0 ? 2 : 0, () => ({ id: String(c.rng.pick(all).id), note: 'any row' })],
    [1, () => ({ id: String(c.rng.pick([999_999, 2_147_483_647])), note: 'an unknown id' })],
    [others.size > 0 ? 1 : 0, () => ({ id: String(c.rng.pick([...others.keys()])), note: "the other tenant's row" })],
  ])();
}

function sequence(c: WriteCtx): string[] {
  const live = c.t.codes('milestoneType');
  const seq = c.rng.some(live, 6, 1);
  if (c.rng.chance(0.08)) seq.push(c.rng.pick([...c.t.codes('milestoneType', (r) => !r.live), 'MT_NONE']));
  if (c.rng.chance(0.04) && seq.length > 0) seq.push(seq[0]);
  return seq;
}

function milestoneTemplateRoutes(): Record<string, [number, Gen]> {
  const item = '/milestone-templates/{id}';
  const optional = (c: WriteCtx) => ({
    description: () => optionalText(c.rng, 2000),
    is_active: () => c.rng.chance(0.85),
    is_default: () => c.rng.chance(0.3),
    estimated_days: () =>
      c.rng.weighted<number | null>([
        [2, null],
        [3, c.rng.int(0, 400)],
        [1, 100_000],
      ]),
  });
  const update = (c: WriteCtx) => (a: Answer) => {
    if (ok(a) && a.status !== 204) {
      const b = obj(a);
      c.t.milestoneTemplates.set(Number(b.id), { id: Number(b.id), live: b.deleted_at == null, active: b.is_active !== false, version: Number(b.version) });
      c.t.noteName(b.template_name);
    }
  };
  const target = (c: WriteCtx, pick: (r: { live: boolean }) => boolean) => idTarget(c, c.t.milestoneTemplates, pick, c.other.milestoneTemplates);
  return {
    'POST /milestone-templates': [
      1,
      withInvalid((c) => ({
        route: 'POST /milestone-templates',
        req: {
          method: 'POST',
          path: '/milestone-templates',
          body: {
            template_name: name(c.rng),
            template_type: c.rng.pick(['standard', 'campaign', 'project', 'custom']),
            sequence: sequence(c),
            ...fields(c, optional(c), 0, 3),
          },
          who: who(c),
        },
        apply: update(c),
      })),
    ],
    [`PATCH ${item}`]: [
      1,
      withInvalid((c) => {
        const { id, note } = target(c, (r) => r.live);
        const row = c.t.milestoneTemplates.get(Number(id));
        const body = fields(
          c,
          {
            template_name: () => name(c.rng),
            template_type: () => c.rng.pick(['standard', 'campaign', 'project', 'custom']),
            sequence: () => sequence(c),
            ...optional(c),
          },
          1,
          3,
        );
        return {
          route: `PATCH ${item}`,
          req: { method: 'PATCH', path: `/milestone-templates/${id}`, body, who: who(c), headers: ifMatch(c, row?.version) },
          invalid: note,
          apply: update(c),
        };
      }),
    ],
    [`DELETE ${item}`]: [
      0.5,
      (c) => {
        const { id, note } = target(c, (r) => r.live);
        const row = c.t.milestoneTemplates.get(Number(id));
        return {
          route: `DELETE ${item}`,
          req: { method: 'DELETE', path: `/milestone-templates/${id}`, who: who(c), headers: ifMatch(c, row?.version) },
          invalid: note,
          apply: (a) => {
            if (a.status === 204 && row) row.live = false;
          },
        };
      },
    ],
    [`POST ${item}/restore`]: [
      0.5,
      (c) => {
        const { id, note } = target(c, (r) => !r.live);
        return {
          route: `POST ${item}/restore`,
          req: {
            method: 'POST',
            path: `/milestone-templates/${id}/restore`,
            who: who(c, [
              [90, 'admin'],
              [10, 'manager'],
            ]),
          },
          invalid: note,
          apply: update(c),
        };
      },
    ],
  };
}

function kpis(c: WriteCtx): string[] {
  return [...new Set(c.rng.some(['ctr', 'leads', 'CTR', 'Leads', 'roi', 'cpl', '😀', 'é', 'e\u0301', 'x'.repeat(100)], 4))];
}

function campaignChannels(c: WriteCtx): { channel_code: string; allocated_budget?: number }[] {
  const live = c.t.liveActive('campaignChannel');
  return c.rng.some(live, 3).map((code) => (c.rng.chance(0.8) ? { channel_code: code, allocated_budget: smallMoney(c.rng) } : { channel_code: code }));
}

function budgetFor(c: WriteCtx, typeCode: unknown): number | null {
  const type = typeof typeCode === 'string' ? c.t.coded.campaignType.get(typeCode)?.fields : undefined;
  const min = typeof type?.min_budget === 'number' ? type.min_budget : 0;
  const max = typeof type?.max_budget === 'number' ? type.max_budget : min + 100_000;
  if (c.rng.chance(0.1)) return c.rng.pick([null, 0, money(c.rng)]);
  return Math.round((min + (c.rng.int(0, 1000) / 1000) * Math.max(0, max - min)) * 100) / 100;
}

function campaignTemplateRoutes(): Record<string, [number, Gen]> {
  const item = '/campaign-templates/{id}';
  const optional = (c: WriteCtx, typeCode: () => unknown) => ({
    description: () => optionalText(c.rng, 2000),
    default_channels: () => c.rng.some([...c.t.liveActive('campaignChannel'), ...(c.rng.chance(0.05) ? ['CC_NONE'] : [])], 3),
    default_budget: () => budgetFor(c, typeCode()),
    default_budget_type_code: () => (c.rng.chance(0.2) ? null : c.rng.pick([...c.t.liveActive('budgetType'), 'BT_NONE'])),
    default_duration_days: () =>
      c.rng.weighted<number | null>([
        [1, null],
        [4, c.rng.int(1, 120)],
        [1, 3660],
      ]),
    target_audience: () => jsonObject(c.rng),
    kpis: () => kpis(c),
    is_active: () => c.rng.chance(0.85),
    is_default: () => c.rng.chance(0.3),
  });
  const update = (c: WriteCtx) => (a: Answer) => {
    if (ok(a) && a.status !== 204) {
      const b = obj(a);
      c.t.campaignTemplates.set(Number(b.id), { id: Number(b.id), live: b.deleted_at == null, active: b.is_active !== false, version: Number(b.version) });
      c.t.noteName(b.template_name);
    }
  };
  const target = (c: WriteCtx, pick: (r: { live: boolean; active?: boolean }) => boolean) =>
    idTarget(c, c.t.campaignTemplates, pick, c.other.campaignTemplates);
  const simple =
    (route: string, suffix: string, pick: (r: { live: boolean; active?: boolean }) => boolean, roles?: [number, Role][]): Gen =>
    (c) => {
      const { id, note } = target(c, pick);
      return { route, req: { method: 'POST', path: `/campaign-templates/${id}${suffix}`, who: who(c, roles) }, invalid: note, apply: update(c) };
    };
  return {
    'POST /campaign-templates': [
      1,
      withInvalid((c) => {
        const type = c.rng.chance(0.95) && c.t.liveActive('campaignType').length > 0 ? c.rng.pick(c.t.liveActive('campaignType')) : 'CT_NONE';
        const body = {
          template_name: name(c.rng),
          campaign_type_code: type,
          ...fields(
            c,
            optional(c, () => type),
            0,
            5,
          ),
        };
        return { route: 'POST /campaign-templates', req: { method: 'POST', path: '/campaign-templates', body, who: who(c) }, apply: update(c) };
      }),
    ],
    [`PATCH ${item}`]: [
      1,
      withInvalid((c) => {
        const { id, note } = target(c, (r) => r.live);
        const row = c.t.campaignTemplates.get(Number(id));
        let type: unknown;
        const body = fields(
          c,
          {
            template_name: () => name(c.rng),
            campaign_type_code: () => (type = c.rng.pick(c.t.liveActive('campaignType').concat('CT_NONE'))),
            ...optional(c, () => type),
          },
          1,
          3,
        );
        return {
          route: `PATCH ${item}`,
          req: { method: 'PATCH', path: `/campaign-templates/${id}`, body, who: who(c), headers: ifMatch(c, row?.version) },
          invalid: note,
          apply: update(c),
        };
      }),
    ],
    [`DELETE ${item}`]: [
      0.6,
      (c) => {
        const { id, note } = target(c, (r) => r.live);
        const row = c.t.campaignTemplates.get(Number(id));
        return {
          route: `DELETE ${item}`,
          req: { method: 'DELETE', path: `/campaign-templates/${id}`, who: who(c), headers: ifMatch(c, row?.version) },
          invalid: note,
          apply: (a) => {
            if (a.status === 204 && row) row.live = false;
          },
        };
      },
    ],
    [`POST ${item}/activate`]: [0.4, simple(`POST ${item}/activate`, '/activate', (r) => r.live && !r.active)],
    [`POST ${item}/deactivate`]: [0.4, simple(`POST ${item}/deactivate`, '/deactivate', (r) => r.live && r.active !== false)],
    [`POST ${item}/restore`]: [
      0.5,
      simple(`POST ${item}/restore`, '/restore', (r) => !r.live, [
        [90, 'admin'],
        [10, 'manager'],
      ]),
    ],
    [`POST ${item}/instantiate`]: [
      1,
      withInvalid((c) => {
        const { id, note } = target(c, (r) => r.live);
        const body: Record<string, unknown> = {
          campaign_code: newCode(c.rng, 'CMP'),
          campaign_name: name(c.rng),
          start_date: c.rng.chance(0.97) ? dayOf(c.now + c.rng.int(-200, 30) * DAY_MS) : c.rng.pick([MIN_DAY, addDays(MAX_DAY, -10), MAX_DAY]),
          ...fields(
            c,
            {
              budget: () => (c.rng.chance(0.3) ? null : smallMoney(c.rng)),
              end_date: () => (c.rng.chance(0.3) ? null : dayOf(c.now + c.rng.int(-100, 200) * DAY_MS)),
              channels: () => campaignChannels(c),
              kpis: () => kpis(c),
              status_code: () => c.rng.pick(c.t.codes('campaignStatus').concat('CS_NONE')),
              budget_type_code: () => c.rng.pick(c.t.liveActive('budgetType').concat('BT_NONE')),
              target_audience: () => jsonObject(c.rng),
            },
            0,
            3,
          ),
        };
        if (typeof body.end_date === 'string' && body.end_date < String(body.start_date) && c.rng.chance(0.9)) delete body.end_date;
        return {
          route: `POST ${item}/instantiate`,
          req: { method: 'POST', path: `/campaign-templates/${id}/instantiate`, body, who: who(c) },
          invalid: note,
          apply: (a) => {
            if (ok(a)) c.t.setCampaign(obj(a));
          },
        };
      }),
    ],
  };
}

// ---------------------------------------------------------------------------------------------
// Leads (API.md §3): back-filled mostly, so that analytics ranges are deterministic.

const LEAD_STATUSES = ['new', 'contacted', 'qualified', 'negotiation', 'converted', 'lost'];

/** Stage timestamps after `fromMs`, in order, not after now; sometimes out of order (a 400). */
function stages(c: WriteCtx, fromMs: number, status: string, clean = false): Record<string, string> {
  const { rng } = c;
  const out: Record<string, string> = {};
  if (!rng.chance(0.35)) return out;
  let t = fromMs;
  const step = () => (t = Math.min(c.now, t + rng.int(0, Math.max(1, Math.floor((c.now - t) / 3)))));
  for (const stage of ['contacted_at', 'qualified_at', 'converted_at']) {
    if (rng.chance(0.6)) out[stage] = timestamp(rng, step());
    if (stage === 'converted_at' && status !== 'converted' && rng.chance(0.7)) delete out[stage];
  }
  if (status === 'lost' && rng.chance(0.6)) out.lost_at = timestamp(rng, step());
  if (!clean && rng.chance(0.05)) out[rng.pick(['contacted_at', 'qualified_at'])] = timestamp(rng, fromMs - rng.int(1, 10) * DAY_MS);
  return out;
}

const EDGE_INSTANTS = [
  '0001-01-01T00:00:00Z',
  '0999-12-31T23:59:59.999Z',
  '1000-01-01T00:00:00Z',
  '1899-12-31T23:59:59Z',
  '1900-01-01T00:00:00Z',
  '1969-12-31T23:59:59.999Z',
  '1970-01-01T00:00:00Z',
];

// ---------------------------------------------------------------------------------------------
// Touches and attribution rules (API.md §3, docs/attribution.md).

/**
 * UTM values, in families that differ in case, accents and normalization only (rules match them
 * case-insensitively after NFC, in the service: the same on both engines whatever the collation),
 * and values that are prefixes of others.
 */
const UTM_SOURCES = [
  'google',
  'facebook',
  'newsletter',
  'Google',
  'GOOGLE',
  'google-ads',
  'goo',
  'Facebook',
  'fb',
  'bing',
  'Ärger',
  'ärger',
  'ÄRGER',
  'google_ads',
  '😀',
  'A\u0308rger',
  'Arger',
  'İstanbul',
  'straße',
  'STRASSE',
  '😀 ads',
  '%',
  '_',
];
const UTM_MEDIA = ['cpc', 'email', 'social', 'CPC', 'organic', 'paid_social', 'paid', 'display', 'é', 'e\u0301'];
const UTM_CAMPAIGNS = ['spring_sale', 'summer', 'brand', 'Spring_Sale_2026', 'spring', 'black-friday', 'BLACK-FRIDAY', 'brand_search', 'x'.repeat(255)];
const CLICK_IDS = ['Cj0KCQiA-abc_123', 'IwAR3x-Yz', 'b1c2d3e4f5', '~!@#$%^&*()', 'x'.repeat(255)];
const BAD_CLICK_IDS = ['has space', 'é', 'x'.repeat(256), 'tab\there'];
const URLS = [
  'https://www.google.com/',
  'https://example.com/offer?utm_source=google&utm_medium=cpc',
  'http://localhost:3000/landing',
  'https://203.0.113.9/x',
  'https://shop.example.org/%C3%A9t%C3%A9#top',
  `https://example.com/${'p'.repeat(2020)}`,
];
const BAD_URLS = ['ftp://example.com/x', 'javascript:alert(1)', 'example.com/page', '/relative', `https://example.com/${'p'.repeat(2040)}`, ''];

/** A UTM value a rule's condition may meet: one of the pool's first three (the common ones) half the time, any of it mostly, sometimes a random string. */
const utmValue = (c: WriteCtx, pool: string[]) =>
  c.rng.weighted<() => string>([
    [5, () => c.rng.pick(pool.slice(0, 3))],
    [4, () => c.rng.pick(pool)],
    [1, () => clip(name(c.rng), 255)],
  ])();

/**
 * A touch: some UTM parameters, click ids and URLs, and an occurred_at (`at`: when it happened, left out
 * when undefined); `clean`: no deliberate mistake.
 */
function touchBody(c: WriteCtx, at: number | undefined, clean = false): Record<string, unknown> {
  const { rng } = c;
  const body = fields(
    c,
    {
      utm_source: () => utmValue(c, UTM_SOURCES),
      utm_medium: () => utmValue(c, UTM_MEDIA),
      utm_campaign: () => utmValue(c, UTM_CAMPAIGNS),
      utm_content: () => clip(name(rng), 255),
      utm_term: () => clip(name(rng), 255),
      gclid: () => rng.pick(CLICK_IDS),
      fbclid: () => rng.pick(CLICK_IDS),
      msclkid: () => rng.pick(CLICK_IDS),
      referrer: () => rng.pick(URLS),
      landing_page: () => rng.pick(URLS),
    },
    0,
    6,
  );
  // UTM source mostly: that is what rules match first.
  if (body.utm_source === undefined && rng.chance(0.6)) body.utm_source = utmValue(c, UTM_SOURCES);
  if (at !== undefined) body.occurred_at = timestamp(rng, at);
  if (!clean && rng.chance(0.04)) {
    rng.weighted<() => void>([
      [2, () => (body[rng.pick(['referrer', 'landing_page'])] = rng.pick(BAD_URLS))],
      [2, () => (body[rng.pick(['gclid', 'fbclid', 'msclkid'])] = rng.pick(BAD_CLICK_IDS))],
      [1, () => (body[rng.pick(['utm_source', 'utm_medium', 'utm_campaign', 'utm_content', 'utm_term'])] = rng.pick(['', 'y'.repeat(256), ...CONTROL_TEXTS]))],
      [1, () => (body.utm_source = rng.pick([7, null, ['google'], { value: 'google' }]))],
      [1, () => (body.occurred_at = rng.pick(['yesterday', '2025-02-30T00:00:00Z', 12]))],
      [1, () => (body.bogus = 1)],
    ])();
  }
  return body;
}

/** A lead to create; `clean`: none of the deliberate mistakes (a bulk's rows, where one bad row refuses them all). */
function leadBody(c: WriteCtx, clean = false): Record<string, unknown> {
  const { rng, t } = c;
  const sources = t.codes('leadSource');
  const source =
    sources.length > 0 && (clean || rng.chance(0.95))
      ? rng.pick(sources)
      : rng.pick(['SRC_NONE', ...t.codes('leadSource', (r) => !r.live), ...c.other.codes('leadSource')]);
  const body: Record<string, unknown> = { source_code: source };
  const subs = t.subsourceCodes(source);
  if (subs.length > 0 && rng.chance(0.5)) body.sub_source_code = rng.pick(subs);
  if (rng.chance(0.4) && t.codes('leadChannel').length > 0) body.channel_code = rng.pick(t.codes('leadChannel'));
  if (rng.chance(0.25) && t.liveCampaigns().length > 0) body.campaign_code = rng.pick(t.liveCampaigns()).code;
  if (rng.chance(0.35)) body.lead_code = leadCode(rng);
  if (rng.chance(0.8)) body.status = rng.pick(LEAD_STATUSES);
  if (rng.chance(0.7)) body.expected_value = rng.chance(0.95) ? smallMoney(rng) : money(rng);
  if (rng.chance(0.2)) body.converted_value = smallMoney(rng);
  if (rng.chance(0.3)) body.acquisition_cost = rng.chance(0.95) ? smallMoney(rng) : money(rng);
  const created = rng.weighted<() => number | null>([
    [16, () => c.now - rng.int(0, 400 * DAY_MS)],
    [2, () => c.now - rng.int(0, 7 * DAY_MS)],
    [2, () => null],
    [1, () => c.now + rng.int(0, 4 * 60_000)],
    [clean ? 0 : 1, () => c.now + rng.int(6, 60) * 60_000],
    [1, () => c.now - rng.int(400, 3_000) * DAY_MS],
  ])();
  if (created !== null) body.created_at = timestamp(rng, created);
  // Rarely, an instant at an edge of the calendars involved: before 1900 (the API's first calendar day),
  // before 1000 (MySQL's first DATETIME), around the Unix epoch.
  if (!clean && rng.chance(0.01)) body.created_at = rng.pick(EDGE_INSTANTS);
  Object.assign(body, stages(c, created ?? c.now, String(body.status ?? 'new'), clean));
  // The origin touch: at the creation mostly (left out: the lead's created_at), sometimes before it,
  // rarely too far ahead (a 400). A lead with a touch and no source takes its codes from the rules.
  if (rng.chance(0.35)) {
    const base = created ?? c.now;
    const at = rng.weighted<() => number | undefined>([
      [4, () => undefined],
      [4, () => base - rng.int(0, 30 * DAY_MS)],
      [1, () => base],
      [clean ? 0 : 1, () => c.now + rng.int(6, 60) * 60_000],
    ])();
    body.touch = touchBody(c, at, clean);
    if (rng.chance(0.45)) {
      delete body.source_code;
      // Codes without the source they belong to are a 400 (sometimes on purpose).
      for (const k of ['sub_source_code', 'channel_code', 'campaign_code']) if (clean || rng.chance(0.9)) delete body[k];
    }
  }
  return body;
}

function leadTarget(c: WriteCtx): { id: string; note?: string; row?: ReturnType<TenantModel['liveLeads']>[number] } {
  const live = c.t.liveLeads();
  return c.rng.weighted<() => { id: string; note?: string; row?: (typeof live)[number] }>([
    [
      live.length > 0 ? 30 : 0,
      () => {
        const row = c.rng.pick(live);
        return { id: String(row.id), row };
      },
    ],
    [c.t.leads.size > live.length ? 1 : 0, () => ({ id: String(c.rng.pick([...c.t.leads.values()].filter((l) => !l.live)).id), note: 'a deleted lead' })],
    [c.other.leads.size > 0 ? 1 : 0, () => ({ id: String(c.rng.pick([...c.other.leads.keys()])), note: "the other tenant's lead" })],
    [1, () => ({ id: c.rng.pick(['999999', '0', '2147483647', '2147483648', '1.0', 'abc']), note: 'an unknown id' })],
  ])();
}

function leadRoutes(): Record<string, [number, Gen]> {
  const agentWeights: [number, Role][] = [
    [70, 'admin'],
    [10, 'manager'],
    [15, 'agent'],
    [5, 'viewer'],
  ];
  return {
    'POST /leads': [
      14,
      withInvalid((c) => ({
        route: 'POST /leads',
        req: { method: 'POST', path: '/leads', body: leadBody(c), who: who(c, agentWeights) },
        apply: (a) => {
          if (ok(a)) c.t.setLead(obj(a));
        },
      })),
    ],
    'POST /leads/bulk': [
      3,
      (c) => {
        const n = c.rng.weighted([
          [6, c.rng.int(1, 8)],
          [1, c.rng.int(20, 60)],
        ]);
        const leads = Array.from({ length: n }, () => leadBody(c, true));
        let invalid: string | undefined;
        if (c.rng.chance(0.12)) {
          const i = c.rng.int(0, n - 1);
          const bad = mutateBody(c, 'POST /leads', leads[i]);
          if (bad) {
            leads[i] = bad.body;
            invalid = `leads[${i}]: ${bad.invalid}`;
          }
        }
        return {
          route: 'POST /leads/bulk',
          req: { method: 'POST', path: '/leads/bulk', body: { leads }, who: who(c, agentWeights) },
          invalid,
          apply: (a) => {
            if (ok(a)) for (const row of (obj(a).data as Record<string, unknown>[]) ?? []) c.t.setLead(row);
          },
        };
      },
    ],
    'PATCH /leads/{id}': [
      10,
      withInvalid((c) => {
        const { id, note, row } = leadTarget(c);
        const from = row?.createdMs ?? c.now - 30 * DAY_MS;
        const body = fields(
          c,
          {
            status: () => c.rng.pick(LEAD_STATUSES),
            expected_value: () => smallMoney(c.rng),
            converted_value: () => smallMoney(c.rng),
            acquisition_cost: () => (c.rng.chance(0.95) ? smallMoney(c.rng) : money(c.rng)),
            lead_code: () => (c.rng.chance(0.15) ? null : leadCode(c.rng)),
            source_code: () => c.rng.pick(c.t.codes('leadSource').concat('SRC_NONE')),
            sub_source_code: () => (c.rng.chance(0.3) ? null : c.rng.pick([...c.t.subsourceCodes(row?.sourceCode ?? 'SOCIAL'), 'SUB_NONE'])),
            channel_code: () => (c.rng.chance(0.3) ? null : c.rng.pick(c.t.codes('leadChannel').concat('LCH_NONE'))),
            campaign_code: () =>
              c.rng.chance(0.3)
                ? null
                : c.rng.pick(
                    c.t
                      .liveCampaigns()
                      .map((x) => x.code)
                      .concat('CMP_NONE'),
                  ),
            stages: () => stages(c, from, 'converted'),
          },
          1,
          3,
        );
        if (body.stages) Object.assign(body, body.stages);
        delete body.stages;
        return {
          route: 'PATCH /leads/{id}',
          req: { method: 'PATCH', path: `/leads/${id}`, body, who: who(c, agentWeights), headers: ifMatch(c, row?.version) },
          invalid: note,
          apply: (a) => {
            if (ok(a)) c.t.setLead(obj(a));
          },
        };
      }),
    ],
    'DELETE /leads/{id}': [
      2,
      (c) => {
        const { id, note, row } = leadTarget(c);
        return {
          route: 'DELETE /leads/{id}',
          req: { method: 'DELETE', path: `/leads/${id}`, who: who(c, agentWeights), headers: ifMatch(c, row?.version) },
          invalid: note,
          apply: (a) => {
            if (a.status === 204 && row) {
              row.live = false;
              for (const m of c.t.milestones.values()) if (m.leadId === row.id) m.live = false;
            }
          },
        };
      },
    ],
  };
}

// ---------------------------------------------------------------------------------------------
// Lead milestones (API.md §4).

function milestoneRoutes(): Record<string, [number, Gen]> {
  const agentWeights: [number, Role][] = [
    [70, 'admin'],
    [10, 'manager'],
    [15, 'agent'],
    [5, 'viewer'],
  ];
  const STATUSES = ['pending', 'in_progress', 'completed', 'skipped', 'failed'];
  const achieved = (c: WriteCtx, createdMs: number) =>
    c.rng.weighted<() => string>([
      [20, () => dayOf(createdMs + c.rng.int(0, 60) * DAY_MS)],
      [2, () => dayOf(createdMs + c.rng.int(0, 3) * DAY_MS)],
      [1, () => dayOf(createdMs - c.rng.int(1, 5) * DAY_MS)],
      [1, () => c.rng.pick([MAX_DAY, addDays(MAX_DAY, -1), '2999-01-01'])],
    ])();
  const editable = (c: WriteCtx, createdMs: number) => ({
    status: () => c.rng.pick(STATUSES),
    outcome: () => c.rng.pick(['positive', 'neutral', 'negative', null]),
    notes: () => optionalText(c.rng, 5000),
    follow_up_required: () => c.rng.chance(0.3),
    follow_up_date: () => (c.rng.chance(0.3) ? null : c.rng.pick([dayOf(c.now + c.rng.int(0, 30) * DAY_MS), MIN_DAY, MAX_DAY])),
    achieved_date: () => achieved(c, createdMs),
    achieved_time: () => (c.rng.chance(0.3) ? null : timeOfDay(c.rng)),
  });
  const target = (c: WriteCtx) => {
    const live = c.t.liveMilestones();
    return c.rng.weighted<() => { id: string; note?: string; row?: (typeof live)[number] }>([
      [
        live.length > 0 ? 30 : 0,
        () => {
          const row = c.rng.pick(live);
          return { id: String(row.id), row };
        },
      ],
      [
        c.t.milestones.size > live.length ? 1 : 0,
        () => ({ id: String(c.rng.pick([...c.t.milestones.values()].filter((m) => !m.live)).id), note: 'a deleted milestone' }),
      ],
      [c.other.milestones.size > 0 ? 1 : 0, () => ({ id: String(c.rng.pick([...c.other.milestones.keys()])), note: "the other tenant's milestone" })],
      [1, () => ({ id: '999999', note: 'an unknown id' })],
    ])();
  };
  return {
    'POST /milestones/{lead_id}': [
      10,
      withInvalid((c) => {
        const { id, note, row } = leadTarget(c);
        const types = c.t.liveActive('milestoneType');
        const type =
          types.length > 0 && c.rng.chance(0.93) ? c.rng.pick(types) : c.rng.pick(['MT_NONE', ...c.t.codes('milestoneType', (r) => !r.active || !r.live)]);
        const body: Record<string, unknown> = {
          milestone_type_code: type,
          achieved_date: achieved(c, row?.createdMs ?? c.now),
          ...fields(
            c,
            {
              achieved_time: () => timeOfDay(c.rng),
              status: () => c.rng.pick(STATUSES),
              notes: () => optionalText(c.rng, 5000),
              location: () => true,
              duration_minutes: () => c.rng.pick([0, 15, 90, 1_000_000, null]),
              outcome: () => c.rng.pick(['positive', 'neutral', 'negative', null]),
              follow_up_required: () => c.rng.chance(0.5),
              follow_up_date: () => dayOf(c.now + c.rng.int(-5, 30) * DAY_MS),
              document_urls: () =>
                c.rng.some(
                  ['https://docs.example.com/a.pdf', 'https://example.com/b?x=1', 'https://ex.com/%C3%A9', 'https://sub.example.org/deep/path/file.docx'],
                  3,
                ),
              metadata: () => jsonObject(c.rng),
            },
            0,
            4,
          ),
        };
        if (body.location) {
          const lat = c.rng.weighted([
            [4, c.rng.int(-90_000_000, 90_000_000) / 1e6],
            [1, c.rng.pick([90, -90, 0])],
          ]);
          const lon = c.rng.weighted([
            [4, c.rng.int(-180_000_000, 180_000_000) / 1e6],
            [1, c.rng.pick([180, -180, 0])],
          ]);
          Object.assign(body, { location_latitude: lat, location_longitude: lon });
          if (c.rng.chance(0.5)) body.location_name = optionalText(c.rng, 200);
        }
        delete body.location;
        return {
          route: 'POST /milestones/{lead_id}',
          req: { method: 'POST', path: `/milestones/${id}`, body, who: who(c, agentWeights) },
          invalid: note,
          apply: (a) => {
            if (ok(a)) {
              const b = obj(a);
              c.t.milestones.set(Number(b.id), { id: Number(b.id), leadId: Number(b.lead_id), live: true, version: Number(b.version) });
              c.t.touched.leads.add(Number(b.lead_id));
            }
          },
        };
      }),
    ],
    'PATCH /lead-milestones/{id}': [
      5,
      withInvalid((c) => {
        const { id, note, row } = target(c);
        const lead = row ? c.t.leads.get(row.leadId) : undefined;
        const body = fields(c, editable(c, lead?.createdMs ?? c.now), 1, 3);
        return {
          route: 'PATCH /lead-milestones/{id}',
          req: { method: 'PATCH', path: `/lead-milestones/${id}`, body, who: who(c, agentWeights), headers: ifMatch(c, row?.version) },
          invalid: note,
          apply: (a) => {
            if (ok(a) && row) {
              row.version = Number(obj(a).version);
              c.t.touched.leads.add(row.leadId);
            }
          },
        };
      }),
    ],
    'DELETE /lead-milestones/{id}': [
      2,
      (c) => {
        const { id, note, row } = target(c);
        return {
          route: 'DELETE /lead-milestones/{id}',
          req: { method: 'DELETE', path: `/lead-milestones/${id}`, who: who(c, agentWeights), headers: ifMatch(c, row?.version) },
          invalid: note,
          apply: (a) => {
            if (a.status === 204 && row) {
              row.live = false;
              c.t.touched.leads.add(row.leadId);
            }
          },
        };
      },
    ],
  };
}

// ---------------------------------------------------------------------------------------------
// Campaigns and their metrics (API.md §5).

function campaignRoutes(): Record<string, [number, Gen]> {
  const item = '/campaigns/{campaign_code}';
  const target = (c: WriteCtx, pick: (r: CampaignRow) => boolean) => {
    const all = [...c.t.campaigns.values()];
    return pathCode(
      c,
      all.filter(pick).map((r) => r.code),
      all.filter((r) => !r.live).map((r) => r.code),
      [...c.other.campaigns.keys()],
      'CMP',
    );
  };
  const update = (c: WriteCtx) => (a: Answer) => {
    if (ok(a) && a.status !== 204) {
      c.t.setCampaign(obj(a));
      c.t.noteName(obj(a).campaign_name);
    }
  };
  const metricRow = (c: WriteCtx, campaign: { channels: string[]; startDate: string } | undefined) => {
    const channels = campaign?.channels ?? [];
    const impressions = count(c.rng);
    const row: Record<string, unknown> = {
      channel_code: channels.length > 0 && c.rng.chance(0.97) ? c.rng.pick(channels) : c.rng.pick(c.t.codes('campaignChannel').concat('CC_NONE')),
      metric_date: c.rng.chance(0.97) ? addDays(campaign?.startDate ?? dayOf(c.now), c.rng.int(-3, 45)) : c.rng.pick([MIN_DAY, MAX_DAY]),
    };
    const figures = fields(
      c,
      {
        impressions: () => impressions,
        clicks: () => (c.rng.chance(0.98) ? Math.floor(impressions * (c.rng.int(0, 100) / 100)) : impressions + 1),
        leads_generated: () => count(c.rng),
        conversions: () => count(c.rng),
        spend: () => (c.rng.chance(0.97) ? smallMoney(c.rng) : money(c.rng)),
        revenue: () => (c.rng.chance(0.97) ? smallMoney(c.rng) : money(c.rng)),
      },
      1,
      6,
    );
    if (typeof figures.clicks === 'number' && figures.impressions === undefined && figures.clicks > 0) figures.impressions = figures.clicks;
    return { ...row, ...figures };
  };
  return {
    'POST /campaigns': [
      3,
      withInvalid((c) => {
        const types = c.t.liveActive('campaignType');
        const type = types.length > 0 && c.rng.chance(0.95) ? c.rng.pick(types) : 'CT_NONE';
        const start = c.rng.chance(0.97)
          ? dayOf(c.now + c.rng.int(-200, 30) * DAY_MS)
          : c.rng.pick([MIN_DAY, addDays(MIN_DAY, 1), addDays(MAX_DAY, -30), MAX_DAY]);
        const body: Record<string, unknown> = {
          campaign_code: newCode(c.rng, 'CMP'),
          campaign_name: name(c.rng),
          campaign_type_code: type,
          start_date: start,
          ...fields(
            c,
            {
              status_code: () => c.rng.pick(c.t.codes('campaignStatus').concat('CS_NONE')),
              budget_type_code: () => (c.rng.chance(0.2) ? null : c.rng.pick(c.t.liveActive('budgetType').concat('BT_NONE'))),
              budget: () => budgetFor(c, type),
              end_date: () => (c.rng.chance(0.2) ? null : addDays(start, c.rng.int(-2, 120))),
              channels: () => campaignChannels(c),
              target_audience: () => jsonObject(c.rng),
              kpis: () => kpis(c),
              template_id: () => c.rng.pick([...c.t.campaignTemplates.keys(), 999_999]),
            },
            1,
            6,
          ),
        };
        if (c.rng.chance(0.6) && !body.channels) body.channels = campaignChannels(c);
        return { route: 'POST /campaigns', req: { method: 'POST', path: '/campaigns', body, who: who(c) }, apply: update(c) };
      }),
    ],
    [`PATCH ${item}`]: [
      2,
      withInvalid((c) => {
        const { code, note } = target(c, (r) => r.live);
        const row = c.t.campaigns.get(code);
        let type: unknown;
        const body = fields(
          c,
          {
            campaign_name: () => name(c.rng),
            campaign_type_code: () => (type = c.rng.pick(c.t.liveActive('campaignType').concat('CT_NONE'))),
            budget_type_code: () => (c.rng.chance(0.2) ? null : c.rng.pick(c.t.liveActive('budgetType').concat('BT_NONE'))),
            budget: () => budgetFor(c, type ?? undefined),
            start_date: () => dayOf(c.now + c.rng.int(-200, 30) * DAY_MS),
            end_date: () => (c.rng.chance(0.2) ? null : addDays(row?.startDate ?? dayOf(c.now), c.rng.int(-2, 120))),
            channels: () => campaignChannels(c),
            target_audience: () => jsonObject(c.rng),
            kpis: () => kpis(c),
          },
          1,
          3,
        );
        return {
          route: `PATCH ${item}`,
          req: { method: 'PATCH', path: `/campaigns/${enc(code)}`, body, who: who(c), headers: ifMatch(c, row?.version) },
          invalid: note,
          apply: update(c),
        };
      }),
    ],
    [`DELETE ${item}`]: [
      0.6,
      (c) => {
        const { code, note } = target(c, (r) => r.live);
        const row = c.t.campaigns.get(code);
        return {
          route: `DELETE ${item}`,
          req: { method: 'DELETE', path: `/campaigns/${enc(code)}`, who: who(c), headers: ifMatch(c, row?.version) },
          invalid: note,
          apply: (a) => {
            if (a.status === 204 && row) row.live = false;
          },
        };
      },
    ],
    [`POST ${item}/restore`]: [
      0.5,
      (c) => {
        const deleted = [...c.t.campaigns.values()].filter((r) => !r.live).map((r) => r.code);
        const { code, note } = deleted.length > 0 && c.rng.chance(0.85) ? { code: c.rng.pick(deleted), note: undefined } : target(c, (r) => r.live);
        return {
          route: `POST ${item}/restore`,
          req: {
            method: 'POST',
            path: `/campaigns/${enc(code)}/restore`,
            who: who(c, [
              [90, 'admin'],
              [10, 'manager'],
            ]),
          },
          invalid: note,
          apply: update(c),
        };
      },
    ],
    [`POST ${item}/transition`]: [
      3,
      withInvalid((c) => {
        const { code, note } = target(c, (r) => r.live);
        const row = c.t.campaigns.get(code);
        const current = row ? c.t.coded.campaignStatus.get(row.statusCode)?.fields : undefined;
        const allowed = (current?.allowed_transitions as string[] | undefined) ?? [];
        const status = allowed.length > 0 && c.rng.chance(0.7) ? c.rng.pick(allowed) : c.rng.pick(c.t.codes('campaignStatus').concat('CS_NONE'));
        return {
          route: `POST ${item}/transition`,
          req: { method: 'POST', path: `/campaigns/${enc(code)}/transition`, body: { status_code: status }, who: who(c), headers: ifMatch(c, row?.version) },
          invalid: note,
          apply: update(c),
        };
      }),
    ],
    [`PUT ${item}/metrics`]: [
      6,
      withInvalid((c) => {
        const { code, note } = target(c, (r) => r.live && r.channels.length > 0);
        const row = c.t.campaigns.get(code);
        return {
          route: `PUT ${item}/metrics`,
          req: { method: 'PUT', path: `/campaigns/${enc(code)}/metrics`, body: metricRow(c, row), who: who(c) },
          invalid: note,
          apply: () => row && c.t.touched.campaigns.add(code),
        };
      }),
    ],
    [`POST ${item}/metrics/bulk`]: [
      2,
      (c) => {
        const { code, note } = target(c, (r) => r.live && r.channels.length > 0);
        const row = c.t.campaigns.get(code);
        const metrics = Array.from(
          {
            length: c.rng.weighted([
              [6, c.rng.int(1, 10)],
              [1, c.rng.int(30, 80)],
            ]),
          },
          () => metricRow(c, row),
        );
        // A key repeated in one bulk: its last row wins.
        if (c.rng.chance(0.2) && metrics.length > 1) metrics.push({ ...metrics[0], spend: smallMoney(c.rng) });
        let invalid = note;
        if (c.rng.chance(0.1)) {
          const i = c.rng.int(0, metrics.length - 1);
          const bad = mutateBody(c, `PUT ${item}/metrics`, metrics[i]);
          if (bad) {
            metrics[i] = bad.body;
            invalid = `metrics[${i}]: ${bad.invalid}`;
          }
        }
        return {
          route: `POST ${item}/metrics/bulk`,
          req: { method: 'POST', path: `/campaigns/${enc(code)}/metrics/bulk`, body: { metrics }, who: who(c) },
          invalid,
          apply: () => row && c.t.touched.campaigns.add(code),
        };
      },
    ],
  };
}

// ---------------------------------------------------------------------------------------------
// Later touches of a lead, attribution rules and their dry-run (API.md §3).

function touchRoutes(): Record<string, [number, Gen]> {
  const agentWeights: [number, Role][] = [
    [75, 'admin'],
    [10, 'manager'],
    [10, 'agent'],
    [5, 'viewer'],
  ];
  return {
    'POST /leads/{id}/touches': [
      6,
      withInvalid((c) => {
        const { rng } = c;
        // Now and then the live lead with the longest path so far: long paths share a lead's credit over many middle points.
        const live = c.t.liveLeads();
        const longest = live.length > 0 && rng.chance(0.2) ? live.reduce((a, b) => (b.touches > a.touches ? b : a)) : undefined;
        const { id, note, row } = longest ? { id: String(longest.id), note: undefined, row: longest } : leadTarget(c);
        // After the lead's first point mostly (left out: now), sometimes before it or too far ahead (400 on both).
        const from = row?.firstPointMs ?? c.now - 30 * DAY_MS;
        const at = rng.weighted<() => number | undefined>([
          [6, () => undefined],
          [16, () => from + rng.int(0, Math.max(0, c.now - from))],
          [2, () => from],
          [2, () => c.now + rng.int(0, 4 * 60_000)],
          [1, () => from - rng.int(1, 5 * DAY_MS)],
          [1, () => c.now + rng.int(6, 120) * 60_000],
        ])();
        return {
          route: 'POST /leads/{id}/touches',
          req: { method: 'POST', path: `/leads/${id}/touches`, body: touchBody(c, at), who: who(c, agentWeights) },
          invalid: note,
          note: longest ? 'the lead with the longest path' : undefined,
          apply: (a) => {
            if (ok(a) && row) {
              row.touches += 1;
              c.t.touched.leads.add(row.id);
            }
          },
        };
      }),
    ],
  };
}

/** A rule's condition: a value from the touch pools (whole or a beginning of one), exact or prefix. */
function condition(c: WriteCtx, pool: string[]): { value: string; match: string } {
  const { rng } = c;
  const whole = rng.chance(0.5) ? rng.pick(pool.slice(0, 3)) : rng.pick(pool);
  const value = rng.weighted<() => string>([
    [6, () => whole],
    [2, () => [...whole].slice(0, rng.int(1, [...whole].length)).join('') || whole],
    [1, () => (rng.chance(0.5) ? whole.toUpperCase() : whole.normalize('NFD'))],
    [1, () => clip(name(rng), 255)],
  ])();
  return { value, match: rng.chance(0.55) ? 'exact' : 'prefix' };
}

function attributionRuleRoutes(): Record<string, [number, Gen]> {
  const item = '/attribution-rules/{id}';
  // The admin's; now and then another role (403 on both).
  const adminMostly = (c: WriteCtx) =>
    who(c, [
      [88, 'admin'],
      [5, 'manager'],
      [4, 'agent'],
      [3, 'viewer'],
    ]);
  const conditionFields = (c: WriteCtx, nullable: boolean) => ({
    utm_source: () => (nullable && c.rng.chance(0.2) ? null : condition(c, UTM_SOURCES)),
    utm_medium: () => (nullable && c.rng.chance(0.2) ? null : condition(c, UTM_MEDIA)),
    utm_campaign: () => (nullable && c.rng.chance(0.2) ? null : condition(c, UTM_CAMPAIGNS)),
  });
  /** Codes a rule resolves to: live ones mostly, now and then one deleted, unknown or the other tenant's (400 on both). */
  const someCode = (c: WriteCtx, live: string[], deleted: string[], prefix: string, others: string[] = []) =>
    c.rng.weighted<() => string>([
      [live.length > 0 ? 25 : 0, () => c.rng.pick(live)],
      [deleted.length > 0 ? 1 : 0, () => c.rng.pick(deleted)],
      [others.length > 0 ? 1 : 0, () => c.rng.pick(others)],
      [1, () => `${prefix}_NONE`],
    ])();
  const source = (c: WriteCtx) =>
    someCode(
      c,
      c.t.codes('leadSource'),
      c.t.codes('leadSource', (r) => !r.live),
      'SRC',
      c.other.codes('leadSource'),
    );
  const targets = (c: WriteCtx, sourceCode: () => string, nullable: boolean) => ({
    sub_source_code: () =>
      nullable && c.rng.chance(0.2)
        ? null
        : someCode(
            c,
            c.t.subsourceCodes(sourceCode()),
            c.t.subsourceCodes(sourceCode(), (r) => !r.live),
            'SUB',
          ),
    channel_code: () =>
      nullable && c.rng.chance(0.2)
        ? null
        : someCode(
            c,
            c.t.codes('leadChannel'),
            c.t.codes('leadChannel', (r) => !r.live),
            'LCH',
            c.other.codes('leadChannel'),
          ),
    campaign_code: () =>
      nullable && c.rng.chance(0.2)
        ? null
        : someCode(
            c,
            c.t.liveCampaigns().map((x) => x.code),
            [...c.t.campaigns.values()].filter((x) => !x.live).map((x) => x.code),
            'CMP',
            [...c.other.campaigns.keys()],
          ),
    campaign_channel_code: () =>
      nullable && c.rng.chance(0.2)
        ? null
        : someCode(
            c,
            c.t.codes('campaignChannel'),
            c.t.codes('campaignChannel', (r) => !r.live),
            'CC',
            c.other.codes('campaignChannel'),
          ),
  });
  const priority = (c: WriteCtx) => () =>
    c.rng.weighted<number>([
      [12, c.rng.int(0, 20)],
      [2, 0],
      [2, 1_000_000],
      [1, c.rng.pick([-1, 1_000_001, 1.5])],
    ]);
  const update = (c: WriteCtx) => (a: Answer) => {
    if (ok(a) && a.status !== 204) {
      c.t.setRule(obj(a));
      c.t.noteName(obj(a).name);
    }
  };
  const target = (c: WriteCtx, pick: (r: { id: number; live: boolean }) => boolean) => idTarget(c, c.t.rules, pick, c.other.rules);
  return {
    'POST /attribution-rules': [
      3.5,
      withInvalid((c) => {
        const src = source(c);
        // One condition mostly (so that touches meet rules often), none now and then (a 400).
        const n = c.rng.weighted([
          [14, 1],
          [4, 2],
          [2, 3],
          [1, 0],
        ]);
        const conditions = fields(c, conditionFields(c, false), n, n);
        const body: Record<string, unknown> = {
          name: name(c.rng),
          ...conditions,
          source_code: src,
          ...fields(c, { priority: priority(c), is_active: () => c.rng.chance(0.85), ...targets(c, () => src, false) }, 0, 4),
        };
        return { route: 'POST /attribution-rules', req: { method: 'POST', path: '/attribution-rules', body, who: adminMostly(c) }, apply: update(c) };
      }),
    ],
    [`PATCH ${item}`]: [
      1,
      withInvalid((c) => {
        const { id, note } = target(c, (r) => r.live);
        const row = c.t.rules.get(Number(id));
        let src: string | undefined;
        const body = fields(
          c,
          {
            name: () => name(c.rng),
            priority: priority(c),
            is_active: () => c.rng.chance(0.7),
            source_code: () => (src = source(c)),
            ...conditionFields(c, true),
            ...targets(c, () => src ?? row?.sourceCode ?? 'SOCIAL', true),
          },
          1,
          3,
        );
        return {
          route: `PATCH ${item}`,
          req: { method: 'PATCH', path: `/attribution-rules/${id}`, body, who: adminMostly(c), headers: ifMatch(c, row?.version) },
          invalid: note,
          apply: update(c),
        };
      }),
    ],
    [`DELETE ${item}`]: [
      0.4,
      (c) => {
        const { id, note } = target(c, (r) => r.live);
        const row = c.t.rules.get(Number(id));
        return {
          route: `DELETE ${item}`,
          req: { method: 'DELETE', path: `/attribution-rules/${id}`, who: adminMostly(c), headers: ifMatch(c, row?.version) },
          invalid: note,
          apply: (a) => {
            if (a.status === 204 && row) row.live = false;
          },
        };
      },
    ],
    [`POST ${item}/restore`]: [
      0.3,
      (c) => {
        const { id, note } = target(c, (r) => !r.live || c.rng.chance(0.1));
        return {
          route: `POST ${item}/restore`,
          req: { method: 'POST', path: `/attribution-rules/${id}/restore`, who: adminMostly(c) },
          invalid: note,
          apply: update(c),
        };
      },
    ],
    'POST /attribution-rules/dry-run': [
      1,
      withInvalid((c) => {
        const utm = (pool: string[]) => () =>
          c.rng.weighted<() => string | null>([
            [8, () => utmValue(c, pool)],
            [1, () => null],
            [1, () => ''],
          ])();
        const body = fields(c, { utm_source: utm(UTM_SOURCES), utm_medium: utm(UTM_MEDIA), utm_campaign: utm(UTM_CAMPAIGNS) }, 0, 3);
        return { route: 'POST /attribution-rules/dry-run', req: { method: 'POST', path: '/attribution-rules/dry-run', body, who: adminMostly(c) } };
      }),
    ],
  };
}

/** A webhook secret the client chooses (`whsec_` + base64 of 24..64 bytes): a generated one would differ between the instances. */
function webhookSecret(c: WriteCtx): string {
  const bytes = Buffer.from(Array.from({ length: c.rng.pick([24, 32, 64]) }, () => c.rng.int(0, 255)));
  return `whsec_${bytes.toString('base64')}`;
}

/**
 * Targets: public addresses written as IP literals (documentation ranges: nothing is resolved, nothing
 * is sent, the relay is off in the harness), now and then one the SSRF guard refuses (400 on both).
 */
function webhookUrl(c: WriteCtx): string {
  return c.rng.weighted<() => string>([
    [8, () => `https://203.0.113.${c.rng.int(1, 254)}/hooks/${c.rng.int(1, 99)}`],
    [2, () => `https://[2001:db8::${c.rng.int(1, 999)}]/sales?k=${c.rng.int(1, 9)}`],
    [
      1,
      () => c.rng.pick(['https://127.0.0.1/hooks', 'https://10.1.2.3/hooks', 'https://169.254.169.254/latest', 'http://203.0.113.7/hooks', 'https://[::1]/x']),
    ],
  ])();
}

function webhookRoutes(): Record<string, [number, Gen]> {
  const item = '/webhook-subscriptions/{id}';
  const events = Object.values(DOMAIN_EVENTS);
  const eventTypes = (c: WriteCtx) => (c.rng.chance(0.05) ? ['lead.nothing'] : c.rng.some(events, events.length, 1));
  const optional = (c: WriteCtx) => ({
    active: () => c.rng.chance(0.8),
    description: () => optionalText(c.rng, 500),
  });
  const update = (c: WriteCtx) => (a: Answer) => {
    if (ok(a) && a.status !== 204) {
      const b = obj(a);
      c.t.webhookSubscriptions.set(Number(b.id), { id: Number(b.id), live: true, active: b.active !== false, version: Number(b.version) });
    }
  };
  const target = (c: WriteCtx) => idTarget(c, c.t.webhookSubscriptions, (r) => r.live, c.other.webhookSubscriptions);
  // Subscriptions are the admin's; now and then another role (403 on both).
  const adminMostly = (c: WriteCtx) =>
    who(c, [
      [90, 'admin'],
      [5, 'manager'],
      [5, 'viewer'],
    ]);
  return {
    'POST /webhook-subscriptions': [
      0.5,
      withInvalid((c) => ({
        route: 'POST /webhook-subscriptions',
        req: {
          method: 'POST',
          path: '/webhook-subscriptions',
          body: { url: webhookUrl(c), event_types: eventTypes(c), secret: webhookSecret(c), ...fields(c, optional(c), 0, 2) },
          who: adminMostly(c),
        },
        apply: update(c),
      })),
    ],
    [`PATCH ${item}`]: [
      0.5,
      withInvalid((c) => {
        const { id, note } = target(c);
        const row = c.t.webhookSubscriptions.get(Number(id));
        const body = fields(c, { url: () => webhookUrl(c), event_types: () => eventTypes(c), secret: () => webhookSecret(c), ...optional(c) }, 1, 3);
        return {
          route: `PATCH ${item}`,
          req: { method: 'PATCH', path: `/webhook-subscriptions/${id}`, body, who: adminMostly(c), headers: ifMatch(c, row?.version) },
          invalid: note,
          apply: update(c),
        };
      }),
    ],
    [`DELETE ${item}`]: [
      0.2,
      (c) => {
        const { id, note } = target(c);
        const row = c.t.webhookSubscriptions.get(Number(id));
        return {
          route: `DELETE ${item}`,
          req: { method: 'DELETE', path: `/webhook-subscriptions/${id}`, who: adminMostly(c), headers: ifMatch(c, row?.version) },
          invalid: note,
          apply: (a) => {
            if (a.status === 204 && row) row.live = false;
          },
        };
      },
    ],
    [`POST ${item}/deliveries/retry`]: [
      0.2,
      (c) => {
        const { id, note } = target(c);
        return {
          route: `POST ${item}/deliveries/retry`,
          req: { method: 'POST', path: `/webhook-subscriptions/${id}/deliveries/retry`, who: adminMostly(c) },
          invalid: note,
        };
      },
    ],
  };
}

/**
 * The tenant's settings: a week start, and now and then a new time zone (both engines then recompute
 * the tenant's days; the run waits until both have switched, see differential.diff-spec.ts), an
 * unknown zone or week day (400), or a role that may not (403).
 */
function settingsRoutes(): Record<string, [number, Gen]> {
  const zones = ['UTC', 'Asia/Kolkata', 'America/New_York', 'Europe/Berlin', 'Asia/Kathmandu', 'Pacific/Chatham', 'Pacific/Kiritimati'];
  const weekdays = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];
  return {
    'PATCH /settings': [
      0.15,
      (c) => {
        const body: Record<string, unknown> = {};
        if (c.rng.chance(0.6)) body.time_zone = c.rng.chance(0.08) ? c.rng.pick(['Mars/Olympus', '+05:30', 'EST', '']) : c.rng.pick(zones);
        if (Object.keys(body).length === 0 || c.rng.chance(0.5)) body.week_start = c.rng.chance(0.08) ? 'someday' : c.rng.pick(weekdays);
        return {
          route: 'PATCH /settings',
          req: {
            method: 'PATCH',
            path: '/settings',
            body,
            who: who(c, [
              [90, 'admin'],
              [5, 'manager'],
              [5, 'viewer'],
            ]),
          },
        };
      },
    ],
  };
}

/** Every write route of the document, with its weight and generator. */
export const ROUTES: Record<string, [number, Gen]> = Object.assign(
  {},
  ...CODED.map(codedRoutes),
  subsourceRoutes(),
  milestoneTemplateRoutes(),
  campaignTemplateRoutes(),
  leadRoutes(),
  touchRoutes(),
  attributionRuleRoutes(),
  milestoneRoutes(),
  campaignRoutes(),
  webhookRoutes(),
  settingsRoutes(),
);

/**
 * Bursts at the documented limits: many leads with every amount at the money maximum on one source and
 * a few days (rollups, source and subsource counters, analytics sums far beyond what a double holds to
 * the cent), metric rows with every figure at its maximum (counts 2^31 − 1, money 999,999,999,999; a
 * campaign's totals then reach their own limit, a 400).
 */
const BIG_MONEY = [MONEY_MAX, MONEY_MAX - 0.01, MONEY_MAX - 0.99, 999_999_999_998.37];
export const BURSTS: [number, Gen][] = [
  [
    0.5,
    (c) => {
      const sources = c.t.codes('leadSource');
      if (sources.length === 0) return null;
      const source = c.rng.pick(sources);
      const subs = c.t.subsourceCodes(source);
      const day = c.now - c.rng.int(1, 20) * DAY_MS;
      const leads = Array.from({ length: c.rng.int(10, 40) }, () => {
        const status = c.rng.pick(['new', 'converted', 'converted', 'qualified', 'lost']);
        return {
          source_code: source,
          ...(subs.length > 0 && c.rng.chance(0.7) ? { sub_source_code: c.rng.pick(subs) } : {}),
          status,
          expected_value: c.rng.pick(BIG_MONEY),
          acquisition_cost: c.rng.pick(BIG_MONEY),
          ...(status === 'converted' && c.rng.chance(0.7) ? { converted_value: c.rng.pick(BIG_MONEY) } : {}),
          created_at: new Date(day + c.rng.int(0, DAY_MS - 1)).toISOString(),
        };
      });
      return {
        route: 'POST /leads/bulk',
        req: { method: 'POST', path: '/leads/bulk', body: { leads }, who: who(c, [[1, 'admin']]) },
        note: 'a burst at the limits: every amount at the money maximum',
        apply: (a) => {
          if (ok(a)) for (const row of (obj(a).data as Record<string, unknown>[]) ?? []) c.t.setLead(row);
        },
      };
    },
  ],
  [
    0.4,
    (c) => {
      const campaigns = c.t.liveCampaigns().filter((x) => x.channels.length > 0);
      if (campaigns.length === 0) return null;
      const campaign = c.rng.pick(campaigns);
      const metrics = Array.from({ length: c.rng.int(1, 12) }, () => ({
        channel_code: c.rng.pick(campaign.channels),
        metric_date: addDays(campaign.startDate, c.rng.int(0, 30)),
        impressions: COUNT_MAX,
        clicks: c.rng.pick([COUNT_MAX, COUNT_MAX - 1, 0]),
        leads_generated: c.rng.pick([COUNT_MAX, 1]),
        conversions: c.rng.pick([COUNT_MAX, 0]),
        spend: c.rng.pick(BIG_MONEY),
        revenue: c.rng.pick(BIG_MONEY),
      }));
      c.t.touched.campaigns.add(campaign.code);
      return {
        route: 'POST /campaigns/{campaign_code}/metrics/bulk',
        req: { method: 'POST', path: `/campaigns/${enc(campaign.code)}/metrics/bulk`, body: { metrics }, who: who(c, [[1, 'admin']]) },
        note: 'a burst at the limits: every figure at its maximum',
      };
    },
  ],
];

/** An operation of this route, for the tenant of `c` (every route's generator always makes one). */
export function opOf(route: string, c: WriteCtx): Op {
  const op = ROUTES[route][1](c);
  if (!op) throw new Error(`no operation for ${route}`);
  return op;
}

/** The next operation for the tenant of `c`: a route (or a burst) by weight, retried when it has nothing to act on. */
export function nextOp(c: WriteCtx): Op {
  const entries = [...Object.values(ROUTES), ...BURSTS];
  for (let attempt = 0; attempt < 20; attempt++) {
    const op = c.rng.weighted(entries.map(([w, gen]) => [w, gen] as const))(c);
    if (op) return op;
  }
  throw new Error('no operation could be generated');
}

/** Keeps a generated name within what the model notes (for searches). */
export const searchTerms = (t: TenantModel, rng: Rng): string[] => {
  const names = [...t.names];
  const picked = rng.some(names, 4);
  return [
    ...picked.map((n) => clip(n, 100)),
    ...picked.map((n) => clip(n.toUpperCase(), 100)),
    ...picked.map((n) => clip(n.toLowerCase(), 100)),
    ...picked.map((n) => clip(n.normalize('NFD').replace(/\p{M}/gu, ''), 100)).filter(Boolean),
    ...picked.map((n) => [...n].slice(1, 4).join('')).filter(Boolean),
    'café',
    'CAFE',
    'strasse',
    'ß',
    '%',
    '_',
    'src_1',
    'SRC_1',
    'e\u0301',
    '😀',
  ];
};
