import { performance } from 'node:perf_hooks';
import { SECONDS } from './lib/env';
import { Http, isProperUnavailable, NoReply, token } from './lib/http';
import { percentile, record, round } from './lib/figures';
import { connect, query } from './lib/mariadb';
import { openWorld, sleep, tenantIds, World } from './lib/scenario';
import { Slowness } from './lib/slowness';
import { checkStored } from './lib/verify';
import { CAMPAIGN, dayBefore, examples, METRIC_DAYS, Mix, prepareTenant, range, summarize, Workload } from './lib/workload';

/**
 * Pool exhaustion: slow analytics must not starve writes of database connections.
 *
 * Slowness is injected in the database, so that it does not depend on data volume (analytics read
 * rollups and are fast by design): the test's own connection holds `LOCK TABLES milestone_daily_stats
 * WRITE` in cycles (LOCKED_MS locked, a short pause open), so every milestone-completion query, which
 * reads that rollup, sits in MariaDB holding its pool connection for up to LOCKED_MS, as a very slow
 * query would. 48 callers ask without pause for milestone completion and for the analytics that run
 * the most queries at once (campaign trends with both filters: 4 in parallel; channel performance: 3),
 * while 8 writers write leads and campaign metrics (which never touch that table) in two tenants.
 * A monitor samples MariaDB's process list every 50 ms: the service's open connections (the pool's
 * real size) and the completion statements in the server at once (completion requests admitted).
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
/** The stated bound on the writes' p99 while the slow analytics run (quiet machine; see lib/slowness.ts). */
const WRITE_P99_BOUND_MS = 1_500;
const POOL_SIZE = 10;
/**
 * What the admission (src/common/analytics/analytics-admission.ts) lets in at once for this pool: 10
 * connections less a fifth kept for writes is 8, at 4 per analytics request (the most one runs in
 * parallel) → 2.
 */
const ADMITTED = 2;
const CONNECTIONS_PER_ANALYTICS_REQUEST = 4;
/** DB_QUERY_TIMEOUT_MS of this scenario's service: above LOCKED_MS, so only the last test's statement exceeds it. */
const QUERY_TIMEOUT_MS = 2_000;
/** How late past DB_QUERY_TIMEOUT_MS a cut-off statement may be answered (timer, rollback; quiet machine). */
const TIMEOUT_SLACK_MS = 1_500;
const WRITES: Mix = { read: 0, createLead: 50, patchLead: 30, deleteLead: 0, milestone: 0, metric: 20, analytics: 0 };

describe('reliability: pool exhaustion', () => {
  let w: World;
  const tenants = tenantIds('pool', 2);
  const [analyst] = tenantIds('analyst', 1);
  let work: Workload;
  let lockCycles = 0;
  let poolSeen = 0;
  let completionSeen = 0;
  let samples = 0;
  let machine: Slowness;

  beforeAll(async () => {
    machine = await Slowness.measure();
    w = await openWorld('pool-exhaustion', { DB_POOL_SIZE: String(POOL_SIZE), DB_QUERY_TIMEOUT_MS: String(QUERY_TIMEOUT_MS) });
    for (const t of [...tenants, analyst]) await prepareTenant(w.http, t);
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
    // The monitor: what the service really holds in MariaDB (its connections, its slow statements).
    const monitor = await connect(w.database);
    // Not the service's: the locker, the monitor and the scenario's own direct connection.
    const [{ lockerId }] = await query<{ lockerId: number }>(locker, 'SELECT CONNECTION_ID() AS lockerId');
    const [{ ownId }] = await query<{ ownId: number }>(w.db, 'SELECT CONNECTION_ID() AS ownId');
    const sampling = (async () => {
      while (performance.now() < until) {
        const rows = await query<{ info: string | null }>(
          monitor,
          'SELECT INFO AS info FROM information_schema.PROCESSLIST WHERE DB = ? AND ID NOT IN (CONNECTION_ID(), ?, ?)',
          [w.database, lockerId, ownId],
        );
        poolSeen = Math.max(poolSeen, rows.length);
        completionSeen = Math.max(completionSeen, rows.filter((r) => /milestone_daily_stats/.test(r.info ?? '')).length);
        samples += 1;
        await sleep(50);
      }
    })();
    const analyticsHttp = new Http(w.service.port, ANALYSTS, 60_000);
    const t = await token(analyst);
    const { start_date, end_date } = range();
    const q = `start_date=${start_date}&end_date=${end_date}`;
    const paths = [
      `/milestones/analytics/completion?${q}`,
      `/campaigns/analytics/trends?${q}&interval=day&campaign_type_code=EMAIL_BLAST&channel_code=EMAIL`,
      `/campaigns/analytics/channels?${q}`,
    ];
    const answers: { path: string; status: number; ms: number; proper: boolean; code?: string }[] = [];
    await Promise.all(
      Array.from({ length: ANALYSTS }, async (_, i) => {
        // A third of the callers on each endpoint.
        const path = paths[i % paths.length];
        while (performance.now() < until) {
          try {
            const r = await analyticsHttp.call({ path, token: t });
            answers.push({ path, status: r.status, ms: r.ms, proper: r.status === 200 || isProperUnavailable(r) });
          } catch (e) {
            answers.push({ path, status: 0, ms: e instanceof NoReply ? e.ms : NaN, proper: false, code: e instanceof NoReply ? e.code : String(e) });
          }
        }
      }),
    );
    const floodTo = performance.now();
    await slowness;
    await sampling;
    await locker.end();
    await monitor.end();
    await runWrites;
    analyticsHttp.close();
    writeHttp.close();

    await machine.measureAgain();
    const writeBound = machine.bound(WRITE_P99_BOUND_MS);
    const alone = writes(aloneFrom, aloneTo);
    const flooded = writes(aloneTo, floodTo);
    const s = summarize(work.events);
    const ok = answers.filter((a) => a.status === 200);
    const okOn = (path: string) => ok.filter((a) => a.path === path).length;
    record('pool-exhaustion', {
      'DB_POOL_SIZE / DB_QUERY_TIMEOUT_MS': `${POOL_SIZE} / ${QUERY_TIMEOUT_MS}`,
      'most service connections open in MariaDB at once (measured)': poolSeen,
      'analytics requests admitted at once (pool less a fifth, at 4 connections each)': ADMITTED,
      'most completion statements in MariaDB at once (measured)': completionSeen,
      'process-list samples': samples,
      'slowness injected': `${lockCycles} cycles of ${LOCKED_MS} ms with milestone_daily_stats locked`,
      'writes alone: n, p50/p99 ms': `${alone.length}, ${round(percentile(alone, 50), 0)}/${round(percentile(alone, 99), 0)}`,
      'writes with slow analytics: n, p50/p99 ms': `${flooded.length}, ${round(percentile(flooded, 50), 0)}/${round(percentile(flooded, 99), 0)}`,
      'machine slowness (wall/CPU of a fixed task)': machine.describe(),
      'write p99 bound ms (quiet machine, this run)': `${WRITE_P99_BOUND_MS}, ${writeBound}`,
      'write failures': s.requests - s.ok,
      'analytics answered 200: n, p50/p99 ms': `${ok.length}, ${round(
        percentile(
          ok.map((a) => a.ms),
          50,
        ),
        0,
      )}/${round(
        percentile(
          ok.map((a) => a.ms),
          99,
        ),
        0,
      )}`,
      'analytics 200 by endpoint (completion, trends both filters, channels)': paths.map(okOn).join(', '),
      'analytics answered 503 (waited 10 s for a turn)': answers.filter((a) => a.status === 503).length,
      'analytics other answers': answers.filter((a) => a.status !== 200 && a.status !== 503).length,
    });

    expect(examples(work.events, ['server_error', 'unavailable', 'unexpected', 'no_reply'])).toEqual([]);
    // Throughput too: the writers get at least a third as much done as alone.
    expect(flooded.length).toBeGreaterThanOrEqual(alone.length / 3);
    expect(percentile(flooded, 99)).toBeLessThan(writeBound);
    expect(answers.filter((a) => !a.proper)).toEqual([]);
    for (const path of paths) expect(okOn(path)).toBeGreaterThan(0);
    // The pool is bounded, and at most ADMITTED analytics requests ran at once (seen as completion
    // statements: a third of the callers ask for completion, so both slots hold one at times), holding
    // at most CONNECTIONS_PER_ANALYTICS_REQUEST connections each: a fifth of the pool stayed for writes.
    expect(samples).toBeGreaterThan(10);
    expect(poolSeen).toBeGreaterThan(0);
    expect(poolSeen).toBeLessThanOrEqual(POOL_SIZE);
    expect(completionSeen).toBeGreaterThan(0);
    expect(completionSeen).toBeLessThanOrEqual(ADMITTED);
    expect(POOL_SIZE - ADMITTED * CONNECTIONS_PER_ANALYTICS_REQUEST).toBeGreaterThanOrEqual(POOL_SIZE / 5);
  });

  it(`a read and a write held past DB_QUERY_TIMEOUT_MS (${QUERY_TIMEOUT_MS} ms) end as 503 problem+json within the bound`, async () => {
    const t = await token(tenants[0]);
    const { start_date, end_date } = range();
    const locker = await connect(w.database);
    const held = 3 * QUERY_TIMEOUT_MS;
    // Inside the campaign (it started METRIC_DAYS + 30 days ago), before any day the writers use.
    const lonelyDay = dayBefore(METRIC_DAYS + 5);
    let read: { status: number; ms: number; proper: boolean };
    let write: { status: number; ms: number; proper: boolean };
    try {
      await locker.query('LOCK TABLES milestone_daily_stats WRITE, campaign_channel_metrics WRITE');
      const unlock = sleep(held).then(() => locker.query('UNLOCK TABLES'));
      const ask = async (c: Parameters<Http['call']>[0]) => {
        const r = await w.http.call({ ...c, token: t, timeoutMs: held + 10_000 });
        return { status: r.status, ms: r.ms, proper: isProperUnavailable(r) };
      };
      [read, write] = await Promise.all([
        ask({ path: `/milestones/analytics/completion?start_date=${start_date}&end_date=${end_date}` }),
        ask({
          method: 'PUT',
          path: `/campaigns/${CAMPAIGN}/metrics`,
          body: { channel_code: 'EMAIL', metric_date: lonelyDay, impressions: 1, clicks: 0, leads_generated: 0, conversions: 0, spend: 0, revenue: 0 },
        }),
      ]);
      await unlock;
    } finally {
      await locker.end();
    }
    record('pool-exhaustion', {
      'statement held past DB_QUERY_TIMEOUT_MS: read status, ms': `${read.status}, ${round(read.ms, 0)}`,
      'statement held past DB_QUERY_TIMEOUT_MS: write status, ms': `${write.status}, ${round(write.ms, 0)}`,
      'lock held ms': held,
    });
    for (const r of [read, write]) {
      expect(r).toMatchObject({ status: 503, proper: true });
      expect(r.ms).toBeGreaterThanOrEqual(QUERY_TIMEOUT_MS - 100);
      expect(r.ms).toBeLessThan(QUERY_TIMEOUT_MS + machine.bound(TIMEOUT_SLACK_MS));
    }
    // The write was not applied: that day has no metric row (the writers only write the last METRIC_DAYS days).
    const rows = await query(w.db, 'SELECT 1 FROM campaign_channel_metrics WHERE metric_day = ?', [lonelyDay]);
    expect(rows).toEqual([]);
  });

  it('the writes made during the slow analytics are all stored', async () => {
    const check = await checkStored(w.db, tenants, work.leads, work.metrics.values());
    record('pool-exhaustion', {
      'leads checked': check.leadsChecked,
      'metric rows checked': check.metricsChecked,
      'stored-row problems': check.problems.length,
    });
    expect(check.problems).toEqual([]);
  });
});
