import { isDeepStrictEqual } from 'node:util';
import { Role } from '../../src/tenancy/tenant-context';
import { newTenantId } from '../support/tenants';
import {
  ALL_ROLES,
  buildWorld,
  coverageGaps,
  expectedRoles,
  itemPathOf,
  kindOf,
  KINDS,
  newTag,
  Params,
  PRIVILEGED_QUERY,
  sampleBody,
  World,
} from './support/catalogue';
import { answer, isProblem, normalized } from './support/checks';
import { ApiDoc, fillPath, Operation, readApiDoc, WRITE_METHODS } from './support/openapi';
import { ok, SClient, SecureApi, startSecureApi } from './support/secure-api';

// Every operation for each of the four roles: up to 58 s a test on two busy cores.
jest.setTimeout(180_000);

/**
 * API.md §1 Roles, over every operation of the live OpenAPI document. The expected roles come from
 * API.md's rules by path (support/catalogue.ts expectedRoles), never from the code's own @Roles: every
 * write is refused (403 FORBIDDEN) to each role the rules exclude, and changes nothing; each role they
 * include gets through (on a row of its own kind, freshly made); every GET is open to all four roles;
 * include_deleted and the audit log are admin's. A path no rule fits fails the matrix.
 */

describe('role matrix (generated from the OpenAPI document)', () => {
  let api: SecureApi;
  let doc: ApiDoc;
  let tenant: string;
  let as: Record<Role, SClient>;
  let world: World;
  let writes: Operation[];

  beforeAll(async () => {
    api = await startSecureApi();
    doc = await readApiDoc(api);
    tenant = newTenantId('roles');
    as = Object.fromEntries(ALL_ROLES.map((role) => [role, api.as({ tenant, role, sub: `${role}-user` })])) as Record<Role, SClient>;
    world = await buildWorld({ c: as.admin, tag: newTag('W'), secrets: api.scanner });
    writes = doc.ops.filter((o) => WRITE_METHODS.includes(o.method));
  });
  afterAll(async () => {
    api.expectClean();
    await api.close();
  });

  const paramsFor = (op: Operation): Params => {
    const kind = kindOf(op);
    return kind ? world[kind] : {};
  };
  const bodyFor = (op: Operation) => sampleBody(op, { tag: newTag('R'), secrets: api.scanner });

  it('finds a role rule of API.md for every operation', () => {
    expect(coverageGaps(doc).filter((gap) => gap.includes('role rule'))).toEqual([]);
    expect(writes.length).toBeGreaterThan(50);
  });

  it('refuses every write, with 403 FORBIDDEN, to each role API.md excludes, and the refused writes change nothing', async () => {
    const readAll = async () => {
      const out: unknown[] = [];
      for (const op of doc.ops.filter((o) => o.method === 'GET' && o.path !== '/audit-log')) {
        out.push(normalized(await as.admin.get(fillPath(op.path, paramsFor(op)), { query: op.query.some((q) => q.name === 'limit') ? { limit: 500 } : {} })));
      }
      return out;
    };
    const before = await readAll();
    const auditBefore = ok(await as.admin.get('/audit-log', { query: { limit: 1 } })).total;

    const wrong: string[] = [];
    let refused = 0;
    for (const op of writes) {
      const allowed = expectedRoles(op.method, op.path) ?? [];
      for (const role of ALL_ROLES.filter((r) => !allowed.includes(r))) {
        const res = await as[role].send(op.method, fillPath(op.path, paramsFor(op)), { body: bodyFor(op) });
        if (!isProblem(res, 403, 'FORBIDDEN')) wrong.push(`${op.key} as ${role}: ${answer(res)}`);
        refused += 1;
      }
    }
    expect(wrong).toEqual([]);
    expect(refused).toBeGreaterThan(100);
    expect(isDeepStrictEqual(await readAll(), before)).toBe(true);
    expect(ok(await as.admin.get('/audit-log', { query: { limit: 1 } })).total).toBe(auditBefore);
  });

  it('lets each role API.md includes make every write, on a row of its own', async () => {
    const wrong: string[] = [];
    let allowedCalls = 0;
    for (const op of writes) {
      const kind = kindOf(op);
      for (const role of expectedRoles(op.method, op.path) ?? []) {
        // A fresh row for each call: one role's delete must not decide the next role's answer.
        const params = kind ? await KINDS[kind].create({ c: as.admin, tag: newTag('F'), secrets: api.scanner }) : {};
        if (op.path.endsWith('/restore')) ok(await as.admin.delete(fillPath(itemPathOf(op)!, params)), 204);
        const res = await as[role].send(op.method, fillPath(op.path, params), { body: bodyFor(op) });
        // API.md: anything but 403 for an allowed role; a valid call on a live row of the tenant must succeed.
        if (res.statusCode >= 300) wrong.push(`${op.key} as ${role}: ${answer(res)}`);
        allowedCalls += 1;
      }
    }
    expect(wrong).toEqual([]);
    expect(allowedCalls).toBeGreaterThan(100);
  });

  it('lets every role read every GET route', async () => {
    const wrong: string[] = [];
    for (const op of doc.ops.filter((o) => o.method === 'GET')) {
      const allowed = expectedRoles(op.method, op.path) ?? [];
      for (const role of ALL_ROLES) {
        const res = await as[role].get(fillPath(op.path, paramsFor(op)));
        const expected = allowed.includes(role) ? 200 : 403;
        if (res.statusCode !== expected || (expected === 403 && !isProblem(res, 403, 'FORBIDDEN')))
          wrong.push(`${op.key} as ${role}: ${answer(res)}, expected ${expected}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('keeps include_deleted to admin on every route that takes it, and include_deleted=false is no privilege', async () => {
    const wrong: string[] = [];
    let routes = 0;
    for (const op of doc.ops.filter((o) => o.method === 'GET')) {
      for (const [name, allowed] of Object.entries(PRIVILEGED_QUERY)) {
        if (!op.query.some((q) => q.name === name)) continue;
        routes += 1;
        for (const role of ALL_ROLES) {
          const res = await as[role].get(fillPath(op.path, paramsFor(op)), { query: { [name]: true } });
          if (allowed.includes(role) ? res.statusCode !== 200 : !isProblem(res, 403, 'FORBIDDEN'))
            wrong.push(`${op.key}?${name}=true as ${role}: ${answer(res)}`);
          const off = await as[role].get(fillPath(op.path, paramsFor(op)), { query: { [name]: false } });
          if (off.statusCode !== 200) wrong.push(`${op.key}?${name}=false as ${role}: ${answer(off)}`);
        }
      }
    }
    expect(routes).toBeGreaterThan(10);
    expect(wrong).toEqual([]);
  });
});
