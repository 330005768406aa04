import { __resetOutOfContextForTests } from 'nestjs-pino/PinoLogger';
import { startTestApi, TestApi } from '../support/app';
import { expectProblem } from '../support/problems';
import { newTenantId } from '../support/tenants';
import { mintToken } from '../support/tokens';

// Starts apps in production mode: up to 10 s a test on two busy cores; 30 s (jest.config.js) leaves
// too little headroom.
jest.setTimeout(90_000);

describe('/metrics with METRICS_TOKEN', () => {
  const METRICS_TOKEN = 'scrape-7f3c9a1e5b2d8f40';
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi({ METRICS_TOKEN });
  });
  afterAll(() => api.close());

  it('answers only a scraper that sends the token as a bearer token, with 401 problem+json otherwise', async () => {
    const ok = await api.raw({ authorization: `Bearer ${METRICS_TOKEN}` }).get('/metrics');
    expect(ok.statusCode).toBe(200);
    expect(ok.body).toContain('# TYPE http_requests_total counter');

    const none = await api.raw().get('/metrics');
    expectProblem(none, 401, 'UNAUTHENTICATED');
    expect(none.headers['www-authenticate']).toBe('Bearer');
    expect(none.body).not.toContain('http_requests_total');
    const jwt = await mintToken({ tenant: newTenantId(), role: 'admin' });
    for (const authorization of [`Bearer ${METRICS_TOKEN.slice(0, -1)}x`, `Bearer ${METRICS_TOKEN}x`, `Bearer ${METRICS_TOKEN.slice(0, 4)}`, `Bearer ${jwt}`]) {
      const res = await api.raw({ authorization }).get('/metrics');
      expectProblem(res, 401, 'UNAUTHENTICATED');
      expect(res.headers['www-authenticate']).toMatch(/^Bearer error="invalid_token"/);
    }
    expectProblem(await api.raw({ authorization: `Basic ${Buffer.from(`x:${METRICS_TOKEN}`).toString('base64')}` }).get('/metrics'), 401, 'UNAUTHENTICATED');
    expectProblem(await api.raw({ authorization: METRICS_TOKEN }).get('/metrics'), 401, 'UNAUTHENTICATED');
  });

  it('leaves health and the API as they are', async () => {
    expect((await api.raw().get('/health')).statusCode).toBe(200);
    expect((await api.raw().get('/health/ready')).statusCode).toBe(200);
    expect((await api.raw({ authorization: `Bearer ${METRICS_TOKEN}` }).get('/lead-sources')).statusCode).toBe(401);
    expect((await api.as({ tenant: newTenantId(), role: 'viewer' }).get('/lead-sources')).statusCode).toBe(200);
  });
});

describe('a production start without METRICS_TOKEN', () => {
  it('warns once that /metrics is open', async () => {
    // Lines written outside a request go to the first app's sink of the file (nestjs-pino keeps one
    // such logger per process); this app's must reach its own.
    __resetOutOfContextForTests();
    const api = await startTestApi({ NODE_ENV: 'production' });
    try {
      const warnings = api.logs.lines.map((line) => JSON.parse(line)).filter((l: { level: number }) => l.level === 40);
      expect(warnings).toEqual([
        expect.objectContaining({ context: 'Config', msg: expect.stringMatching(/^METRICS_TOKEN is not set: \/metrics answers anyone/) }),
      ]);
      // Open, as configured.
      expect((await api.raw().get('/metrics')).statusCode).toBe(200);
    } finally {
      await api.close();
    }
  });
});
