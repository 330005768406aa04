import { API_PREFIX } from '../../src/app.setup';
import { ERROR_STATUS, ERROR_TITLE, ErrorCode } from '../../src/common/errors/error-codes';
import { API_TAGS } from '../../src/common/http/openapi';
import { startTestApi, TestApi } from '../support/app';
import { declaredRoutes, toOpenApiPath } from '../support/routes';
import { newTenantId } from '../support/tenants';

/**
 * The OpenAPI document says what the service does, in the shape client generators and the Swagger UI
 * read literally: one optional If-Match, roles from @Roles, clean operation ids, tags in business
 * order, a realistic problem example per status, response headers, closed request bodies, servers.
 */

type Json = Record<string, any>;
const BASE = `/${API_PREFIX}`;

describe('OpenAPI document: contract', () => {
  let api: TestApi;
  let doc: Json;
  let ops: { key: string; method: string; path: string; op: Json }[];
  beforeAll(async () => {
    api = await startTestApi();
    doc = (await api.raw().get('/docs-json')).json();
    ops = Object.entries<Json>(doc.paths).flatMap(([path, item]) =>
      Object.entries<Json>(item).map(([method, op]) => ({ key: `${method.toUpperCase()} ${path}`, method, path, op })),
    );
  });
  afterAll(() => api.close());

  const api_ = () => ops.filter((o) => o.path.startsWith(`${BASE}/`));

  it('declares exactly one If-Match header, optional, on every operation that reads it, and no header twice', () => {
    const twice = ops.flatMap(({ key, op }) => {
      const names = (op.parameters ?? []).filter((p: Json) => p.in === 'header').map((p: Json) => String(p.name).toLowerCase());
      return names.filter((n: string, i: number) => names.indexOf(n) !== i).map((n: string) => `${key}: ${n}`);
    });
    expect(twice).toEqual([]);
    const ifMatch = ops.flatMap(({ key, op }) => (op.parameters ?? []).filter((p: Json) => /^if-match$/i.test(p.name)).map((p: Json) => ({ key, p })));
    expect(ifMatch.map(({ p }) => `${p.name} ${p.required}`).every((s) => s === 'If-Match false')).toBe(true);
    // Every PATCH and DELETE of a versioned row, and the campaign transition.
    const expected = api_()
      .filter(({ method, path }) => ['patch', 'delete'].includes(method) || path.endsWith('/transition'))
      .map(({ key }) => key);
    expect(ifMatch.map(({ key }) => key).sort()).toEqual(expected.sort());
    expect(expected.filter((k) => k.startsWith('PATCH')).length).toBeGreaterThanOrEqual(7);
  });

  it("says in each operation which roles may call it, as the route's @Roles declares", () => {
    const declared = new Map(declaredRoutes(api.app).map((r) => [`${r.method} ${toOpenApiPath(r.path)}`, r]));
    const wrong = ops.flatMap(({ key, op }) => {
      const route = declared.get(key);
      if (!route) return [`${key}: not a declared route`];
      if (route.isPublic) return op['x-roles'] === undefined && /Public: no token needed\.$/.test(op.description) ? [] : [`${key}: public route`];
      const roles = route.roles ?? [];
      const ok = JSON.stringify(op['x-roles']) === JSON.stringify(roles) && op.description.endsWith(`Roles: ${roles.join(', ')}.`);
      return ok ? [] : [`${key}: x-roles ${JSON.stringify(op['x-roles'])}, @Roles ${JSON.stringify(roles)}`];
    });
    expect(wrong).toEqual([]);
    expect(doc.paths[`${BASE}/lead-sources/{source_code}/restore`].post['x-roles']).toEqual(['admin']);
    expect(doc.paths[`${BASE}/leads`].post['x-roles']).toEqual(['admin', 'manager', 'agent']);
  });

  it('gives every operation a unique camelCase operation id, a summary and a description', () => {
    const ids = ops.map(({ op }) => op.operationId);
    expect(ids.filter((id) => !/^[a-z][A-Za-z0-9]*$/.test(id))).toEqual([]);
    expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([]);
    expect(ops.filter(({ op }) => !op.summary || !op.description || op.description.length < 40).map(({ key }) => key)).toEqual([]);
    // Plurals of nouns ending in s, x, ch, sh take -es ("List campaign statuss" was one).
    expect(ops.map(({ op }) => op.summary).filter((summary) => /\b\w*(uss|sss|xs|chs|shs)\b/.test(summary))).toEqual([]);
    const byKey = (key: string) => ops.find((o) => o.key === key)?.op.operationId;
    expect(byKey(`GET ${BASE}/lead-sources`)).toBe('listLeadSources');
    expect(byKey(`POST ${BASE}/leads`)).toBe('createLead');
    expect(byKey(`GET ${BASE}/lead-sources/{source_code}/performance`)).toBe('getLeadSourcePerformance');
    expect(byKey(`GET ${BASE}/campaign-statuses`)).toBe('listCampaignStatuses');
    expect(doc.paths[`${BASE}/campaign-statuses`].get.summary).toBe('List campaign statuses');
  });

  it('lists its tags in business order, each described and each used', () => {
    expect(doc.tags.map((t: Json) => t.name)).toEqual(API_TAGS.map((t) => t.name));
    expect(doc.tags.filter((t: Json) => !t.description)).toEqual([]);
    const used = new Set(ops.flatMap(({ op }) => op.tags ?? []));
    expect(doc.tags.filter((t: Json) => !used.has(t.name))).toEqual([]);
    expect(ops.filter(({ op }) => op.tags?.length !== 1).map(({ key }) => key)).toEqual([]);
  });

  it('shows for each error status a problem example of that status, with the code and title the service sends', () => {
    const wrong: string[] = [];
    const seen = new Map<string, Set<string>>();
    for (const { key, op } of ops) {
      for (const [status, response] of Object.entries<Json>(op.responses)) {
        const problem = response.content?.['application/problem+json'];
        if (!problem) continue;
        const examples = Object.values<Json>(problem.examples ?? {});
        if (examples.length === 0) wrong.push(`${key} ${status}: no example`);
        for (const { value } of examples) {
          const code = value.code as ErrorCode;
          if (value.status !== Number(status) || ERROR_STATUS[code] !== Number(status) || value.title !== ERROR_TITLE[code]) {
            wrong.push(`${key} ${status}: example ${value.status} ${value.code} ${value.title}`);
          }
          if (!value.detail || !value.type.endsWith(code.toLowerCase().replace(/_/g, '-'))) wrong.push(`${key} ${status}: example without a detail or type`);
          seen.set(status, (seen.get(status) ?? new Set()).add(value.detail));
        }
      }
    }
    expect(wrong).toEqual([]);
    // The statuses of the contract each have their own example, and no two statuses share a detail.
    expect([...seen.keys()].sort()).toEqual(['400', '401', '403', '404', '409', '412', '413', '415', '429', '500', '503']);
    const details = [...seen.entries()].flatMap(([status, set]) => [...set].map((d) => `${status} ${d}`));
    const byDetail = new Map<string, string[]>();
    for (const entry of details) {
      const [status, ...rest] = entry.split(' ');
      byDetail.set(rest.join(' '), [...(byDetail.get(rest.join(' ')) ?? []), status]);
    }
    expect([...byDetail.entries()].filter(([, statuses]) => statuses.length > 1)).toEqual([]);
  });

  it('documents X-Request-Id on every response, the rate-limit headers the throttler sends, Retry-After on 429 and 503, and ETag on versioned rows', () => {
    const wrong: string[] = [];
    for (const { key, op } of ops) {
      const secured = (op.security ?? []).length > 0;
      for (const [status, response] of Object.entries<Json>(op.responses)) {
        const headers = Object.keys(response.headers ?? {});
        if (!headers.includes('X-Request-Id')) wrong.push(`${key} ${status}: X-Request-Id`);
        const limited = secured && /^(2\d\d|400|404|409|412)$/.test(status);
        for (const name of ['X-RateLimit-Limit', 'X-RateLimit-Remaining', 'X-RateLimit-Reset']) {
          if (headers.includes(name) !== limited) wrong.push(`${key} ${status}: ${name} ${limited ? 'missing' : 'not sent'}`);
        }
        if (headers.includes('Retry-After') !== ['429', '503'].includes(status)) wrong.push(`${key} ${status}: Retry-After`);
      }
    }
    expect(wrong).toEqual([]);
    expect(Object.keys(doc.components.headers).sort()).toEqual([
      'ETag',
      'Retry-After',
      'X-RateLimit-Limit',
      'X-RateLimit-Remaining',
      'X-RateLimit-Reset',
      'X-Request-Id',
    ]);
    expect(doc.paths[`${BASE}/lead-sources/{source_code}`].get.responses['200'].headers.ETag).toBeDefined();
    expect(doc.paths[`${BASE}/lead-sources`].get.responses['200'].headers.ETag).toBeUndefined();
  });

  it('sends the rate-limit headers under the documented names', async () => {
    const res = await api.as({ tenant: newTenantId(), role: 'viewer' }).get('/lead-sources');
    for (const name of ['X-RateLimit-Limit', 'X-RateLimit-Remaining', 'X-RateLimit-Reset', 'X-Request-Id'])
      expect(res.headers[name.toLowerCase()]).toBeDefined();
  });

  it('says additionalProperties: false on every request body object, nested ones included, and leaves only the free JSON fields open', () => {
    const open: string[] = [];
    const free: string[] = [];
    const seen = new Set<string>();
    const walk = (s: Json | undefined, where: string) => {
      if (!s) return;
      if (s.$ref) {
        const name = s.$ref.replace('#/components/schemas/', '');
        if (seen.has(name)) return;
        seen.add(name);
        return walk(doc.components.schemas[name], name);
      }
      if (s.properties && s.additionalProperties !== false) open.push(where);
      // A nullable nested body (`type: object, nullable, allOf: [$ref]`) declares its fields in the $ref, walked below.
      if (!s.properties && !s.allOf && s.type === 'object') free.push(where);
      for (const [k, child] of Object.entries<Json>(s.properties ?? {})) walk(child, `${where}.${k}`);
      walk(s.items, `${where}[]`);
      for (const part of s.allOf ?? []) walk(part, where);
    };
    for (const { op } of ops) walk(op.requestBody?.content?.['application/json']?.schema, 'body');
    expect(seen.size).toBeGreaterThan(20);
    expect(open).toEqual([]);
    expect([...new Set(free.map((f) => f.split('.').pop()))].sort()).toEqual(['integration_data', 'metadata', 'target_audience']);
  });

  it('documents the input bounds the service enforces', () => {
    const s = doc.components.schemas;
    expect(s.CreateLeadDto.properties.expected_value).toMatchObject({ minimum: 0, maximum: 999_999_999_999, multipleOf: 0.01 });
    expect(s.UpdateLeadDto.properties.sub_source_code).toMatchObject({ pattern: '^[A-Z][A-Z0-9_]{0,49}$', maxLength: 50, nullable: true });
    expect(s.CreateCampaignDto.properties.start_date).toMatchObject({ format: 'date', maxLength: 10 });
    expect(s.CreateCampaignDto.properties.start_date.description).toContain('1900-01-01 to 9998-12-31');
    const params = (path: string) => Object.fromEntries<Json>(doc.paths[`${BASE}${path}`].get.parameters.map((p: Json) => [p.name, p]));
    const list = params('/lead-sources');
    expect(list.search.schema).toMatchObject({ minLength: 1, maxLength: 100 });
    expect(list.offset.schema).toMatchObject({ minimum: 0, maximum: 1_000_000_000 });
    expect(list['X-Tenant-ID'].schema).toMatchObject({ pattern: '^[A-Za-z0-9_-]{1,64}$', maxLength: 64 });
    const performance = params('/lead-sources/{source_code}/performance');
    expect(performance.source_code.schema).toEqual({ type: 'string', pattern: '^[A-Z][A-Z0-9_]{0,49}$', maxLength: 50 });
    expect(performance.start_date.description).toContain('3,660 days');
    expect(performance.days.schema).toMatchObject({ minimum: 1, maximum: 366 });
  });

  it('documents 400, 413 and 415 on bodyless writes, which do answer them for a body', async () => {
    const bodyless = api_().filter(({ method, op }) => method !== 'get' && !op.requestBody);
    expect(bodyless.length).toBeGreaterThan(30);
    expect(bodyless.filter(({ op }) => !['400', '413', '415'].every((s) => op.responses[s])).map(({ key }) => key)).toEqual([]);
    const admin = api.as({ tenant: newTenantId(), role: 'admin' });
    const url = '/lead-sources/WEBSITE/activate';
    expect((await admin.post(url, '{"a":', { headers: { 'content-type': 'application/json' } })).statusCode).toBe(400);
    expect((await admin.post(url, 'x', { headers: { 'content-type': 'text/plain' } })).statusCode).toBe(415);
    expect((await admin.post(url, JSON.stringify({ pad: 'x'.repeat(1024 * 1024) }))).statusCode).toBe(413);
  });

  it('names a server consistent with its paths: the origin, with the API base in every API path', () => {
    expect(doc.servers).toEqual([expect.objectContaining({ url: '/' })]);
    expect(api_().length).toBeGreaterThan(100);
    expect(
      Object.keys(doc.paths)
        .filter((p) => !p.startsWith(`${BASE}/`))
        .sort(),
    ).toEqual(['/health', '/health/ready', '/metrics']);
  });

  it('tells in Authorize how to get a token, and keeps it across reloads of the Swagger UI', async () => {
    const scheme = doc.components.securitySchemes.bearer;
    expect(scheme).toMatchObject({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' });
    expect(scheme.description).toContain('npm run token -- --tenant acme --role admin');
    expect(scheme.description).toContain('identity service');
    expect(scheme.description).toContain('X-Tenant-ID');
    const init = await api.raw().get('/docs/swagger-ui-init.js');
    expect(init.statusCode).toBe(200);
    expect(init.body).toMatch(/"persistAuthorization":\s*true/);
  });
});
