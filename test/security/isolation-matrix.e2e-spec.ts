import { isDeepStrictEqual } from 'node:util';
import { DataSource } from 'typeorm';
import { isMysql } from '../support/database';
import { newTenantId } from '../support/tenants';
import { bodyFields, buildWorld, coverageGaps, itemPathOf, KindName, kindOf, KINDS, newTag, Params, QUERY_REFERENCES, REFERENCES, sampleBody, utcDay, withField, World } from './support/catalogue';
import { answer, isProblem, normalized, problemIssues } from './support/checks';
import { ApiDoc, fillPath, Operation, readApiDoc } from './support/openapi';
import { ok, Res, SClient, SecureApi, startSecureApi } from './support/secure-api';

/**
 * API.md §1 Isolation, over every operation of the live OpenAPI document: with tenant A's data in
 * place, tenant B gets 404 on every route that addresses a row of A (and the same answer as for a row
 * that does not exist), never sees A's rows in a list, cannot name A's rows in a write, cannot restore
 * A's deleted rows, and none of B's reads (lists, rows, analytics) changes when A's data is written.
 * The pairs of tenants include ids that differ only in case and an id that is a prefix of the other.
 */

/** The reads of a tenant: every GET of the document, on its own rows, with each query variant. */
function readRequests(op: Operation, world: World): { url: string; query: Record<string, string | number | boolean> }[] {
  const kind = kindOf(op);
  const paramSets: Params[] = kind ? [world[kind], ...(KINDS[kind].seeded ? [KINDS[kind].seeded!] : [])] : [{}];
  const has = (name: string) => op.query.some((q) => q.name === name);
  const variants: Record<string, string | number | boolean>[] = [{}];
  if (has('limit')) variants[0] = { limit: 500 };
  if (has('include_inactive')) variants.push({ include_inactive: true, ...variants[0] });
  if (has('include_deleted')) variants.push({ include_deleted: true, ...variants[0] });
  if (has('start_date') && has('end_date')) variants.push({ start_date: utcDay(-40), end_date: utcDay(1) });
  if (has('days')) variants.push({ days: 366 });
  if (has('interval')) variants.push({ interval: 'week' }, { interval: 'month', start_date: utcDay(-60), end_date: utcDay(0) });
  for (const q of op.query) {
    for (const ref of QUERY_REFERENCES[q.name] ?? []) variants.push({ [q.name]: KINDS[ref].ref(world[ref]) });
  }
  return paramSets.flatMap((params) => variants.map((query) => ({ url: fillPath(op.path, params), query })));
}

async function snapshotReads(doc: ApiDoc, client: SClient, world: World): Promise<Map<string, unknown>> {
  const snapshot = new Map<string, unknown>();
  for (const op of doc.ops.filter((o) => o.method === 'GET')) {
    for (const { url, query } of readRequests(op, world)) {
      const res = await client.get(url, { query });
      snapshot.set(`GET ${url} ${JSON.stringify(query)}`, normalized(res));
    }
  }
  return snapshot;
}

const differences = (before: Map<string, unknown>, after: Map<string, unknown>) =>
  [...before.keys()].filter((k) => !isDeepStrictEqual(before.get(k), after.get(k))).map((k) => `${k}\n  before: ${JSON.stringify(before.get(k)).slice(0, 400)}\n  after:  ${JSON.stringify(after.get(k)).slice(0, 400)}`);

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
    let readsOfB: Map<string, unknown>;
    let readsOfA: Map<string, unknown>;
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
      worldB = await buildWorld({ c: b, tag: newTag('B'), secrets: api.scanner });
      readsOfB = await snapshotReads(doc, b, worldB);
      tagA = newTag('A');
      worldA = await buildWorld({ c: a, tag: tagA, secrets: api.scanner });
      readsOfA = await snapshotReads(doc, a, worldA);
    });

    it("leaves every read of B (lists, rows, analytics) as it was before A's data was written", async () => {
      // Not vacuous: A's own reads did change with A's data (A's figures differ from B's).
      expect(readsOfB.size).toBeGreaterThan(80);
      expect(differences(readsOfB, await snapshotReads(doc, b, worldB))).toEqual([]);
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
          wrong.push(`${op.key}: A's row answers ${JSON.stringify(normalized(ofA, Object.values(worldA[kind])))}, a missing one ${JSON.stringify(normalized(ofNobody, Object.values(missing)))}`);
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
            const valueOfA = KINDS[ref].ref(worldA[ref]);
            const missing = typeof valueOfA === 'number' ? 2147480000 : 'NOBODY_REF';
            const namingA = await asB('GET', url, undefined, { [q.name]: String(valueOfA) });
            const namingNobody = await asB('GET', url, undefined, { [q.name]: String(missing) });
            if (!isDeepStrictEqual(normalized(namingA, [valueOfA]), normalized(namingNobody, [missing]))) {
              wrong.push(`${op.key}?${q.name}= A's ${ref}: ${JSON.stringify(normalized(namingA, [valueOfA])).slice(0, 300)} vs ${JSON.stringify(normalized(namingNobody, [missing])).slice(0, 300)}`);
            }
          }
        }
      }
      expect(wrong).toEqual([]);
      expect(seenByB).toEqual([]);
    });

    it('leaves every row and figure of A as it was, and no write of B in its audit log', async () => {
      expect(differences(readsOfA, await snapshotReads(doc, a, worldA))).toEqual([]);
      const audit = ok(await a.get('/audit-log', { query: { limit: 500 } }));
      expect(audit.total).toBeGreaterThan(10);
      expect(audit.data.filter((e: { actor: string }) => e.actor === 'bob')).toEqual([]);
    });

    // Last: these write to A.

    it("lets B use a code that A uses: codes are unique per tenant only", async () => {
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
