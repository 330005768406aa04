import Redis from 'ioredis';
import { REDIS_KEY_PREFIX } from '../../src/tenancy/redis-throttler-storage';
import { startTestApi, TestApi } from '../support/app';
import { metricValue } from '../support/metrics';
import { expectProblem } from '../support/problems';
import { TcpProxy } from '../support/tcp-proxy';
import { newTenantId } from '../support/tenants';

/**
 * REDIS_URL: the per-tenant rate limit counted in Redis, shared by two instances of the service (two
 * apps in this process), and what happens when Redis goes away (fail open to per-instance counters,
 * a warning, a metric) and comes back. Needs a real Redis: TEST_REDIS_URL=redis://127.0.0.1:6379
 * (CI starts one). Without it the file is skipped, saying so; with it, an unreachable Redis fails it.
 * Redis is reached through a loopback proxy, so that "Redis dies" is cutting the proxy, not stopping
 * the server other suites use.
 */
const REDIS_URL = process.env.TEST_REDIS_URL;
const LIMIT = 10;

// Two app boots and a Redis outage with reconnection: up to 20 s a test on two busy cores.
jest.setTimeout(90_000);

if (!REDIS_URL) console.warn('shared rate limit (Redis) skipped: it needs TEST_REDIS_URL=redis://127.0.0.1:<port> (a real redis-server)');

(REDIS_URL ? describe : describe.skip)('rate limit shared in Redis (REDIS_URL)', () => {
  let proxy: TcpProxy;
  let direct: Redis;
  let a: TestApi;
  let b: TestApi;

  const metric = async (api: TestApi, name: string): Promise<number> => metricValue((await api.raw().get('/metrics')).body, name);
  const warnings = (api: TestApi, pattern: RegExp) =>
    api.logs.lines.map((l) => JSON.parse(l) as { level: number; msg: string }).filter((l) => l.level >= 30 && pattern.test(l.msg));

  beforeAll(async () => {
    const target = new URL(REDIS_URL!);
    // Set but unreachable: fail, never skip.
    direct = new Redis(REDIS_URL!, { lazyConnect: true, connectTimeout: 2000, maxRetriesPerRequest: 0, retryStrategy: () => null });
    direct.on('error', () => undefined);
    await direct.connect().catch((e: Error) => {
      throw new Error(`TEST_REDIS_URL=${REDIS_URL} is set but Redis does not answer: ${e.message}`);
    });
    expect(await direct.ping()).toBe('PONG');
    proxy = await new TcpProxy(target.hostname, Number(target.port || 6379)).start();
    const env = { RATE_LIMIT_PER_MINUTE: String(LIMIT), REDIS_URL: `redis://127.0.0.1:${proxy.port}${target.pathname}` };
    a = await startTestApi(env);
    b = await startTestApi(env);
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await proxy?.cut().catch(() => undefined);
    direct?.disconnect();
  });

  it('gives a tenant the limit in total over two instances, not twice', async () => {
    const tenant = newTenantId();
    const other = newTenantId();
    const statuses: number[] = [];
    // In turn on each instance, then a burst on both at once.
    for (let i = 0; i < LIMIT; i++) statuses.push((await (i % 2 === 0 ? a : b).as({ tenant, role: 'viewer' }).get('/lead-sources')).statusCode);
    const burst = await Promise.all(Array.from({ length: 2 * LIMIT }, (_, i) => (i % 2 === 0 ? a : b).as({ tenant, role: 'viewer' }).get('/lead-sources')));
    expect(statuses).toEqual(Array(LIMIT).fill(200));
    expect(burst.map((r) => r.statusCode)).toEqual(Array(2 * LIMIT).fill(429));
    expectProblem(burst[0], 429, 'RATE_LIMITED');
    expectProblem(burst[1], 429, 'RATE_LIMITED');
    expect(Number(burst[1].headers['retry-after'])).toBeGreaterThanOrEqual(1);

    // The count is in Redis, under our prefix; another tenant has its own.
    expect(Number(await direct.get(`${REDIS_KEY_PREFIX}{tenant:${tenant}:default:default}:hits`))).toBe(3 * LIMIT);
    expect((await a.as({ tenant: other, role: 'viewer' }).get('/lead-sources')).statusCode).toBe(200);
    expect(await metric(a, 'rate_limit_shared_storage_in_use')).toBe(1);
    expect(await metric(a, 'rate_limit_storage_fallbacks_total')).toBe(0);
  });

  it('fails open to per-instance counting while Redis is gone, says so once, and shares again when it is back', async () => {
    const before = await metric(a, 'rate_limit_storage_fallbacks_total');
    await proxy.cut();

    // Answered, not 5xx, and not slowed down: each instance now counts on its own.
    const tenant = newTenantId();
    const started = Date.now();
    const onA: number[] = [];
    for (let i = 0; i < LIMIT + 2; i++) onA.push((await a.as({ tenant, role: 'viewer' }).get('/lead-sources')).statusCode);
    const onB = await Promise.all(Array.from({ length: LIMIT }, () => b.as({ tenant, role: 'viewer' }).get('/lead-sources')));
    const elapsed = Date.now() - started;
    expect(onA).toEqual([...Array(LIMIT).fill(200), 429, 429]);
    expect(onB.map((r) => r.statusCode)).toEqual(Array(LIMIT).fill(200));
    // 22 requests, a first boot of the tenant on each instance included; each waits at most 300 ms for Redis.
    expect(elapsed).toBeLessThan(10_000);

    expect(await metric(a, 'rate_limit_shared_storage_in_use')).toBe(0);
    expect(await metric(a, 'rate_limit_storage_fallbacks_total')).toBeGreaterThanOrEqual(before + LIMIT + 2);
    expect(await metric(b, 'rate_limit_storage_fallbacks_total')).toBeGreaterThanOrEqual(LIMIT);
    const outage = /^Rate-limit store unavailable/;
    expect(warnings(a, outage)).toHaveLength(1);
    expect(warnings(a, outage)[0].level).toBe(40);

    // Back: within a few seconds (the client reconnects with a back-off of at most 2 s; a probe a second).
    await proxy.resume();
    const back = newTenantId();
    const deadline = Date.now() + 15_000;
    while ((await metric(a, 'rate_limit_shared_storage_in_use')) === 0 && Date.now() < deadline) {
      expect((await a.as({ tenant: back, role: 'viewer' }).get('/lead-sources')).statusCode).toBe(200);
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(await metric(a, 'rate_limit_shared_storage_in_use')).toBe(1);
    expect(warnings(a, /^Rate-limit store answers again/)).toHaveLength(1);
    expect(warnings(a, outage)).toHaveLength(1);

    // Shared again: a fresh tenant gets the limit in total.
    const later = newTenantId();
    const deadline2 = Date.now() + 15_000;
    while ((await metric(b, 'rate_limit_shared_storage_in_use')) === 0 && Date.now() < deadline2) {
      await b.as({ tenant: back, role: 'viewer' }).get('/lead-sources');
      await new Promise((r) => setTimeout(r, 200));
    }
    const again = await Promise.all(
      Array.from({ length: 2 * LIMIT }, (_, i) => (i % 2 === 0 ? a : b).as({ tenant: later, role: 'viewer' }).get('/lead-sources')),
    );
    expect(again.filter((r) => r.statusCode === 200)).toHaveLength(LIMIT);
    expect(again.filter((r) => r.statusCode === 429)).toHaveLength(LIMIT);
  });
});
