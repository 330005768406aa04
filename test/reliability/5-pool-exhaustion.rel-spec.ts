import { performance } from 'node:perf_hooks';
import { SECONDS } from './lib/env';
import { Http, isProperUnavailable, NoReply, token } from './lib/http';
import { percentile, record, round } from './lib/figures';
import { connect } from './lib/mariadb';
import { openWorld, sleep, tenantIds, World } from './lib/scenario';
import { checkStored } from './lib/verify';
import { examples, Mix, prepareTenant, range, summarize, Workload } from './lib/workload';

/**
 * Pool exhaustion: slow analytics must not starve writes of database connections.
 *
 * Slowness is injected in the database, so that it does not depend on data volume (analytics read
 * rollups and are fast by design): the test's own connection holds `LOCK TABLES milestone_daily_stats
 * WRITE` in cycles (LOCKED_MS locked, a short pause open), so every milestone-completion query, which
 * reads that rollup, sits in MariaDB holding its pool connection for up to LOCKED_MS, as a very slow
 * query would. 48 callers ask for milestone completion without pause, while 8 writers write leads and
 * campaign metrics (which never touch that table) in two tenants.
 *
 * The writers run alone first, then as long again with the slow analytics. Asserts that the writes'
 * p99 stays under a stated bound and their throughput at a third of it alone or more, that no write
 * fails, and that every analytics request is answered
 * 200, or 503 problem+json with Retry-After when it could not get its turn in time: never a 500, never
 * a hang.
 */
const WRITERS = 8;
const ANALYSTS = 48;
const LOCKED_MS = 800;
const OPEN_MS = 200;
/** The stated bound on the writes' p99 while the slow analytics run. */
const WRITE_P99_BOUND_MS = 1_500;
const WRITES: Mix = { read: 0, createLead: 50, patchLead: 30, deleteLead: 0, milestone: 0, metric: 20, analytics: 0 };

describe('reliability: pool exhaustion', () => {
  let w: World;
  const tenants = tenantIds('pool', 2);
  const [analyst] = tenantIds('analyst', 1);
  let work: Workload;
  let lockCycles = 0;

  beforeAll(async () => {
    w = await openWorld('pool-exhaustion');
    for (const t of tenants) await prepareTenant(w.http, t);
    expect((await w.http.call({ path: '/milestone-types', token: await token(analyst) })).status).toBe(200);
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
    until = aloneTo + phase;

    // Then the slow analytics, for the same time.
    const locker = await connect(w.database);
    const slowness = (async () => {
      while (performance.now() < until) {
        await locker.query('LOCK TABLES milestone_daily_stats WRITE');
        lockCycles += 1;
        await sleep(LOCKED_MS);
        await locker.query('UNLOCK TABLES');
        await sleep(OPEN_MS);
      }
    })();
    const analyticsHttp = new Http(w.service.port, ANALYSTS, 60_000);
    const t = await token(analyst);
    const { start_date, end_date } = range();
    const answers: { status: number; ms: number; proper: boolean; code?: string }[] = [];
    await Promise.all(
      Array.from({ length: ANALYSTS }, async () => {
        while (performance.now() < until) {
          try {
            const r = await analyticsHttp.call({ path: `/milestones/analytics/completion?start_date=${start_date}&end_date=${end_date}`, token: t });
            answers.push({ status: r.status, ms: r.ms, proper: r.status === 200 || isProperUnavailable(r) });
          } catch (e) {
            answers.push({ status: 0, ms: e instanceof NoReply ? e.ms : NaN, proper: false, code: e instanceof NoReply ? e.code : String(e) });
          }
        }
      }),
    );
    const floodTo = performance.now();
    await slowness;
    await locker.end();
    await runWrites;
    analyticsHttp.close();
    writeHttp.close();

    const alone = writes(aloneFrom, aloneTo);
    const flooded = writes(aloneTo, floodTo);
    const s = summarize(work.events);
    const ok = answers.filter((a) => a.status === 200);
    record('pool-exhaustion', {
      'pool size (DB_POOL_SIZE)': 10,
      'analytics admitted at once (DB_POOL_SIZE / 4)': 2,
      'slowness injected': `${lockCycles} cycles of ${LOCKED_MS} ms with milestone_daily_stats locked`,
      'writes alone: n, p50/p99 ms': `${alone.length}, ${round(percentile(alone, 50), 0)}/${round(percentile(alone, 99), 0)}`,
      'writes with slow analytics: n, p50/p99 ms': `${flooded.length}, ${round(percentile(flooded, 50), 0)}/${round(percentile(flooded, 99), 0)}`,
      'write p99 bound ms': WRITE_P99_BOUND_MS,
      'write failures': s.requests - s.ok,
      'analytics answered 200: n, p50/p99 ms': `${ok.length}, ${round(percentile(ok.map((a) => a.ms), 50), 0)}/${round(percentile(ok.map((a) => a.ms), 99), 0)}`,
      'analytics answered 503 (waited 10 s for a turn)': answers.filter((a) => a.status === 503).length,
      'analytics other answers': answers.filter((a) => a.status !== 200 && a.status !== 503).length,
    });

    expect(examples(work.events, ['server_error', 'unavailable', 'unexpected', 'no_reply'])).toEqual([]);
    // Throughput too: the writers get at least a third as much done as alone.
    expect(flooded.length).toBeGreaterThanOrEqual(alone.length / 3);
    expect(percentile(flooded, 99)).toBeLessThan(WRITE_P99_BOUND_MS);
    expect(answers.filter((a) => !a.proper)).toEqual([]);
    expect(ok.length).toBeGreaterThan(0);
  });

  it('the writes made during the slow analytics are all stored', async () => {
    const check = await checkStored(w.db, tenants, work.leads, work.metrics.values());
    record('pool-exhaustion', { 'leads checked': check.leadsChecked, 'metric rows checked': check.metricsChecked, 'stored-row problems': check.problems.length });
    expect(check.problems).toEqual([]);
  });
});
