import { Readable } from 'node:stream';
import { DataSource } from 'typeorm';
import { BODY_LIMIT, BULK_BODY_LIMIT } from '../../src/app.setup';
import { newTenantId } from '../support/tenants';
import { BODIES, buildWorld, kindOf, newTag, sampleBody, utcDay, World } from './support/catalogue';
import { answer, isProblem } from './support/checks';
import { ApiDoc, fillPath, readApiDoc, WRITE_METHODS } from './support/openapi';
import { headerProblems, ok, Res, SClient, SecureApi, startSecureApi } from './support/secure-api';

// 5,000-row bodies at the body limit and a rate limit on every route: up to 63 s a test on MariaDB
// on two busy cores.
jest.setTimeout(300_000);

/**
 * Limits and headers (API.md §1), over every operation of the live OpenAPI document: a body over
 * 1 MiB answers 413 on every write route but the two bulk ones, whose limit is 8 MiB (also when it
 * arrives without Content-Length) and stores nothing; 5,000 full leads and 5,000 metric rows fit; a tenant over its rate limit gets 429 problem+json with Retry-After on every route, and
 * its limited writes do nothing; every kind of answer carries the security headers; CORS is closed
 * unless CORS_ORIGINS names the origin, and then only for exactly that origin.
 */

const urlOf = (op: { path: string }, world: World) => {
  const kind = kindOf(op as never);
  return fillPath(op.path, kind ? world[kind] : {});
};

describe('request body limit on every write route', () => {
  let api: SecureApi;
  let doc: ApiDoc;
  let admin: SClient;
  let world: World;
  beforeAll(async () => {
    api = await startSecureApi();
    doc = await readApiDoc(api);
    admin = api.as({ tenant: newTenantId('big'), role: 'admin' });
    world = await buildWorld({ c: admin, tag: newTag('L'), secrets: api.scanner });
  });
  afterAll(async () => {
    api.expectClean();
    await api.close();
  });

  /** The operation's valid body, padded with a long string to `bytes` bytes of JSON in all. */
  const padded = (name: string | undefined, bytes: number) => {
    const base = name ? (BODIES[name]?.({ tag: newTag('L'), secrets: api.scanner }) ?? {}) : {};
    const shell = JSON.stringify({ ...base, padding: '' });
    return JSON.stringify({ ...base, padding: 'x'.repeat(bytes - Buffer.byteLength(shell)) });
  };

  /** The routes whose limit is BULK_BODY_LIMIT (8 MiB): a full batch of 5,000 rows is over 1 MiB. */
  const BULK = ['POST /leads/bulk', 'POST /campaigns/{campaign_code}/metrics/bulk'];
  const limitOf = (key: string) => (BULK.includes(key) ? BULK_BODY_LIMIT : BODY_LIMIT);

  it('answers 413 PAYLOAD_TOO_LARGE one byte over the route limit (1 MiB; 8 MiB on the two bulk routes), and stores nothing', async () => {
    const before = ok(await admin.get('/audit-log', { query: { limit: 1 } })).total;
    const wrong: string[] = [];
    const writes = doc.ops.filter((o) => WRITE_METHODS.includes(o.method));
    expect(
      writes
        .filter((o) => BULK.includes(o.key))
        .map((o) => o.key)
        .sort(),
    ).toEqual([...BULK].sort());
    for (const op of writes) {
      const limit = limitOf(op.key);
      const payload = padded(op.body?.name, limit + 1);
      expect(Buffer.byteLength(payload)).toBe(limit + 1);
      const res = await admin.send(op.method, urlOf(op, world), { payload, headers: { 'content-type': 'application/json' } });
      if (!isProblem(res, 413, 'PAYLOAD_TOO_LARGE')) wrong.push(`${op.key}: ${answer(res)}`);
      if (limit > BODY_LIMIT) {
        // Over 1 MiB but within its own limit: read and validated (the padding is not a field), not 413.
        const within = await admin.send(op.method, urlOf(op, world), {
          payload: padded(op.body?.name, BODY_LIMIT + 1),
          headers: { 'content-type': 'application/json' },
        });
        if (!isProblem(within, 400, 'VALIDATION_FAILED')) wrong.push(`${op.key} at 1 MiB + 1: ${answer(within)}`);
      }
    }
    expect(writes.length).toBeGreaterThan(50);
    expect(wrong).toEqual([]);
    expect(ok(await admin.get('/audit-log', { query: { limit: 1 } })).total).toBe(before);
  });

  it('counts the bytes as they arrive: a streamed body over the route limit without Content-Length answers 413', async () => {
    const wrong: string[] = [];
    for (const op of doc.ops.filter((o) => o.body)) {
      const payload = Readable.from([Buffer.from('{"padding":"'), Buffer.alloc(limitOf(op.key), 'x'), Buffer.from('"}')]);
      const res = await admin.send(op.method, urlOf(op, world), { payload, headers: { 'content-type': 'application/json' } });
      if (!isProblem(res, 413, 'PAYLOAD_TOO_LARGE')) wrong.push(`${op.key}: ${answer(res)}`);
    }
    expect(wrong).toEqual([]);
  });

  it('stores 5,000 leads with every field set in one POST /leads/bulk (about 2 MB)', async () => {
    const tenant = newTenantId('bulk');
    const c = api.as({ tenant, role: 'admin' });
    // A campaign whose code is as long as codes go (50 characters), for every row to name.
    const campaignCode = `C${newTag('B')}`.padEnd(50, 'X');
    ok(
      await c.post('/campaigns', {
        campaign_code: campaignCode,
        campaign_name: 'Spring fair',
        campaign_type_code: 'EMAIL_BLAST',
        start_date: utcDay(-30),
        channels: [{ channel_code: 'EMAIL', allocated_budget: 100 }],
      }),
      201,
    );
    const at = (h: number) => new Date(Date.now() - h * 3_600_000).toISOString();
    const leads = Array.from({ length: 5000 }, (_v, i) => ({
      lead_code: `CRM-2026-${String(i).padStart(6, '0')}-${'spring-fair-booth-visitor'}`,
      source_code: 'SOCIAL',
      sub_source_code: 'FACEBOOK',
      channel_code: 'PAID',
      campaign_code: campaignCode,
      status: 'converted',
      expected_value: 12500.5,
      converted_value: 11990.99,
      acquisition_cost: 245.75,
      created_at: at(120),
      contacted_at: at(96),
      qualified_at: at(72),
      converted_at: at(48),
      lost_at: at(24),
    }));
    const payload = JSON.stringify({ leads });
    expect(Buffer.byteLength(payload)).toBeGreaterThan(1.8 * 1024 * 1024);
    expect(Buffer.byteLength(payload)).toBeLessThan(BULK_BODY_LIMIT);
    const res = await c.post('/leads/bulk', undefined, { payload, headers: { 'content-type': 'application/json' } });
    expect(answer(res)).toBe('201');
    expect(res.json().data).toHaveLength(5000);
    expect(ok(await c.get('/leads', { query: { limit: 1, campaign_code: campaignCode } })).total).toBe(5000);
  });

  it('stores 5,000 metric rows on channels with 50-character codes in one POST /campaigns/{code}/metrics/bulk', async () => {
    const tenant = newTenantId('bulk');
    const c = api.as({ tenant, role: 'admin' });
    const tag = newTag('M');
    const channels = Array.from({ length: 10 }, (_v, i) => `${tag}_CH${i}_`.padEnd(50, 'X'));
    for (const code of channels) ok(await c.post('/campaign-channels', { channel_code: code, channel_name: `Channel ${code.slice(0, 12)}` }), 201);
    const campaignCode = `${tag}_CMP`;
    ok(
      await c.post('/campaigns', {
        campaign_code: campaignCode,
        campaign_name: 'Ten channels',
        campaign_type_code: 'EMAIL_BLAST',
        start_date: utcDay(-600),
        channels: channels.map((channel_code) => ({ channel_code, allocated_budget: 10 })),
      }),
      201,
    );
    // 10 channels × 500 days: every (channel, day) once.
    const metrics = channels.flatMap((channel_code) =>
      Array.from({ length: 500 }, (_v, d) => ({
        channel_code,
        metric_date: utcDay(-d - 1),
        impressions: 1234567,
        clicks: 45678,
        leads_generated: 1234,
        conversions: 321,
        spend: 12345.67,
        revenue: 98765.43,
      })),
    );
    const payload = JSON.stringify({ metrics });
    expect(metrics).toHaveLength(5000);
    expect(Buffer.byteLength(payload)).toBeGreaterThan(BODY_LIMIT);
    const res = await c.post(`/campaigns/${campaignCode}/metrics/bulk`, undefined, { payload, headers: { 'content-type': 'application/json' } });
    expect(answer(res)).toMatch(/^20[01]$/);
    expect(ok(await c.get(`/campaigns/${campaignCode}/metrics`, { query: { limit: 1 } })).total).toBe(5000);
  });

  it('takes exactly 1 MiB to validation (the limit is inclusive), not 413', async () => {
    const res = await admin.post('/lead-sources', undefined, {
      payload: padded('CreateLeadSourceDto', BODY_LIMIT),
      headers: { 'content-type': 'application/json' },
    });
    expect(isProblem(res, 400, 'VALIDATION_FAILED')).toBe(true);
  });
});

describe('rate limit on every route', () => {
  const LIMIT = 3;
  let api: SecureApi;
  let doc: ApiDoc;
  beforeAll(async () => {
    api = await startSecureApi({ RATE_LIMIT_PER_MINUTE: String(LIMIT) });
    doc = await readApiDoc(api);
  });
  afterAll(async () => {
    api.expectClean();
    await api.close();
  });

  it('answers 429 RATE_LIMITED problem+json with Retry-After on every route once the tenant spent its minute; limited writes do nothing', async () => {
    const tenant = newTenantId('busy');
    const busy = api.as({ tenant, role: 'admin' });
    for (let i = 0; i < LIMIT; i++) ok(await busy.get('/lead-sources'));
    const auditRows = async () => (await api.app.get(DataSource).query('SELECT COUNT(*) AS n FROM audit_log WHERE tenant_id = ?', [tenant]))[0].n;
    const before = Number(await auditRows());

    const wrong: string[] = [];
    const fake: World = new Proxy({} as World, { get: () => new Proxy({}, { get: () => 'X1' }) });
    for (const op of doc.ops) {
      const body = sampleBody(op, { tag: newTag('Q'), secrets: api.scanner });
      const res = await busy.send(op.method, urlOf(op, fake), { body });
      const retryAfter = Number(res.headers['retry-after']);
      if (!isProblem(res, 429, 'RATE_LIMITED') || !(retryAfter >= 1 && retryAfter <= 60))
        wrong.push(`${op.key}: ${answer(res)} retry-after ${res.headers['retry-after']}`);
    }
    expect(wrong).toEqual([]);
    expect(Number(await auditRows())).toBe(before);
    // Another tenant is not limited by this one; the service routes are not limited.
    expect((await api.as({ tenant: newTenantId('calm'), role: 'viewer' }).get('/lead-sources')).statusCode).toBe(200);
    expect((await api.raw().get('/health')).statusCode).toBe(200);
  });
});

describe('security headers and CORS', () => {
  let api: SecureApi;
  let open: SecureApi;
  const ALLOWED = ['https://erp.example.com', 'https://admin.erp.example.com'];
  const FOREIGN = [
    'https://evil.example',
    'https://erp.example.com.evil.example',
    'https://evil-erp.example.com',
    'http://erp.example.com',
    'https://erp.example.com:8443',
    'null',
    'HTTPS://ERP.EXAMPLE.COM',
  ];
  beforeAll(async () => {
    api = await startSecureApi();
    open = await startSecureApi({ CORS_ORIGINS: ALLOWED.join(', ') });
  });
  afterAll(async () => {
    api.expectClean();
    open.expectClean();
    await api.close();
    await open.close();
  });

  it('sends the security headers on every kind of answer, errors and service routes included', async () => {
    const tenant = newTenantId('hdr');
    const admin = api.as({ tenant, role: 'admin' });
    const viewer = api.as({ tenant, role: 'viewer' });
    const answers: [string, Res][] = [
      ['200', await admin.get('/lead-sources')],
      ['201', await admin.post('/lead-channels', { channel_code: 'HDR', channel_name: 'Headers' })],
      ['204', await admin.delete('/lead-channels/HDR')],
      ['400', await admin.post('/lead-channels', { channel_code: 'bad code' })],
      ['400 malformed JSON', await admin.post('/lead-channels', undefined, { payload: '{', headers: { 'content-type': 'application/json' } })],
      ['401', await api.raw().get('/lead-sources')],
      ['403', await viewer.post('/lead-channels', { channel_code: 'NOPE', channel_name: 'x' })],
      ['403 tenant mismatch', await admin.get('/lead-sources', { headers: { 'x-tenant-id': 'someone-else' } })],
      ['404 row', await admin.get('/lead-sources/NOPE')],
      ['404 route', await admin.get('/no-such-route')],
      ['404 outside the API', await api.raw().get('/api/v2/x')],
      ['404 undecodable URL', await admin.get('/lead-sources/%E0%A4%A')],
      ['404 over-long parameter', await admin.get(`/lead-sources/${'X'.repeat(2000)}`)],
      ['412', await admin.patch('/lead-sources/WEBSITE', { source_name: 'x' }, { headers: { 'if-match': '"99"' } })],
      ['413', await admin.post('/lead-channels', undefined, { payload: 'x'.repeat(BODY_LIMIT + 1), headers: { 'content-type': 'application/json' } })],
      ['415', await admin.post('/lead-channels', undefined, { payload: 'a=1', headers: { 'content-type': 'text/plain' } })],
      ['health', await api.raw().get('/health')],
      ['readiness', await api.raw().get('/health/ready')],
      ['metrics', await api.raw().get('/metrics')],
      ['OpenAPI document', await api.raw().get('/docs-json')],
      ['HEAD', await api.inject({ method: 'HEAD', url: '/lead-sources', headers: { authorization: `Bearer ${await api.token({ tenant, role: 'viewer' })}` } })],
      [
        'OPTIONS',
        await api.inject({ method: 'OPTIONS', url: '/lead-sources', headers: { origin: 'https://evil.example', 'access-control-request-method': 'DELETE' } }),
      ],
    ];
    const statuses = answers.map(([label, res]) => `${label}: ${res.statusCode}`);
    expect(statuses).toEqual(expect.arrayContaining(['200: 200', '201: 201', '204: 204', '401: 401', '403: 403', '404 route: 404', '413: 413', '415: 415']));
    expect(answers.map(([label, res]) => [label, headerProblems(res.headers)]).filter(([, p]) => p.length > 0)).toEqual([]);
    // The two URLs Fastify's router used to answer itself get the contract's problem document too.
    for (const [label, res] of answers.filter(([l]) => l.startsWith('404'))) expect([label, isProblem(res, 404, 'NOT_FOUND')]).toEqual([label, true]);
  });

  it('keeps CORS closed by default: no Access-Control-Allow-Origin for any origin, on requests or preflights', async () => {
    const token = await api.token({ tenant: newTenantId('cors'), role: 'viewer' });
    for (const origin of [...ALLOWED, ...FOREIGN]) {
      const get = await api.inject({ method: 'GET', url: '/lead-sources', headers: { origin, authorization: `Bearer ${token}` } });
      expect(get.statusCode).toBe(200);
      const preflight = await api.inject({
        method: 'OPTIONS',
        url: '/lead-sources',
        headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type' },
      });
      expect(preflight.statusCode).toBeLessThan(500);
      for (const res of [get, preflight]) {
        expect([
          origin,
          res.headers['access-control-allow-origin'],
          res.headers['access-control-allow-credentials'],
          res.headers['access-control-allow-methods'],
        ]).toEqual([origin, undefined, undefined, undefined]);
      }
    }
  });

  it('opens CORS to exactly the origins in CORS_ORIGINS, errors included, and to no look-alike', async () => {
    const token = await open.token({ tenant: newTenantId('cors'), role: 'viewer' });
    for (const origin of ALLOWED) {
      const get = await open.inject({ method: 'GET', url: '/lead-sources', headers: { origin, authorization: `Bearer ${token}` } });
      expect(get.headers['access-control-allow-origin']).toBe(origin);
      expect(String(get.headers.vary)).toMatch(/origin/i);
      expect(get.headers['access-control-allow-credentials']).toBeUndefined();
      expect(String(get.headers['access-control-expose-headers']).toLowerCase().split(/,\s*/).sort()).toEqual([
        'etag',
        'retry-after',
        'x-ratelimit-limit',
        'x-ratelimit-remaining',
        'x-ratelimit-reset',
        'x-request-id',
      ]);
      // A browser can read the error too.
      const denied = await open.inject({ method: 'GET', url: '/lead-sources', headers: { origin } });
      expect([denied.statusCode, denied.headers['access-control-allow-origin']]).toEqual([401, origin]);
      const preflight = await open.inject({
        method: 'OPTIONS',
        url: '/lead-sources/WEBSITE',
        headers: { origin, 'access-control-request-method': 'PATCH', 'access-control-request-headers': 'authorization,content-type,if-match' },
      });
      expect(preflight.statusCode).toBe(204);
      expect(preflight.headers['access-control-allow-origin']).toBe(origin);
      expect(String(preflight.headers['access-control-allow-methods'])).toMatch(/PATCH/);
      // The browser keeps the answer 10 minutes by default (CORS_MAX_AGE_SECONDS) instead of asking before every call.
      expect(preflight.headers['access-control-max-age']).toBe('600');
    }
    for (const origin of FOREIGN) {
      const get = await open.inject({ method: 'GET', url: '/lead-sources', headers: { origin, authorization: `Bearer ${token}` } });
      const preflight = await open.inject({ method: 'OPTIONS', url: '/lead-sources', headers: { origin, 'access-control-request-method': 'DELETE' } });
      expect([origin, get.headers['access-control-allow-origin'], preflight.headers['access-control-allow-origin']]).toEqual([origin, undefined, undefined]);
    }
  });
});
