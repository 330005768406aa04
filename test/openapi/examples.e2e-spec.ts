import { API_PREFIX } from '../../src/app.setup';
import { Client, startTestApi, TestApi, TestResponse } from '../support/app';
import { newTenantId } from '../support/tenants';

// Calls every operation with its documented examples: 76 s a test on two busy cores.
jest.setTimeout(300_000);

/**
 * Every example of the document works as shown on a fresh tenant: each operation is called with its
 * request body example and its path and query parameter examples, as "Try it out" in the Swagger UI
 * sends them, and answers a documented 2xx with the documented headers. Ids cannot be examples (they
 * are the database's), so an addressed row is first created with its own create example; a restore
 * first deletes what it restores.
 */

type Json = Record<string, any>;
interface Op {
  method: string;
  path: string;
  op: Json;
}

const BASE = `/${API_PREFIX}`;

describe('OpenAPI document: examples', () => {
  let api: TestApi;
  let doc: Json;
  let ops: Op[];
  beforeAll(async () => {
    api = await startTestApi();
    doc = (await api.raw().get('/docs-json')).json();
    ops = Object.entries<Json>(doc.paths)
      .filter(([path]) => path.startsWith(`${BASE}/`))
      .flatMap(([path, item]) => Object.entries<Json>(item).map(([method, op]) => ({ method, path: path.slice(BASE.length), op })));
  });
  afterAll(() => api.close());

  const find = (method: string, path: string): Op => {
    const found = ops.find((o) => o.method === method && o.path === path);
    if (!found) throw new Error(`No ${method.toUpperCase()} ${path} in the document`);
    return found;
  };
  const bodyExample = (op: Op): unknown => op.op.requestBody?.content?.['application/json']?.example;
  const paramExample = (p: Json): unknown => p.example ?? p.schema?.example;

  /** Calls an operation with its examples; `ids` fills the path parameters that cannot have one. */
  async function call(client: Client, op: Op, ids: Record<string, number> = {}): Promise<TestResponse> {
    let path = op.path;
    const query: Record<string, string> = {};
    for (const p of op.op.parameters ?? []) {
      const value = p.in === 'path' ? (ids[p.name] ?? paramExample(p)) : paramExample(p);
      if (p.in === 'path') {
        if (value === undefined) throw new Error(`${op.method.toUpperCase()} ${op.path}: no example for {${p.name}}`);
        path = path.replace(`{${p.name}}`, encodeURIComponent(String(value)));
      } else if (p.in === 'query' && value !== undefined) {
        query[p.name] = String(value);
      }
    }
    const body = bodyExample(op);
    const options = { query };
    switch (op.method) {
      case 'get':
        return client.get(path, options);
      case 'post':
        return body === undefined ? client.post(path, undefined, options) : client.post(path, body, options);
      case 'put':
        return client.put(path, body, options);
      case 'patch':
        return client.patch(path, body, options);
      default:
        return client.delete(path, options);
    }
  }

  const expectOk = (op: Op, res: TestResponse) => {
    const documented = Object.keys(op.op.responses).filter((s) => /^2/.test(s));
    if (!documented.includes(String(res.statusCode))) {
      throw new Error(`${op.method.toUpperCase()} ${op.path} answered ${res.statusCode} (documented: ${documented.join(', ')}): ${res.body.slice(0, 400)}`);
    }
    return res;
  };

  /** What the operation addresses, created on the tenant first (the create operations' own examples). */
  async function prepare(client: Client, op: Op): Promise<Record<string, number>> {
    const ids: Record<string, number> = {};
    const create = async (path: string, params: Record<string, number> = {}) =>
      expectOk(find('post', path), await call(client, find('post', path), params)).json();
    if (op.path.includes('{campaign_code}') && !(op.method === 'post' && op.path === '/campaigns')) await create('/campaigns');
    if (op.path.startsWith('/leads/{id}')) ids.id = (await create('/leads')).id;
    if (op.path.startsWith('/milestones/{lead_id}')) ids.lead_id = (await create('/leads')).id;
    if (op.path.startsWith('/lead-milestones/{id}')) {
      const lead = await create('/leads');
      ids.id = (await create('/milestones/{lead_id}', { lead_id: lead.id })).id;
    }
    if (op.path.startsWith('/milestone-templates/{id}')) ids.id = (await create('/milestone-templates')).id;
    if (op.path.startsWith('/campaign-templates/{id}')) ids.id = (await create('/campaign-templates')).id;
    if (op.path.startsWith('/webhook-subscriptions/{id}')) ids.id = (await create('/webhook-subscriptions')).id;
    if (op.path.startsWith('/attribution-rules/{id}')) ids.id = (await create('/attribution-rules')).id;
    if (op.path.endsWith('/restore')) {
      const remove = find('delete', op.path.replace(/\/restore$/, ''));
      expectOk(remove, await call(client, remove, ids));
    }
    return ids;
  }

  it('finds examples to run: a body example on every operation with a body, and an example for every code in a path', () => {
    expect(ops.length).toBeGreaterThan(100);
    const withBody = ops.filter((o) => o.op.requestBody);
    expect(withBody.length).toBeGreaterThan(25);
    expect(withBody.filter((o) => bodyExample(o) === undefined).map((o) => `${o.method} ${o.path}`)).toEqual([]);
    const codes = ops.flatMap((o) =>
      (o.op.parameters ?? [])
        .filter((p: Json) => p.in === 'path' && /_code$/.test(p.name) && paramExample(p) === undefined)
        .map((p: Json) => `${o.path} {${p.name}}`),
    );
    expect(codes).toEqual([]);
  });

  it('answers every operation called with its examples on a fresh tenant with a documented 2xx and the documented headers', async () => {
    const failures: string[] = [];
    for (const op of ops) {
      const client = api.as({ tenant: newTenantId('ex'), role: 'admin' });
      const key = `${op.method.toUpperCase()} ${op.path}`;
      try {
        const ids = await prepare(client, op);
        const res = expectOk(op, await call(client, op, ids));
        const headers = op.op.responses[String(res.statusCode)].headers ?? {};
        const missing = Object.keys(headers).filter((name) => res.headers[name.toLowerCase()] === undefined);
        if (missing.length > 0) failures.push(`${key}: documented headers not sent: ${missing.join(', ')}`);
        if (res.headers.etag !== undefined && !headers.ETag) failures.push(`${key}: sends an ETag it does not document`);
      } catch (e) {
        failures.push(`${key}: ${(e as Error).message}`);
      }
    }
    expect(failures).toEqual([]);
  });
});
