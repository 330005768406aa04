import { isDeepStrictEqual } from 'node:util';
import { DataSource } from 'typeorm';
import { API_PREFIX, routeTable } from '../../src/app.setup';
import { isMysql } from '../support/database';
import { newTenantId, numberAhead } from '../support/tenants';
import {
  addRetiredRows,
  bodyFields,
  buildWorld,
  coverageGaps,
  itemPathOf,
  KIND_NAMES,
  KindName,
  kindOf,
  KINDS,
  newTag,
  Params,
  Probe,
  QUERY_REFERENCES,
  queryRefOf,
  queryVariants,
  REFERENCES,
  sampleBody,
  withField,
  World,
} from './support/catalogue';
import { answer, isProblem, normalized, problemIssues } from './support/checks';
import { ApiDoc, fillPath, Operation, readApiDoc } from './support/openapi';
import { ok, Res, SClient, SecureApi, startSecureApi } from './support/secure-api';

// Every operation of the OpenAPI document in two tenants: up to 61 s a test on MariaDB on two busy
// cores.
jest.setTimeout(300_000);

/**
 * API.md §1 Isolation, over every operation of the live OpenAPI document: with tenant A's data in
 * place, tenant B gets 404 on every route that addresses a row of A (and the same answer as for a row
 * that does not exist), never sees A's rows in a list, cannot name A's rows in a write, cannot restore
 * A's deleted rows, and none of B's reads (lists, rows, analytics) changes when A's data is written.
 * The pairs of tenants include ids that differ only in case and an id that is a prefix of the other.
 */

/**
 * The reads of a tenant: every GET of the document, on its own rows, with each query variant the
 * document's parameters generate (catalogue.ts queryVariants: values that match A's rows), and each
 * reference parameter naming the world's own rows.
 */
function readRequests(op: Operation, world: World | undefined, probe: Probe): { url: string; query: Record<string, string | number | boolean> }[] {
  const kind = kindOf(op);
  if (kind && !world) return [];
  const paramSets: Params[] = kind ? [world![kind], ...(KINDS[kind].seeded ? [KINDS[kind].seeded!] : [])] : [{}];
  const variants = queryVariants(op, probe);
  if (world) for (const q of op.query) for (const ref of QUERY_REFERENCES[q.name] ?? []) variants.push({ [q.name]: queryRefOf(ref, world[ref], q.name) });
  return paramSets.flatMap((params) => variants.map((query) => ({ url: fillPath(op.path, params), query })));
}

/** Every read of a tenant, by operation; `world` undefined: before the tenant has rows (operations without path parameters only). */
async function snapshotReads(
  doc: ApiDoc,
  client: SClient,
  world: World | undefined,
  probe: Probe,
): Promise<Map<string, { op: string; answer: { status: number; body: unknown } }>> {
  const snapshot = new Map<string, { op: string; answer: { status: number; body: unknown } }>();
  for (const op of doc.ops.filter((o) => o.method === 'GET')) {
    for (const { url, query } of readRequests(op, world, probe)) {
      const res = await client.get(url, { query });
      snapshot.set(`GET ${url} ${JSON.stringify(query)}`, { op: op.key, answer: normalized(res) });
    }
  }
  return snapshot;
}

type Snapshot = Awaited<ReturnType<typeof snapshotReads>>;

const differences = (before: Snapshot, after: Snapshot) =>
  [...before.keys()]
    .filter((k) => !isDeepStrictEqual(before.get(k), after.get(k)))
    .map((k) => `${k}\n  before: ${JSON.stringify(before.get(k)?.answer).slice(0, 400)}\n  after:  ${JSON.stringify(after.get(k)?.answer).slice(0, 400)}`);

/** Params naming rows that exist nowhere, shaped like the kind's own. */
const nobody = (params: Params): Params =>
  Object.fromEntries(Object.entries(params).map(([k, v]) => [k, /^\d+$/.test(v) ? '2147480000' : `NOBODY_${k.toUpperCase()}`.slice(0, 50)]));

/** The kind whose code an identity field holds: the kind created under the operation's path, else the one with such a field. */
function identityKind(op: Operation, field: string, world: World): KindName {
  const kinds = Object.keys(KINDS) as KindName[];
  const created = kinds.find((k) => KINDS[k].templates.includes(`${op.path}/{${field}}`)) ?? kinds.find((k) => world[k][field] !== undefined);
  if (!created) throw new Error(`${op.key}: no kind has a ${field}`);
  return created;
}

/**
 * Collections whose rows have no item path, so no KINDS entry: each with the reason and where its
 * isolation is checked instead.
 */
const ROWS_WITHOUT_ITEM_PATH: Record<string, string> = {
  // A campaign's metric rows are addressed by (campaign, channel, date) in the body: buildWorld writes
  // some for A through PUT and bulk, and GET /campaigns/{campaign_code}/metrics is among the reads.
  '/campaigns/{campaign_code}/metrics': 'metric rows are keyed by campaign, channel and date',
  // A lead's touches are facts of the lead, recorded and listed under it only: buildWorld records some
  // for A (origin and later), and GET /leads/{id}/touches is among the reads.
  '/leads/{id}/touches': 'touches are recorded and listed under their lead',
  // A subsource's cost history entries are keyed by (subsource, valid_from in the body): KINDS.subsource
  // writes one for A, and GET …/costs is among the reads of A's subsource.
  '/lead-sources/{source_code}/subsources/{sub_source_code}/costs': 'cost history entries are keyed by subsource and day',
};

/** Collections whose rows are addressed under another path: the kind of their rows. */
const COLLECTION_KINDS: Record<string, KindName> = {
  // A lead's milestones are created and listed under the lead, and addressed at /lead-milestones/{id}.
  '/milestones/{lead_id}': 'leadMilestone',
};

/** The kinds the document can deactivate, and soft-delete (addRetiredRows gives A one row of each): facts (leads, their milestones, campaigns) have no active flag. */
const DELETED_KINDS: KindName[] = [...KIND_NAMES];
const INACTIVE_KINDS = KIND_NAMES.filter((k) => !['lead', 'campaign', 'leadMilestone'].includes(k));

const PAIRS: { name: string; ids: () => [string, string] }[] = [
  { name: 'unrelated tenants', ids: () => [newTenantId('alice'), newTenantId('bob')] },
  {
    name: 'tenant ids that differ only in case',
    ids: () => {
      const id = newTenantId('Acme');
      return [id, id.toUpperCase()];
    },
  },
  {
    name: "a tenant id that is a prefix of the other's",
    ids: () => {
      const id = newTenantId('acme');
      return [`${id}_x`, id];
    },
  },
];

describe('tenant isolation matrix (generated from the OpenAPI document)', () => {
  let api: SecureApi;
  let doc: ApiDoc;
  beforeAll(async () => {
    api = await startSecureApi();
    doc = await readApiDoc(api);
  });
  afterAll(async () => {
    api.expectClean();
    await api.close();
  });

  it('has a fixture recipe, a body and a reference rule for every operation of the document', () => {
    expect(coverageGaps(doc)).toEqual([]);
    // Not vacuous: every kind of row is addressed by some operation.
    const addressed = new Set(doc.ops.map(kindOf).filter(Boolean));
    expect([...addressed].sort()).toEqual(Object.keys(KINDS).sort());
  });

  it('has a KINDS entry for every collection a POST creates rows in', () => {
    const gets = new Set(doc.ops.filter((o) => o.method === 'GET').map((o) => o.path));
    const wrong: string[] = [];
    for (const op of doc.ops.filter((o) => o.method === 'POST')) {
      const collection = op.path.replace(/\/bulk$/, '');
      // A collection: a path that is also listed by a GET, and whose POST is not an action on a row.
      if (!gets.has(collection) || /\/(activate|deactivate|restore|transition|instantiate)$/.test(collection)) continue;
      if (ROWS_WITHOUT_ITEM_PATH[collection]) continue;
      if (COLLECTION_KINDS[collection]) {
        if (!KINDS[COLLECTION_KINDS[collection]]) wrong.push(`${op.key}: COLLECTION_KINDS names no kind`);
        continue;
      }
      const kinds = (Object.keys(KINDS) as KindName[]).filter((k) =>
        KINDS[k].templates.some((t) => new RegExp(`^${collection.replace(/[{}]/g, '\\$&')}/\\{[^/}]+\\}$`).test(t)),
      );
      if (kinds.length === 0) wrong.push(`${op.key}: no KINDS entry has an item path ${collection}/{…}`);
    }
    expect(wrong).toEqual([]);
    // Not vacuous: most collections were checked.
    expect(doc.ops.filter((o) => o.method === 'POST' && gets.has(o.path)).length).toBeGreaterThan(10);
  });

  it('serves nothing outside the API base path but health, metrics and the docs', () => {
    const outside = routeTable(api.app.getHttpAdapter().getInstance())
      .filter((r) => !r.url.startsWith(`/${API_PREFIX}/`))
      .map((r) => `${r.method} ${r.url}`);
    const allowed = [
      /^(GET|HEAD) \/health$/,
      /^(GET|HEAD) \/health\/ready$/,
      /^(GET|HEAD) \/metrics$/,
      /^(GET|HEAD) \/docs\/?$/,
      /^(GET|HEAD) \/docs-json$/,
      // The Swagger UI page's own files under its prefix: index, init script, license, @fastify/static's wildcard for the UI assets.
      /^(GET|HEAD) \/docs\/[^?#]+$/,
      // @fastify/cors answers preflights on every path (app.setup.ts enableCors).
      /^OPTIONS \*$/,
    ];
    expect(outside.filter((r) => !allowed.some((a) => a.test(r)))).toEqual([]);
    // Each allowed route is there (the table is read, not empty).
    for (const must of ['GET /health', 'GET /health/ready', 'GET /metrics', 'GET /docs', 'GET /docs-json']) expect(outside).toContain(must);
  });

  it('stores every tenant id so that it compares byte for byte', async () => {
    const ds = api.app.get(DataSource);
    if (isMysql()) {
      const columns: { t: string; c: string; collation: string }[] = await ds.query(
        "SELECT TABLE_NAME AS t, COLUMN_NAME AS c, COLLATION_NAME AS collation FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND (COLUMN_NAME = 'tenant_id' OR (TABLE_NAME = 'tenants' AND COLUMN_NAME = 'id'))",
      );
      expect(columns.length).toBeGreaterThan(10);
      // A table added later without caseSensitiveTenantIds() (src/database/migration-helpers.ts) fails here.
      expect(columns.filter((col) => !/_bin$/.test(col.collation)).map((col) => `${col.t}.${col.c} (${col.collation})`)).toEqual([]);
    } else {
      const tables: { sql: string }[] = await ds.query("SELECT sql FROM sqlite_master WHERE type = 'table' AND sql LIKE '%tenant_id%'");
      expect(tables.length).toBeGreaterThan(10);
      expect(tables.filter((t) => /NOCASE/i.test(t.sql))).toEqual([]);
    }
  });

  describe.each(PAIRS)('$name', ({ ids }) => {
    let a: SClient;
    let b: SClient;
    let worldA: World;
    let worldB: World;
    let tagA: string;
    let probe: Probe;
    let readsOfB: Snapshot;
    let readsOfA: Snapshot;
    let readsOfABefore: Snapshot;
    let retired: { inactive: KindName[]; deleted: KindName[] };
    /** B's 2xx answers that carry A's tag although B's request did not: A's rows in B's view. */
    const seenByB: string[] = [];
    const asB = async (method: string, url: string, body?: unknown, query?: Record<string, string>): Promise<Res> => {
      const res = await b.send(method, url, { body, query });
      const request = `${url} ${JSON.stringify(body ?? '')} ${JSON.stringify(query ?? '')}`;
      if (res.statusCode < 300 && res.body.includes(tagA) && !request.includes(tagA)) seenByB.push(`${method} ${url}: ${res.body.slice(0, 300)}`);
      return res;
    };

    beforeAll(async () => {
      const [tenantA, tenantB] = ids();
      a = api.as({ tenant: tenantA, role: 'admin', sub: 'alice' });
      b = api.as({ tenant: tenantB, role: 'admin', sub: 'bob' });
      tagA = newTag('A');
      probe = { tagA };
      worldB = await buildWorld({ c: b, tag: newTag('B'), secrets: api.scanner });
      readsOfB = await snapshotReads(doc, b, worldB, probe);
      readsOfABefore = await snapshotReads(doc, a, undefined, probe);
      // Ids are numbered per tenant, so B's row 3 and A's row 3 are two rows, each its own tenant's.
      // A is made the larger tenant (its ids continue from 100,000), so the ids of A's rows are ids B
      // does not have: addressing them, B must meet exactly what a missing id gives.
      await numberAhead(api.app, tenantA, 100_000);
      worldA = await buildWorld({ c: a, tag: tagA, secrets: api.scanner });
      // Rows that only include_inactive / include_deleted show: a filter that lets them through for any tenant leaks them.
      retired = await addRetiredRows({ c: a, tag: tagA, secrets: api.scanner }, doc);
      readsOfA = await snapshotReads(doc, a, worldA, probe);
    });

    it("reads something on every GET: B gets a 2xx on each, and each of A's reads shows A's rows", () => {
      const wrong: string[] = [];
      for (const op of doc.ops.filter((o) => o.method === 'GET')) {
        const ofB = [...readsOfB.values()].filter((r) => r.op === op.key);
        // A GET that answers 4xx to every variant (e.g. a required parameter the variants lack) compares nothing.
        if (!ofB.some((r) => r.answer.status < 300))
          wrong.push(`${op.key}: none of B's ${ofB.length} reads answered 2xx (${[...new Set(ofB.map((r) => r.answer.status))].join(', ')})`);
        const ofA = [...readsOfA.entries()].filter(([, r]) => r.op === op.key);
        if (op.params.length > 0) {
          // A's row was created after readsOfABefore: a 2xx read of it is a read that A's data changed.
          if (!ofA.some(([, r]) => r.answer.status < 300)) wrong.push(`${op.key}: no read of A's own row answered 2xx`);
        } else if (!ofA.some(([key, r]) => !isDeepStrictEqual(readsOfABefore.get(key)?.answer, r.answer))) {
          wrong.push(`${op.key}: none of A's ${ofA.length} reads changed when A's rows were written`);
        }
      }
      expect(wrong).toEqual([]);
    });

    it("leaves every read of B (lists, rows, analytics) as it was before A's data was written", async () => {
      // Not vacuous: A's own reads did change with A's data (A's figures differ from B's).
      expect(readsOfB.size).toBeGreaterThan(80);
      expect(retired).toEqual({ inactive: INACTIVE_KINDS, deleted: DELETED_KINDS });
      expect(differences(readsOfB, await snapshotReads(doc, b, worldB, probe))).toEqual([]);
    });

    it('answers B 404 on every route that addresses a row of A, exactly as for a row that does not exist', async () => {
      const wrong: string[] = [];
      for (const op of doc.ops.filter((o) => o.params.length > 0 && !o.path.endsWith('/restore'))) {
        const kind = kindOf(op)!;
        const body = sampleBody(op, { tag: newTag('B'), secrets: api.scanner });
        const ofA = await asB(op.method, fillPath(op.path, worldA[kind]), body);
        const missing = nobody(worldA[kind]);
        const ofNobody = await asB(op.method, fillPath(op.path, missing), body);
        if (!isProblem(ofA, 404, 'NOT_FOUND')) wrong.push(`${op.key} on A's ${kind}: ${answer(ofA)} ${problemIssues(ofA).join('; ')}`);
        else if (!isDeepStrictEqual(normalized(ofA, Object.values(worldA[kind])), normalized(ofNobody, Object.values(missing)))) {
          wrong.push(
            `${op.key}: A's row answers ${JSON.stringify(normalized(ofA, Object.values(worldA[kind])))}, a missing one ${JSON.stringify(normalized(ofNobody, Object.values(missing)))}`,
          );
        }
      }
      expect(wrong).toEqual([]);
      expect(seenByB).toEqual([]);
    });

    it('refuses a write of B that names a row of A, as if the row did not exist', async () => {
      const wrong: string[] = [];
      let checked = 0;
      for (const op of doc.ops.filter((o) => o.body)) {
        for (const field of bodyFields(doc, op.body!.name, op.body!.schema)) {
          const rule = REFERENCES[field.key];
          if (!rule || rule === 'identity') continue;
          const kind = kindOf(op);
          // A fresh row of B for each attempt, so that one attempt cannot spoil the next.
          const params = kind ? await KINDS[kind].create({ c: b, tag: newTag('B'), secrets: api.scanner }) : {};
          const url = fillPath(op.path, params);
          const base = sampleBody(op, { tag: newTag('B'), secrets: api.scanner })!;
          const isArray = field.schema.type === 'array';
          const valueOfA = KINDS[rule].ref(worldA[rule]);
          const missing = typeof valueOfA === 'number' ? 2147480000 : 'NOBODY_REF';
          const wrap = (v: string | number) => (isArray ? [v] : v);
          const namingA = await asB(op.method, url, withField(base, field.path, wrap(valueOfA)));
          const namingNobody = await asB(op.method, url, withField(base, field.path, wrap(missing)));
          if (namingA.statusCode < 400 || namingA.statusCode >= 500 || problemIssues(namingA).length > 0) {
            wrong.push(`${op.key} with ${field.key} = A's ${rule}: ${answer(namingA)}`);
          } else if (!isDeepStrictEqual(normalized(namingA, [valueOfA]), normalized(namingNobody, [missing]))) {
            wrong.push(`${op.key} with ${field.key}: A's ${rule} answers ${answer(namingA)}, a missing one ${answer(namingNobody)}`);
          }
          // Not vacuous: the same write with the body's own (seeded) references goes through.
          const control = await asB(op.method, url, base);
          if (control.statusCode >= 300) wrong.push(`${op.key}: the control write answered ${answer(control)}`);
          checked += 1;
        }
      }
      expect(checked).toBeGreaterThan(30);
      expect(wrong).toEqual([]);
      expect(seenByB).toEqual([]);
    });

    it('filters by a row of A answer B as filters by a row that does not exist', async () => {
      const wrong: string[] = [];
      for (const op of doc.ops.filter((o) => o.method === 'GET')) {
        const kind = kindOf(op);
        const url = fillPath(op.path, kind ? worldB[kind] : {});
        for (const q of op.query) {
          for (const ref of QUERY_REFERENCES[q.name] ?? []) {
            const valueOfA = queryRefOf(ref, worldA[ref], q.name);
            const missing = typeof valueOfA === 'number' ? 2147480000 : 'NOBODY_REF';
            const namingA = await asB('GET', url, undefined, { [q.name]: String(valueOfA) });
            const namingNobody = await asB('GET', url, undefined, { [q.name]: String(missing) });
            if (!isDeepStrictEqual(normalized(namingA, [valueOfA]), normalized(namingNobody, [missing]))) {
              wrong.push(
                `${op.key}?${q.name}= A's ${ref}: ${JSON.stringify(normalized(namingA, [valueOfA])).slice(0, 300)} vs ${JSON.stringify(normalized(namingNobody, [missing])).slice(0, 300)}`,
              );
            }
          }
        }
      }
      expect(wrong).toEqual([]);
      expect(seenByB).toEqual([]);
    });

    it('leaves every row and figure of A as it was, and no write of B in its audit log', async () => {
      expect(differences(readsOfA, await snapshotReads(doc, a, worldA, probe))).toEqual([]);
      const audit = ok(await a.get('/audit-log', { query: { limit: 500 } }));
      expect(audit.total).toBeGreaterThan(10);
      expect(audit.data.filter((e: { actor: string }) => e.actor === 'bob')).toEqual([]);
    });

    // Last: these write to A.

    it('lets B use a code that A uses: codes are unique per tenant only', async () => {
      const wrong: string[] = [];
      let checked = 0;
      for (const op of doc.ops.filter((o) => o.body)) {
        for (const field of bodyFields(doc, op.body!.name, op.body!.schema)) {
          if (REFERENCES[field.key] !== 'identity') continue;
          const name = field.path[field.path.length - 1];
          // A fresh row of A per check, so that each code of A is taken by B once.
          const created = identityKind(op, name, worldA);
          const codeOfA = (await KINDS[created].create({ c: a, tag: newTag(tagA), secrets: api.scanner }))[name];
          const kind = kindOf(op);
          const params = kind ? await KINDS[kind].create({ c: b, tag: newTag('B'), secrets: api.scanner }) : {};
          // In a batch, on its first row only (one code twice in one batch is a duplicate of its own).
          const path = field.path.map((p) => (p === '*' ? '0' : p));
          const body = withField(sampleBody(op, { tag: newTag('B'), secrets: api.scanner }), path, codeOfA);
          const res = await b.send(op.method, fillPath(op.path, params), { body });
          if (res.statusCode >= 300) wrong.push(`${op.key} with ${field.key} = a code of A: ${answer(res)}`);
          checked += 1;
        }
      }
      expect(checked).toBeGreaterThan(8);
      expect(wrong).toEqual([]);
    });

    it("answers B 404 when it restores A's deleted rows, and A can still restore them", async () => {
      const wrong: string[] = [];
      const restores = doc.ops.filter((o) => o.path.endsWith('/restore'));
      expect(restores.length).toBeGreaterThan(5);
      for (const op of restores) {
        const kind = kindOf(op)!;
        const params = await KINDS[kind].create({ c: a, tag: newTag(tagA), secrets: api.scanner });
        ok(await a.delete(fillPath(itemPathOf(op)!, params)), 204);
        const res = await asB('POST', fillPath(op.path, params));
        if (!isProblem(res, 404, 'NOT_FOUND')) wrong.push(`${op.key}: ${answer(res)}`);
        const again = await a.post(fillPath(op.path, params));
        if (again.statusCode !== 200) wrong.push(`${op.key}: A's own restore afterwards answered ${answer(again)}`);
      }
      expect(wrong).toEqual([]);
    });
  });
});
