import { performance } from 'node:perf_hooks';
import { SECONDS } from './lib/env';
import { Http, isProperUnavailable, NoReply, token } from './lib/http';
import { percentile, record, round } from './lib/figures';
import { query } from './lib/mariadb';
import { openWorld, sleep, tenantIds, World } from './lib/scenario';
import { checkStored } from './lib/verify';
import { dayBefore, examples, Mix, prepareTenant, summarize, today, Workload } from './lib/workload';

/**
 * Pool exhaustion: slow analytics must not starve writes. A "heavy" tenant holds 450,000 campaign
 * metric rows (150 campaigns × 3 channels × 400 days, written directly in SQL: the workload's
 * facts are elsewhere), so that each of its campaign analytics over 400 days keeps database
 * connections busy for a long time. 48 callers ask for them without pause while 8 writers write leads,
 * milestones and metrics of two other tenants. Asserts that the writes' p99 stays under a bound
 * (and near what it is without the analytics), that no write fails, and that every analytics request
 * is answered (200, or 503 problem+json when it cannot be served in time), never a 500 or a hang.
 */
const WRITERS = 8;
const ANALYSTS = 48;
const CAMPAIGNS = 150;
const DAYS = 400;
/** The stated bound on the writes' p99 while the analytics run. */
const WRITE_P99_BOUND_MS = 1500;
const WRITES: Mix = { read: 0, createLead: 45, patchLead: 20, deleteLead: 0, milestone: 25, metric: 10, analytics: 0 };

describe('reliability: pool exhaustion', () => {
  let w: World;
  const tenants = tenantIds('pool', 2);
  const [heavy] = tenantIds('heavy', 1);
  let oneAnalyticsMs = 0;
  let work: Workload;

  beforeAll(async () => {
    w = await openWorld('pool-exhaustion');
    for (const t of tenants) await prepareTenant(w.http, t);
    const t = await token(heavy);
    expect((await w.http.call({ path: '/lead-sources', token: t })).status).toBe(200);
    for (let i = 0; i < CAMPAIGNS; i += 10) {
      await Promise.all(
        Array.from({ length: Math.min(10, CAMPAIGNS - i) }, async (_, k) => {
          const r = await w.http.call({
            method: 'POST',
            path: '/campaigns',
            token: t,
            body: {
              campaign_code: `HEAVY_${i + k}`,
              campaign_name: `Heavy ${i + k}`,
              campaign_type_code: ['EMAIL_BLAST', 'SOCIAL_ADS', 'SEO_CAMPAIGN'][(i + k) % 3],
              start_date: dayBefore(DAYS + 10),
              channels: ['EMAIL', 'FACEBOOK', 'GOOGLE_ADS'].map((channel_code) => ({ channel_code, allocated_budget: 500 })),
            },
          });
          if (r.status !== 201) throw new Error(`heavy campaign: ${r.status} ${r.body}`);
        }),
      );
    }
    await w.db.query(
      `INSERT INTO campaign_channel_metrics
         (tenant_id, campaign_id, channel_id, metric_day, impressions, clicks, leads_generated, conversions, spend, revenue,
          created_at, updated_at, created_by, updated_by, version)
       SELECT cc.tenant_id, cc.campaign_id, cc.channel_id, CURRENT_DATE - INTERVAL s.seq DAY,
              1000 + s.seq, 100, 10, 1, 12.5, 30, NOW(3), NOW(3), 'seed', 'seed', 1
         FROM campaign_channels cc JOIN seq_0_to_${DAYS - 1} s
        WHERE cc.tenant_id = ? AND cc.deleted_at IS NULL`,
      [heavy],
    );
    await w.db.query('ANALYZE TABLE campaign_channel_metrics');
    const started = performance.now();
    const r = await w.http.call({ path: `/campaigns/analytics/channels?start_date=${dayBefore(DAYS - 1)}&end_date=${today()}`, token: t });
    oneAnalyticsMs = performance.now() - started;
    if (r.status !== 200) throw new Error(`heavy analytics: ${r.status} ${r.body}`);
  });
  afterAll(() => w?.close());

  it(`writes keep their p99 under ${WRITE_P99_BOUND_MS} ms while ${ANALYSTS} callers run slow analytics`, async () => {
    const phase = Math.max(5, SECONDS / 4) * 1000;
    const writeHttp = new Http(w.service.port, WRITERS);
    work = new Workload(writeHttp, tenants, WRITERS, WRITES, 'p');
    const writes = (from: number, to: number) => work.events.filter((e) => e.t0 >= from && e.t0 < to).map((e) => e.t1 - e.t0);

    // Alone first: the writes' own latency on this machine.
    const aloneFrom = performance.now();
    let until = aloneFrom + phase;
    const runWrites = work.run(() => performance.now() > until);
    await sleep(phase);
    const aloneTo = performance.now();

    // Then with the analytics flood, for the same time.
    until = aloneTo + phase;
    const analyticsHttp = new Http(w.service.port, ANALYSTS, 60_000);
    const t = await token(heavy);
    const q = `start_date=${dayBefore(DAYS - 1)}&end_date=${today()}`;
    const paths = [`/campaigns/analytics/channels?${q}`, `/campaigns/analytics/types?${q}`, `/campaigns/analytics/trends?${q}&interval=month`];
    const answers: { status: number; ms: number; proper: boolean; code?: string }[] = [];
    await Promise.all(
      Array.from({ length: ANALYSTS }, async (_, i) => {
        for (let n = 0; performance.now() < until; n++) {
          try {
            const r = await analyticsHttp.call({ path: paths[(i + n) % paths.length], token: t });
            answers.push({ status: r.status, ms: r.ms, proper: r.status === 200 || isProperUnavailable(r) });
          } catch (e) {
            answers.push({ status: 0, ms: e instanceof NoReply ? e.ms : NaN, proper: false, code: e instanceof NoReply ? e.code : String(e) });
          }
        }
      }),
    );
    const floodTo = performance.now();
    await runWrites;
    analyticsHttp.close();
    writeHttp.close();

    const alone = writes(aloneFrom, aloneTo);
    const flooded = writes(aloneTo, floodTo);
    const s = summarize(work.events);
    const ok = answers.filter((a) => a.status === 200);
    record('pool-exhaustion', {
      'heavy tenant metric rows': CAMPAIGNS * 3 * DAYS,
      'one heavy analytics request alone ms': round(oneAnalyticsMs, 0),
      'pool size (DB_POOL_SIZE)': 10,
      'writes alone: n, p50/p99 ms': `${alone.length}, ${round(percentile(alone, 50), 0)}/${round(percentile(alone, 99), 0)}`,
      'writes during analytics: n, p50/p99 ms': `${flooded.length}, ${round(percentile(flooded, 50), 0)}/${round(percentile(flooded, 99), 0)}`,
      'write p99 bound ms': WRITE_P99_BOUND_MS,
      'write failures': s.requests - s.ok,
      'analytics answered 200: n, p50/p99 ms': `${ok.length}, ${round(percentile(ok.map((a) => a.ms), 50), 0)}/${round(percentile(ok.map((a) => a.ms), 99), 0)}`,
      'analytics answered 503': answers.filter((a) => a.status === 503).length,
      'analytics other answers': answers.filter((a) => a.status !== 200 && a.status !== 503).length,
    });

    expect(examples(work.events, ['server_error', 'unavailable', 'unexpected', 'no_reply'])).toEqual([]);
    expect(flooded.length).toBeGreaterThan(WRITERS * 5);
    expect(percentile(flooded, 99)).toBeLessThan(WRITE_P99_BOUND_MS);
    expect(answers.filter((a) => !a.proper)).toEqual([]);
    expect(ok.length).toBeGreaterThan(0);
  });

  it('the writes made during the analytics are all stored', async () => {
    const check = await checkStored(w.db, tenants, work.leads, work.metrics.values());
    const [{ n }] = await query<{ n: number }>(w.db, 'SELECT COUNT(*) AS n FROM campaign_channel_metrics WHERE tenant_id = ?', [heavy]);
    record('pool-exhaustion', { 'leads checked': check.leadsChecked, 'milestones checked': check.milestonesChecked, 'stored-row problems': check.problems.length });
    expect(check.problems).toEqual([]);
    expect(Number(n)).toBe(CAMPAIGNS * 3 * DAYS);
  });
});
