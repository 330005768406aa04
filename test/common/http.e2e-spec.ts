import { AddressInfo } from 'node:net';
import { API_PREFIX } from '../../src/app.setup';
import { PARSER_ERROR_SECURITY_HEADERS } from '../../src/common/http/client-errors';
import { ConfigError } from '../../src/config/app-config';
import { startTestApi, TestApi, TestResponse } from '../support/app';
import { isMysql, testDatabaseUrl } from '../support/database';
import { declaredRoutes, toOpenApiPath } from '../support/routes';
import { TcpProxy } from '../support/tcp-proxy';
import { rawHttp } from '../support/raw-http';
import { expectProblem, LEAK } from '../support/problems';
import { newTenantId } from '../support/tenants';
import { mintToken } from '../support/tokens';

const source = (code: string) => ({ source_code: code, source_name: 'Trade fair', source_type: 'event' });

describe('HTTP behaviour', () => {
  let api: TestApi;
  let token: string;
  beforeAll(async () => {
    api = await startTestApi();
    token = await mintToken({ tenant: newTenantId(), role: 'admin' });
  });
  afterAll(() => api.close());

  /** A request with full control over headers and payload. */
  const inject = (o: { method?: string; url: string; headers?: Record<string, string>; payload?: string | Buffer }) =>
    api.app
      .getHttpAdapter()
      .getInstance()
      .inject({
        method: (o.method ?? 'POST') as 'POST',
        url: /^\/(api|health|metrics|docs)/.test(o.url) ? o.url : `/${API_PREFIX}${o.url}`,
        headers: { authorization: `Bearer ${token}`, ...o.headers },
        payload: o.payload,
      })
      .then((res) => ({ statusCode: res.statusCode, headers: res.headers, body: res.body, json: () => JSON.parse(res.body) }) as TestResponse);

  describe('request bodies', () => {
    it('answers 413 PAYLOAD_TOO_LARGE to a body over 1 MiB', async () => {
      const payload = JSON.stringify({ ...source('BIG'), description: 'x'.repeat(2 * 1024 * 1024) });
      const res = await inject({ url: '/lead-sources', headers: { 'content-type': 'application/json' }, payload });
      expectProblem(res, 413, 'PAYLOAD_TOO_LARGE');
      expect((await api.as({ tenant: newTenantId(), role: 'admin' }).get('/lead-sources/BIG')).statusCode).toBe(404);
    });

    it('takes a body just under 1 MiB to validation (400, not 413)', async () => {
      const payload = JSON.stringify({ ...source('ALMOST'), description: 'x'.repeat(1024 * 1024 - 200) });
      expect(Buffer.byteLength(payload)).toBeLessThan(1024 * 1024);
      const res = await inject({ url: '/lead-sources', headers: { 'content-type': 'application/json' }, payload });
      expectProblem(res, 400, 'VALIDATION_FAILED');
      expect(res.json().errors.map((e: { field: string }) => e.field)).toEqual(['description']);
    });

    it.each(['text/plain', 'application/x-www-form-urlencoded', 'application/xml', 'multipart/form-data; boundary=x'])(
      'answers 415 UNSUPPORTED_MEDIA_TYPE to a %s body',
      async (type) => {
        const res = await inject({ url: '/lead-sources', headers: { 'content-type': type }, payload: 'source_code=X' });
        expectProblem(res, 415, 'UNSUPPORTED_MEDIA_TYPE');
      },
    );

    it('answers 415 to a JSON text sent as text/plain too, and on PATCH', async () => {
      const post = await inject({ url: '/lead-sources', headers: { 'content-type': 'text/plain' }, payload: JSON.stringify(source('PLAIN')) });
      expectProblem(post, 415, 'UNSUPPORTED_MEDIA_TYPE');
      const patch = await inject({ method: 'PATCH', url: '/lead-sources/WEBSITE', headers: { 'content-type': 'text/plain' }, payload: '{}' });
      expectProblem(patch, 415, 'UNSUPPORTED_MEDIA_TYPE');
    });

    it('accepts application/json with a charset', async () => {
      const res = await inject({
        url: '/lead-sources',
        headers: { 'content-type': 'application/json; charset=utf-8' },
        payload: JSON.stringify(source('CHARSET')),
      });
      expect(res.statusCode).toBe(201);
    });

    it('accepts a POST with no body where none is needed', async () => {
      const res = await inject({ url: '/lead-sources/WEBSITE/deactivate' });
      expect(res.statusCode).toBe(200);
      expect(res.json().is_active).toBe(false);
    });

    it.each([
      ['a truncated object', '{"source_code": "X",'],
      ['a trailing comma', '{"source_code": "X",}'],
      ['single quotes', "{'source_code': 'X'}"],
      ['an empty body', ''],
    ])('answers 400 problem+json to malformed JSON: %s', async (_what, payload) => {
      const res = await inject({ url: '/lead-sources', headers: { 'content-type': 'application/json' }, payload });
      expectProblem(res, 400, 'VALIDATION_FAILED');
      expect(res.body).not.toMatch(/Unexpected token|position \d+/);
    });

    it.each([
      ['an array', '[1, 2]'],
      ['a string', '"hello"'],
      ['null', 'null'],
    ])('answers 400 to a JSON body that is %s', async (_what, payload) => {
      expectProblem(await inject({ url: '/lead-sources', headers: { 'content-type': 'application/json' }, payload }), 400, 'VALIDATION_FAILED');
    });
  });

  describe('errors', () => {
    it('answers 404 problem+json to an unknown route, with or without a token', async () => {
      expectProblem(await inject({ method: 'GET', url: '/no-such-thing' }), 404, 'NOT_FOUND');
      expectProblem(await api.raw().get('/no-such-thing'), 404, 'NOT_FOUND');
      expectProblem(await api.raw().get('/api/v2/anything'), 404, 'NOT_FOUND');
      expectProblem(await inject({ method: 'DELETE', url: '/no-such-thing' }), 404, 'NOT_FOUND');
      expectProblem(await inject({ method: 'OPTIONS', url: '/no-such-thing' }), 404, 'NOT_FOUND');
    });

    it.each([
      ['PUT', '/lead-sources/WEBSITE', 'GET, HEAD, PATCH, DELETE'],
      ['DELETE', '/lead-sources', 'GET, HEAD, POST'],
      ['PATCH', '/leads', 'GET, HEAD, POST'],
      // The router takes /leads/bulk for /leads/{id} too (GET, PATCH, DELETE), as it would route them.
      ['PUT', '/leads/bulk', 'GET, HEAD, POST, PATCH, DELETE'],
      ['GET', '/lead-sources/WEBSITE/deactivate', 'POST'],
      ['POST', '/leads/12', 'GET, HEAD, PATCH, DELETE'],
      ['DELETE', '/campaigns/SPRING/metrics', 'GET, HEAD, PUT'],
      ['POST', '/health', 'GET, HEAD'],
      ['DELETE', '/metrics', 'GET, HEAD'],
      ['OPTIONS', '/lead-sources', 'GET, HEAD, POST'],
    ])('answers %s %s with 405 and Allow: %s (the path exists, not for that method)', async (method, path, allow) => {
      // With the token, and without one: routing comes before authentication.
      for (const headers of [{}, { authorization: '' }] as Record<string, string>[]) {
        const res = await inject({ method, url: path, headers, payload: method === 'GET' || method === 'OPTIONS' ? undefined : '' });
        expectProblem(res, 405, 'METHOD_NOT_ALLOWED');
        expect(res.headers.allow).toBe(allow);
        expect(res.json().detail).toBe(`${method} is not allowed here; this path answers ${allow}`);
        expect(res.headers['x-request-id']).toBe(res.json().instance);
      }
    });

    it('answers HEAD on a path without GET with 405 and Allow, and a path some route takes with that route', async () => {
      const res = await inject({ method: 'HEAD', url: '/lead-sources/WEBSITE/deactivate' });
      expect([res.statusCode, res.headers.allow]).toEqual([405, 'POST']);
      // GET /leads/bulk is GET /leads/{id} with an id that is not one: routed, so 404.
      expectProblem(await inject({ method: 'GET', url: '/leads/bulk' }), 404, 'NOT_FOUND');
    });

    it.each([
      ['GET', '/leads/abc', 'lead "abc" not found'],
      ['GET', '/leads/NaN', 'lead "NaN" not found'],
      ['GET', '/milestones/abc', 'lead "abc" not found'],
      ['GET', '/milestones/abc/timeline', 'lead "abc" not found'],
      ['DELETE', '/lead-milestones/1.5', 'lead milestone "1.5" not found'],
      ['GET', '/milestone-templates/-1', 'milestone template "-1" not found'],
      ['GET', '/campaign-templates/2147483648', 'campaign template "2147483648" not found'],
    ])('answers %s %s with 404 naming what was asked for as it was written: %s', async (method, path, detail) => {
      const client = api.as({ tenant: newTenantId(), role: 'admin' });
      const res = method === 'GET' ? await client.get(path) : await client.delete(path);
      expectProblem(res, 404, 'NOT_FOUND');
      expect(res.json().detail).toBe(detail);
    });

    it('never shows SQL, driver text or stack frames', async () => {
      const client = api.as({ tenant: newTenantId(), role: 'admin' });
      await client.post('/lead-sources', source('TAKEN'));
      const bodies = await Promise.all([
        client.post('/lead-sources', source('TAKEN')),
        client.get("/lead-sources/X' OR 1=1 --"),
        client.get('/lead-sources', { query: { limit: 'NaN' } }),
        client.patch('/lead-sources/TAKEN', { source_name: 'x' }, { headers: { 'if-match': '"nope"' } }),
        client.post('/lead-sources', { ...source('DEEP'), metadata: { a: { b: { c: { d: 'x'.repeat(20_000) } } } } }),
        api.raw({ authorization: 'Bearer eyJhbGciOiJIUzI1NiJ9.e30.x' }).get('/lead-sources'),
      ]);
      for (const res of bodies) {
        expect(res.statusCode).toBeGreaterThanOrEqual(400);
        expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
        expect(res.body).not.toMatch(LEAK);
        expect(res.json()).not.toHaveProperty('stack');
      }
      expect((await client.get('/lead-sources')).json().total).toBe(6);
    });

    it.each([
      '/lead-sources/analytics/trends?end_date=9999-12-31',
      '/lead-sources/analytics/trends?end_date=9999-12-31&interval=week',
      '/lead-sources/analytics/trends?start_date=0000-01-01&end_date=0000-01-31&interval=month',
      '/lead-sources/analytics/performance?end_date=0000-01-01',
      '/lead-sources/WEBSITE/performance?start_date=1899-12-31&end_date=1900-01-31',
      '/campaigns/analytics/trends?end_date=9999-12-31',
      '/milestones/analytics/time-trends?end_date=9999-12-31&interval=week',
      '/milestones/analytics/bottlenecks?start_date=9999-12-01',
      '/leads?created_to=9999-12-31',
    ])('answers %s with 400 naming the date, at once (days outside 1900-01-01..9998-12-31)', async (url) => {
      const res = await api.as({ tenant: newTenantId(), role: 'viewer' }).get(url);
      expectProblem(res, 400, 'VALIDATION_FAILED');
      expect(res.json().errors[0].field).toMatch(/^(start_date|end_date|created_to)$/);
    });

    it.each([
      ['/lead-sources?limit=0x10', 'limit'],
      ['/lead-sources?limit=1e1', 'limit'],
      ['/lead-sources?offset=', 'offset'],
      ['/leads?offset=%20', 'offset'],
      ['/lead-sources/analytics/performance?days=0x10', 'days'],
      ['/campaigns/analytics/trends?days=3.0e1', 'days'],
      ['/milestones/analytics/bottlenecks?template_id=0x1', 'template_id'],
      ['/lead-sources?limit=2.5', 'limit'],
    ])('answers %s with 400 naming %s: numbers in a query are plain decimals', async (url, field) => {
      const res = await api.as({ tenant: newTenantId(), role: 'viewer' }).get(url);
      expectProblem(res, 400, 'VALIDATION_FAILED');
      expect(new Set(res.json().errors.map((e: { field: string }) => e.field))).toEqual(new Set([field]));
    });

    it('takes plain decimal numbers in a query', async () => {
      const client = api.as({ tenant: newTenantId(), role: 'viewer' });
      expect((await client.get('/lead-sources?limit=2&offset=1')).json()).toMatchObject({ limit: 2, offset: 1 });
      expect((await client.get('/lead-sources?limit=007')).json()).toMatchObject({ limit: 7 });
      expect((await client.get('/lead-sources/analytics/performance?days=16')).statusCode).toBe(200);
    });

    it('answers the calendar edges themselves', async () => {
      const client = api.as({ tenant: newTenantId(), role: 'viewer' });
      const late = await client.get('/lead-sources/analytics/trends?start_date=9998-12-01&end_date=9998-12-31&interval=week');
      expect(late.statusCode).toBe(200);
      expect(late.json()).toMatchObject({ start_date: '9998-12-01', end_date: '9998-12-31', interval: 'week' });
      const early = await client.get('/campaigns/analytics/trends?start_date=1900-01-01&end_date=1900-02-15&interval=month');
      expect(early.statusCode).toBe(200);
      expect(early.json().data.map((r: { date: string }) => r.date)).toEqual(['1900-01-01', '1900-02-01']);
    });

    it('answers a hostile search with an empty list, not an error, and the table is still there', async () => {
      const client = api.as({ tenant: newTenantId(), role: 'viewer' });
      const res = await client.get('/lead-sources', { query: { search: "'; DROP TABLE tenant_lead_sources; --" } });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({ data: [], total: 0 });
      expect((await client.get('/lead-sources')).json().total).toBe(5);
    });

    it('tags every response, errors included, with x-request-id, echoing a sane incoming one', async () => {
      const ok = await api.raw().get('/health');
      expect(ok.headers['x-request-id']).toEqual(expect.stringMatching(/^[\w.:-]{1,128}$/));
      const echoed = await api.raw({ 'x-request-id': 'trace-abc.123' }).get('/health');
      expect(echoed.headers['x-request-id']).toBe('trace-abc.123');
      const replaced = await api.raw({ 'x-request-id': 'bad id with spaces <script>' }).get('/health');
      expect(replaced.headers['x-request-id']).not.toContain('<script>');

      const problem = await api.raw({ 'x-request-id': 'trace-401' }).get('/lead-sources');
      expect(problem.headers['x-request-id']).toBe('trace-401');
      expect(problem.json().instance).toBe('trace-401');
      const tooLarge = await inject({
        url: '/lead-sources',
        headers: { 'content-type': 'application/json', 'x-request-id': 'trace-413' },
        payload: 'x'.repeat(1024 * 1024 + 1),
      });
      expect(tooLarge.statusCode).toBe(413);
      expect(tooLarge.headers['x-request-id']).toBe('trace-413');
    });
  });

  describe('requests the HTTP parser refuses (over a socket: inject never reaches the parser)', () => {
    let port: number;
    beforeAll(async () => {
      await api.app.listen(0, '127.0.0.1');
      port = (api.app.getHttpServer().address() as AddressInfo).port;
    });

    /** A request as bytes: the request line, headers, and a blank line. */
    const bytes = (...parts: (string | Buffer)[]) =>
      Buffer.concat([...parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'latin1') : p)), Buffer.from('\r\n\r\n')]);
    const utf8 = (text: string) => Buffer.from(text, 'utf8');
    const parserLines = () => api.logs.lines.map((line) => JSON.parse(line)).filter((l: { msg?: string }) => l.msg === 'request refused by the HTTP parser');

    it.each([
      ['a control character in a header value', bytes('GET /health HTTP/1.1\r\nHost: x\r\nX-Note: a\x01b'), 400, 'VALIDATION_FAILED', /header/],
      ['headers over 16 KiB', bytes(`GET /health HTTP/1.1\r\nHost: x\r\nX-Note: ${'a'.repeat(17 * 1024)}`), 431, 'HEADERS_TOO_LARGE', /16 KiB/],
      [
        'a raw non-ASCII character in the query string',
        bytes(utf8(`GET /${API_PREFIX}/leads?lead_code=caf\u00e9 HTTP/1.1\r\nHost: x`)),
        400,
        'VALIDATION_FAILED',
        /percent-encode/,
      ],
      [
        'a raw non-ASCII character in the path',
        bytes(utf8(`GET /${API_PREFIX}/lead-sources/\u00e9 HTTP/1.1\r\nHost: x`)),
        400,
        'VALIDATION_FAILED',
        /percent-encode/,
      ],
      ['a bare line feed in the request line', bytes('GET /health HTTP/1.1\nHost: x'), 400, 'VALIDATION_FAILED', /not valid HTTP/],
    ])('answers %s with problem+json, a request id, the security headers, and one warn line', async (_what, request, status, code, detail) => {
      const before = parserLines().length;
      const res = await rawHttp(port, request);
      expectProblem(res, status, code);
      const body = res.json();
      expect(Object.keys(body).sort()).toEqual(['code', 'detail', 'instance', 'status', 'title', 'type']);
      expect(body.detail).toMatch(detail);
      expect(body.instance).toMatch(/^[0-9a-f-]{36}$/);
      expect(res.headers['x-request-id']).toBe(body.instance);
      expect(res.headers.connection).toBe('close');
      for (const [name, value] of Object.entries(PARSER_ERROR_SECURITY_HEADERS)) expect([name, res.headers[name.toLowerCase()]]).toEqual([name, value]);

      const logged = parserLines().slice(before);
      expect(logged).toEqual([expect.objectContaining({ level: 40, requestId: body.instance, status, code })]);
    });

    it("echoes the caller's sane X-Request-Id when the parser got to it", async () => {
      const res = await rawHttp(port, bytes('GET /health HTTP/1.1\r\nHost: x\r\nX-Request-Id: trace-parser.1\r\nX-Note: a\x7fb'));
      expectProblem(res, 400, 'VALIDATION_FAILED');
      expect([res.headers['x-request-id'], res.json().instance]).toEqual(['trace-parser.1', 'trace-parser.1']);
      const odd = await rawHttp(port, bytes('GET /health HTTP/1.1\r\nHost: x\r\nX-Request-Id: <script>\r\nX-Note: a\x01b'));
      expect(odd.json().instance).toMatch(/^[0-9a-f-]{36}$/);
    });

    it('sends every security header an ordinary answer has, with the same values', async () => {
      const ordinary = await rawHttp(port, bytes('GET /health HTTP/1.1\r\nHost: x\r\nConnection: close'));
      expect(ordinary.statusCode).toBe(200);
      const refused = await rawHttp(port, bytes('GET /health HTTP/1.1\r\nHost: x\r\nX-Note: \x00'));
      const perAnswer = ['content-type', 'content-length', 'date', 'connection', 'keep-alive', 'x-request-id'];
      const shared = Object.entries(ordinary.headers).filter(([name]) => !perAnswer.includes(name));
      expect(shared.length).toBeGreaterThanOrEqual(Object.keys(PARSER_ERROR_SECURITY_HEADERS).length);
      expect(Object.fromEntries(shared.map(([name]) => [name, refused.headers[name]]))).toEqual(Object.fromEntries(shared));
    });

    it('takes the same characters percent-encoded to the application', async () => {
      const request = bytes(`GET /${API_PREFIX}/leads?lead_code=caf%C3%A9 HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${token}\r\nConnection: close`);
      const res = await rawHttp(port, request);
      // Not a lead code (printable ASCII only): the validation pipe answers, naming the field.
      expectProblem(res, 400, 'VALIDATION_FAILED');
      expect(res.json().errors).toEqual([{ field: 'lead_code', message: expect.stringContaining('printable ASCII') }]);
      const encoded = bytes(`GET /${API_PREFIX}/leads?lead_code=CRM%201 HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${token}\r\nConnection: close`);
      expect((await rawHttp(port, encoded)).json()).toMatchObject({ data: [], total: 0 });
    });
  });

  describe('service routes', () => {
    it('answers /health without a token', async () => {
      const res = await api.raw().get('/health');
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({ status: 'ok' });
    });

    it('answers /health/ready with the database up', async () => {
      const res = await api.raw().get('/health/ready');
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({ status: 'ok', info: { database: { status: 'up' } } });
    });

    it('exposes Prometheus metrics by route pattern and status', async () => {
      const client = api.as({ tenant: newTenantId(), role: 'viewer' });
      await client.get('/lead-sources/WEBSITE');
      await client.get('/lead-sources/NOPE');
      const res = await api.raw().get('/metrics');
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
      expect(res.body).toContain('# TYPE http_requests_total counter');
      const line = (status: number) =>
        new RegExp(`^http_requests_total\\{method="GET",route="/${API_PREFIX}/lead-sources/:source_code",status="${status}"\\} [1-9]\\d*$`, 'm');
      expect(res.body).toMatch(line(200));
      expect(res.body).toMatch(line(404));
      // The pattern, never the raw URL (unbounded label values).
      expect(res.body).not.toContain('route="/api/v1/customization/lead-sources/WEBSITE"');
      expect(res.body).toContain('http_request_duration_seconds_bucket');
      expect(res.body).toContain('process_cpu_seconds_total');
    });

    it('serves an OpenAPI 3 document with every API route and the problem schema', async () => {
      const res = await api.raw().get('/docs-json');
      expect(res.statusCode).toBe(200);
      const doc = res.json();
      expect(doc.openapi).toMatch(/^3\./);
      expect(doc.components.schemas.ProblemDto).toMatchObject({ type: 'object' });
      expect(Object.keys(doc.components.schemas.ProblemDto.properties).sort()).toEqual(
        ['code', 'detail', 'errors', 'existing_id', 'instance', 'status', 'title', 'type'].sort(),
      );

      // Every route the application declares, the service routes (/health, /health/ready, /metrics) too.
      const routes = declaredRoutes(api.app);
      expect(routes.filter((r) => r.path.startsWith(`/${API_PREFIX}/`)).length).toBeGreaterThan(20);
      expect(routes.map((r) => r.path)).toEqual(expect.arrayContaining(['/health', '/health/ready', '/metrics']));
      const missing = routes
        .map((r) => ({ method: r.method.toLowerCase(), path: toOpenApiPath(r.path) }))
        .filter(({ method, path }) => !doc.paths[path]?.[method])
        .map(({ method, path }) => `${method.toUpperCase()} ${path}`);
      expect(missing).toEqual([]);

      // Problem responses point at the schema; writes document their bodies.
      const create = doc.paths[`/${API_PREFIX}/lead-sources`].post;
      expect(create.responses['409'].content['application/problem+json'].schema.$ref).toBe('#/components/schemas/ProblemDto');
      expect(create.requestBody.content['application/json'].schema.$ref).toBe('#/components/schemas/CreateLeadSourceDto');
      expect(create.security).toEqual([{ bearer: [] }]);
      expect(Object.keys(doc.paths['/metrics'].get.responses['200'].content)).toEqual(['text/plain']);
    });

    it('declares whole numbers as integer (int32, or int64 for campaign totals) and only money, rates and averages as number', async () => {
      // Client generators (Kotlin, Java, C#) turn `number` into a double: ids and counts must not be one.
      const doc = (await api.raw().get('/docs-json')).json();
      type Schema = { type?: string; format?: string; properties?: Record<string, Schema>; items?: Schema; allOf?: Schema[] };
      const numeric: { where: string; name: string; schema: Schema }[] = [];
      const walk = (s: Schema | undefined, where: string, name: string) => {
        if (!s) return;
        if (s.type === 'number' || s.type === 'integer') numeric.push({ where, name, schema: s });
        for (const [key, child] of Object.entries(s.properties ?? {})) walk(child, `${where}.${key}`, key);
        walk(s.items, `${where}[]`, name);
        for (const part of s.allOf ?? []) walk(part, where, name);
      };
      for (const [name, schema] of Object.entries<Schema>(doc.components.schemas)) walk(schema, name, '');
      for (const [path, item] of Object.entries<Record<string, { parameters?: { in: string; name: string; schema: Schema }[] }>>(doc.paths)) {
        for (const [method, op] of Object.entries(item)) {
          for (const p of op.parameters ?? []) walk(p.schema, `${method.toUpperCase()} ${path} ${p.in}:${p.name}`, p.name);
        }
      }
      expect(numeric.length).toBeGreaterThan(300);

      // Money, rates, percentages, averages/median/p90 and coordinates are decimals; everything else
      // numeric (ids, version, display_order, days, durations, counts, page fields, status) is whole.
      // Attributed figures (attributed_leads, attributed_conversions) are leads credited by a model: shares of a
      // lead, decimals by nature (docs/attribution.md); the counts beside them stay whole.
      const DECIMAL = /budget|spen[dt]|revenue|cost|_rate$|roi$|^(cpl|cpm|ctr|cpc)$|average|median|p90|percent|latitude|longitude|_value$|^attributed_/;
      const wrong = numeric
        .filter(({ name, schema }) =>
          DECIMAL.test(name)
            ? schema.type !== 'number' || schema.format !== undefined
            : schema.type !== 'integer' || !['int32', 'int64'].includes(schema.format ?? ''),
        )
        .map(({ where, schema }) => `${where}: ${schema.type}${schema.format ? ` (${schema.format})` : ''}`);
      expect(wrong).toEqual([]);

      // The explicit rule of the contract: ids, version and page fields, *_id, *_count, *_days.
      const WHOLE = /^(id|version|total|limit|offset)$|_id$|_count$|_days$/;
      const notWhole = numeric
        .filter(({ name, schema }) => WHOLE.test(name) && !/average|median|p90/.test(name) && schema.type !== 'integer')
        .map(({ where }) => where);
      expect(notWhole).toEqual([]);

      // int64 where a sum may pass 2^31 (BIGINT campaign totals and daily stats); int32 elsewhere.
      const int64 = numeric.filter((n) => n.schema.format === 'int64').map((n) => n.where);
      expect(int64.filter((w) => !/\.(total_)?(impressions|clicks|leads|leads_generated|conversions)$/.test(w))).toEqual([]);

      // Spot checks, one per kind of field, all reported at once.
      const typeOf = (where: string) => {
        const s = numeric.find((n) => n.where === where)?.schema;
        return s ? [s.type, s.format].filter(Boolean).join(' ') : 'missing';
      };
      const expected: Record<string, string> = {
        'CampaignResponseDto.total_leads': 'integer int64',
        'CampaignResponseDto.total_conversions': 'integer int64',
        'CampaignTypePerformanceRowDto.total_leads': 'integer int64',
        'ChannelPerformanceRowDto.total_impressions': 'integer int64',
        'ChannelPerformanceRowDto.total_clicks': 'integer int64',
        'CampaignTrendPointDto.impressions': 'integer int64',
        'CampaignTrendPointDto.leads_generated': 'integer int64',
        'LeadResponseDto.id': 'integer int32',
        'LeadResponseDto.version': 'integer int32',
        'CampaignResponseDto.id': 'integer int32',
        'CampaignResponseDto.template_id': 'integer int32',
        'LeadSourceResponseListDto.total': 'integer int32',
        'LeadSourceResponseListDto.limit': 'integer int32',
        'LeadSourceResponseListDto.offset': 'integer int32',
        'AuditLogEntryDto.id': 'integer int32',
        'ProblemDto.status': 'integer int32',
        'CampaignMetricResponseDto.impressions': 'integer int32',
        'CampaignTypePerformanceRowDto.total_campaigns': 'integer int32',
        'ChannelPerformanceRowDto.campaign_count': 'integer int32',
        'SourcePerformanceDto.leads_generated': 'integer int32',
        'SourceTrendPointDto.conversions': 'integer int32',
        'CompletionRowDto.completed': 'integer int32',
        'TimeTrendPointDto.milestone_count': 'integer int32',
        'BottleneckDto.transitions': 'integer int32',
        'BottleneckDto.leads_affected': 'integer int32',
        'LeadMilestoneResponseDto.lead_id': 'integer int32',
        'LeadMilestoneResponseDto.milestone_type_id': 'integer int32',
        'LeadMilestoneResponseDto.days_from_previous': 'integer int32',
        'TimelineMilestoneDto.cumulative_days': 'integer int32',
        'LeadTimelineResponseDto.total_days': 'integer int32',
        'MilestoneTemplateResponseDto.estimated_days': 'integer int32',
        'BulkWriteResultDto.written': 'integer int32',
        'CreateLeadMilestoneDto.duration_minutes': 'integer int32',
        'CreateCampaignTypeDto.typical_duration_days': 'integer int32',
        'WriteCampaignMetricDto.clicks': 'integer int32',
        'CampaignResponseDto.budget': 'number',
        'CampaignResponseDto.total_spent': 'number',
        'ChannelPerformanceRowDto.ctr': 'number',
        'SourcePerformanceDto.average_days_to_close': 'number',
        'BottleneckDto.median_days': 'number',
        'BottleneckDto.p90_days': 'number',
        'LeadResponseDto.expected_value': 'number',
        'LeadMilestoneResponseDto.location_latitude': 'number',
      };
      expect(Object.fromEntries(Object.keys(expected).map((where) => [where, typeOf(where)]))).toEqual(expected);

      // Only the type changed: bounds, defaults, nullability and required-ness are as declared.
      const schemas = doc.components.schemas;
      expect(schemas.CreateLeadSourceDto.properties.display_order).toEqual({ type: 'integer', format: 'int32', default: 0, minimum: 0, maximum: 1_000_000 });
      expect(schemas.CreateLeadSourceDto.required ?? []).not.toContain('display_order');
      expect(schemas.LeadTimelineResponseDto.properties.template_id).toMatchObject({ type: 'integer', format: 'int32', nullable: true });
      expect(schemas.LeadSourceResponseListDto.required).toEqual(expect.arrayContaining(['total', 'limit', 'offset']));
      const list = doc.paths[`/${API_PREFIX}/lead-sources`].get.parameters;
      expect(list.find((p: { name: string }) => p.name === 'limit').schema).toEqual({
        type: 'integer',
        format: 'int32',
        minimum: 1,
        maximum: 500,
        default: 50,
      });
      const lead = doc.paths[`/${API_PREFIX}/leads/{id}`].get.parameters;
      expect(lead.find((p: { name: string }) => p.name === 'id').schema).toEqual({ type: 'integer', format: 'int32', minimum: 1, maximum: 2_147_483_647 });
    });

    it('serves the Swagger UI', async () => {
      const res = await api.raw().get('/docs');
      expect([200, 301, 302]).toContain(res.statusCode);
    });
  });
});

describe('rate limit', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi({ RATE_LIMIT_PER_MINUTE: '5' });
  });
  afterAll(() => api.close());

  it('answers the 6th request of a tenant in a minute with 429 and Retry-After, and serves other tenants', async () => {
    const tenant = newTenantId();
    const busy = api.as({ tenant, role: 'viewer' });
    const admin = api.as({ tenant, role: 'admin' });
    // Any route, any role, any user of the tenant counts.
    const first = [
      await busy.get('/lead-sources'),
      await busy.get('/lead-channels'),
      await admin.get('/audit-log'),
      await busy.get('/lead-sources/WEBSITE'),
      await admin.post('/lead-sources/WEBSITE/deactivate'),
    ];
    expect(first.map((r) => r.statusCode)).toEqual([200, 200, 200, 200, 200]);

    const limited = await busy.get('/lead-sources');
    expectProblem(limited, 429, 'RATE_LIMITED');
    const retryAfter = Number(limited.headers['retry-after']);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    // Writes are limited too, and a limited write does not happen.
    expectProblem(await admin.post('/lead-sources/WEBSITE/activate'), 429, 'RATE_LIMITED');

    const other = api.as({ tenant: newTenantId(), role: 'viewer' });
    expect((await other.get('/lead-sources')).statusCode).toBe(200);
    // The service routes are not limited.
    expect((await api.raw().get('/health')).statusCode).toBe(200);
  });

  it('does not count requests that fail authentication against anyone', async () => {
    const tenant = newTenantId();
    for (let i = 0; i < 8; i++) {
      const forged = await mintToken({ tenant, role: 'admin', secret: 'not-the-secret-but-long-enough-for-hs256-0000' });
      expect((await api.raw({ authorization: `Bearer ${forged}` }).get('/lead-sources')).statusCode).toBe(401);
    }
    expect((await api.as({ tenant, role: 'viewer' }).get('/lead-sources')).statusCode).toBe(200);
  });
});

describe('CORS for the ERP frontend', () => {
  const ORIGIN = 'https://erp.example.com';
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi({ CORS_ORIGINS: ORIGIN, CORS_MAX_AGE_SECONDS: '7200' });
  });
  afterAll(() => api.close());

  const inject = (method: 'GET' | 'OPTIONS', url: string, headers: Record<string, string>) =>
    api.app
      .getHttpAdapter()
      .getInstance()
      .inject({ method, url: `/${API_PREFIX}${url}`, headers });

  it('refuses to start with an origin that never matches (no scheme), saying what to write', async () => {
    await expect(startTestApi({ CORS_ORIGINS: `${ORIGIN}, erp.example.com` })).rejects.toThrow(
      new ConfigError(['CORS_ORIGINS: "erp.example.com" is not an origin (scheme://host[:port]): write https://erp.example.com']),
    );
  });

  it('lets the browser keep a preflight answer for CORS_MAX_AGE_SECONDS', async () => {
    const preflight = await inject('OPTIONS', '/leads/12', {
      origin: ORIGIN,
      'access-control-request-method': 'PATCH',
      'access-control-request-headers': 'authorization,if-match',
    });
    expect([preflight.statusCode, preflight.headers['access-control-allow-origin'], preflight.headers['access-control-max-age']]).toEqual([
      204,
      ORIGIN,
      '7200',
    ]);
    // Preflights work on every route, whatever methods the path has (no 405 before CORS).
    const onPostOnly = await inject('OPTIONS', '/leads/bulk', { origin: ORIGIN, 'access-control-request-method': 'POST' });
    expect([onPostOnly.statusCode, onPostOnly.headers['access-control-allow-origin']]).toEqual([204, ORIGIN]);
  });

  it('exposes to the browser every rate-limit header an answer carries, besides ETag, Retry-After and X-Request-Id', async () => {
    const token = await mintToken({ tenant: newTenantId(), role: 'viewer' });
    const res = await inject('GET', '/lead-sources/WEBSITE', { origin: ORIGIN, authorization: `Bearer ${token}` });
    expect(res.statusCode).toBe(200);
    const exposed = String(res.headers['access-control-expose-headers']).toLowerCase().split(/,\s*/);
    const sent = Object.keys(res.headers).filter((name) => /ratelimit/.test(name));
    expect(sent.sort()).toEqual(['x-ratelimit-limit', 'x-ratelimit-remaining', 'x-ratelimit-reset']);
    expect(sent.filter((name) => !exposed.includes(name))).toEqual([]);
    expect(exposed).toEqual(expect.arrayContaining(['etag', 'retry-after', 'x-request-id']));
  });
});

/** MySQL/MariaDB only: SQLite is embedded and cannot become unreachable. */
(isMysql() ? describe : describe.skip)('database outage', () => {
  let api: TestApi;
  let proxy: TcpProxy;
  beforeAll(async () => {
    const url = await testDatabaseUrl();
    const target = new URL(url.replace(/^(mysql|mariadb):/, 'http:'));
    proxy = await new TcpProxy(target.hostname, Number(target.port || 3306)).start();
    api = await startTestApi({ DATABASE_URL: url.replace(`@${target.host}/`, `@127.0.0.1:${proxy.port}/`) });
  });
  afterAll(async () => {
    await api.close();
    await proxy.cut();
  });

  it('answers 503 SERVICE_UNAVAILABLE with Retry-After while the database is gone, and recovers', async () => {
    const known = api.as({ tenant: newTenantId(), role: 'admin' });
    expect((await known.get('/lead-sources')).statusCode).toBe(200);

    await proxy.cut();
    const answers = [
      await api.raw().get('/health/ready'),
      await known.get('/lead-sources'),
      await known.post('/lead-sources', source('DURING_OUTAGE')),
      await api.as({ tenant: newTenantId(), role: 'admin' }).get('/lead-sources'),
    ];
    for (const res of answers) {
      expectProblem(res, 503, 'SERVICE_UNAVAILABLE');
      expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
      expect(res.body).not.toMatch(/ECONN|127\.0\.0\.1|PROTOCOL_/);
    }
    // Liveness does not depend on the database.
    expect((await api.raw().get('/health')).statusCode).toBe(200);

    await proxy.resume();
    expect((await api.raw().get('/health/ready')).statusCode).toBe(200);
    expect((await known.get('/lead-sources')).statusCode).toBe(200);
    expect((await known.get('/lead-sources/DURING_OUTAGE')).statusCode).toBe(404);
  });
});
