import { performance } from 'node:perf_hooks';
import { SECONDS } from './lib/env';
import { Http, isProperUnavailable, NoReply } from './lib/http';
import { percentile, record, round } from './lib/figures';
import { connect, mariadb, mariadbPid } from './lib/mariadb';
import { Slowness } from './lib/slowness';
import { openWorld, sleep, tenantIds, World } from './lib/scenario';
import { checkAnalytics, checkStored } from './lib/verify';
import { Event, examples, prepareTenant, summarize, Workload } from './lib/workload';

/**
 * Database fault: MariaDB (durable: on disk, redo log flushed at every commit) is killed with SIGKILL
 * in the middle of the load and started again on the same data a few seconds later. The service is
 * not touched. While the database is down every request must answer 503 problem+json with
 * Retry-After within a bound (no hang, no crash), /health/ready must say so and /health must not;
 * after the restart the service must recover by itself; and every write acknowledged with 2xx
 * (before the kill too) must be stored.
 */
const CONCURRENCY = 64;
const DOWN_MS = 4_000;
/**
 * Bounds for a quiet machine, stretched by the slowness measured in the run (lib/slowness.ts).
 * An answer while the database is down or restarting comes within these bounds: the pool's connect
 * timeout (5 s; while mariadbd restarts, connections may hang in the handshake) plus a wait for a pool
 * slot; analytics may also wait up to 10 s for their turn (ANALYTICS_MAX_WAIT_MS).
 */
const ANSWER_BOUND_MS = 10_000;
const ANALYTICS_ANSWER_BOUND_MS = 16_000;
/** From the moment the database answers again until the service serves writes again. */
const RECOVERY_BOUND_MS = 10_000;
/** From the moment the database answers again until /health/ready answers 200 again. */
const READY_BOUND_MS = 10_000;

/** Polls a direct connection (no service) until MariaDB answers a query: the end of the real outage. */
async function waitForDatabase(limitMs: number): Promise<number> {
  const until = performance.now() + limitMs;
  while (performance.now() < until) {
    try {
      const c = await connect();
      try {
        await c.query('SELECT 1');
        return performance.now();
      } finally {
        await c.end().catch(() => undefined);
      }
    } catch {
      await sleep(50);
    }
  }
  return 0;
}

const spread = (events: Event[]) => {
  const ms = events.map((e) => e.t1 - e.t0);
  return `${round(percentile(ms, 50), 0)}/${round(percentile(ms, 99), 0)}/${round(Math.max(0, ...ms), 0)}`;
};

interface Probe {
  t: number;
  path: string;
  status: number;
  ms: number;
  proper503: boolean;
}

describe('reliability: database fault', () => {
  let w: World;
  let work: Workload;
  const tenants = tenantIds('fault', 4);
  const probes: Probe[] = [];
  let killedAt = 0;
  let restartedAt = 0;
  let recoveredAt = 0;
  let readyAgainAt = 0;
  let databaseBackAt = 0;
  let machine: Slowness;

  beforeAll(async () => {
    machine = await Slowness.measure();
    w = await openWorld('db-fault');
    for (const t of tenants) await prepareTenant(w.http, t);
  });
  afterAll(async () => {
    await mariadb('restart').catch(() => undefined); // whatever happened, leave the server up for the next scenario
    await w?.close();
  });

  it(`SIGKILL of MariaDB under load: 503 problem+json while it is down, recovery by itself after the restart`, async () => {
    const before = Math.max(5, SECONDS / 4) * 1000;
    const after = Math.max(5, SECONDS / 4) * 1000;
    work = new Workload(w.http, tenants, CONCURRENCY);
    const probeHttp = new Http(w.service.port, 2, 5_000);
    let probing = true;
    const prober = (async () => {
      while (probing) {
        for (const path of ['/health/ready', '/health']) {
          const t = performance.now();
          try {
            const r = await probeHttp.call({ path });
            probes.push({ t, path, status: r.status, ms: r.ms, proper503: isProperUnavailable(r) });
          } catch (e) {
            probes.push({ t, path, status: 0, ms: e instanceof NoReply ? e.ms : NaN, proper503: false });
          }
        }
        await sleep(200);
      }
    })();
    const load = work.run();

    await sleep(before);
    const pid = mariadbPid();
    killedAt = performance.now();
    await mariadb('kill');
    await sleep(DOWN_MS);
    const restartStarted = performance.now();
    const back = waitForDatabase(120_000);
    await mariadb('restart');
    restartedAt = performance.now();
    databaseBackAt = await back;
    // Recovered: the first write acknowledged after the database answers again.
    while (!recoveredAt && performance.now() - restartedAt < 60_000) {
      recoveredAt = work.events.find((e) => e.t0 >= restartedAt && e.outcome === 'ok' && e.op !== 'read' && e.op !== 'analytics')?.t1 ?? 0;
      await sleep(50);
    }
    await sleep(after);
    work.stop();
    await load;
    probing = false;
    await prober;
    probeHttp.close();
    readyAgainAt = probes.find((p) => p.t >= restartedAt && p.path === '/health/ready' && p.status === 200)?.t ?? 0;

    await machine.measureAgain();
    const bound = (ms: number) => machine.bound(ms);
    // Every request that overlapped the outage and the recovery, whatever its outcome.
    const overlapping = work.events.filter((e) => e.t1 >= killedAt && e.t0 <= (recoveredAt || Infinity));
    const down = work.events.filter((e) => e.t0 >= killedAt && e.t1 <= restartedAt);
    const s = summarize(work.events);
    const ackedBeforeKill = work.events.filter((e) => e.t1 < killedAt && e.outcome === 'ok' && e.op !== 'read' && e.op !== 'analytics').length;
    record('db-fault', {
      'killed mariadbd pid': pid,
      'database down ms (SIGKILL → first query answered on a direct connection)': databaseBackAt ? round(databaseBackAt - killedAt, 0) : null,
      'restart (crash recovery) ms': round(restartedAt - restartStarted, 0),
      requests: s.requests,
      'writes acknowledged before the kill': ackedBeforeKill,
      'writes acknowledged in all': s.writesAcked,
      '503 answers': s.unavailable503,
      'other 5xx': s.serverErrors,
      'connection errors': s.noReply,
      'unexpected 4xx': s.unexpected,
      'answers while down or restarting, p50/p99/max ms: reads and writes': spread(down.filter((e) => e.op !== 'analytics')),
      'answers while down or restarting, p50/p99/max ms: analytics': spread(down.filter((e) => e.op === 'analytics')),
      'requests overlapping SIGKILL → recovery': overlapping.length,
      'of which answered 2xx / 503': `${overlapping.filter((e) => e.outcome === 'ok').length} / ${overlapping.filter((e) => e.outcome === 'unavailable').length}`,
      'their p50/p99/max ms: reads and writes': spread(overlapping.filter((e) => e.op !== 'analytics')),
      'their p50/p99/max ms: analytics': spread(overlapping.filter((e) => e.op === 'analytics')),
      '/health/ready 503 probes while down': probes.filter((p) => p.path === '/health/ready' && p.t > killedAt && p.t < restartedAt && p.proper503).length,
      'recovery ms (database back → first acknowledged write)': recoveredAt && databaseBackAt ? round(recoveredAt - databaseBackAt, 0) : null,
      'recovery ms (database back → /health/ready 200)': readyAgainAt && databaseBackAt ? round(readyAgainAt - databaseBackAt, 0) : null,
      'machine slowness (wall/CPU of a fixed task)': machine.describe(),
      'bounds ms this run (answer, analytics answer, recovery, ready)': [ANSWER_BOUND_MS, ANALYTICS_ANSWER_BOUND_MS, RECOVERY_BOUND_MS, READY_BOUND_MS]
        .map(bound)
        .join(', '),
    });

    // The service stayed up and answered every request over HTTP: no crash, no cut connection, no hang.
    expect(w.service.running).toBe(true);
    expect(examples(work.events, ['no_reply', 'server_error', 'unexpected'])).toEqual([]);
    // Writes were acknowledged before the kill (they are checked for below).
    expect(ackedBeforeKill).toBeGreaterThan(0);
    // While the database was down: 503 SERVICE_UNAVAILABLE (problem+json, Retry-After), quickly.
    expect(s.unavailable503).toBeGreaterThan(0);
    expect(down.length).toBeGreaterThan(0);
    // Every request overlapping [kill, recovery] (in flight at the kill, sent while down, during the
    // restart, or before the first acknowledged write after it), whatever its outcome, and every 503,
    // ended within the bound.
    const slow = (e: Event) => e.t1 - e.t0 > bound(e.op === 'analytics' ? ANALYTICS_ANSWER_BOUND_MS : ANSWER_BOUND_MS);
    const show = (e: Event) => `${e.op} ${e.outcome} in ${round(e.t1 - e.t0, 0)} ms`;
    expect(overlapping.filter(slow).map(show)).toEqual([]);
    expect(work.events.filter((e) => e.outcome === 'unavailable' && slow(e)).map(show)).toEqual([]);
    // Probes answered before the restart began: once it has begun, MariaDB may accept connections a
    // moment before the script that restarts it has seen it up (restartedAt).
    const readyDown = probes.filter((p) => p.path === '/health/ready' && p.t > killedAt + 500 && p.t + p.ms < restartStarted);
    expect(readyDown.length).toBeGreaterThan(0);
    expect(readyDown.filter((p) => !p.proper503)).toEqual([]);
    expect(probes.filter((p) => p.path === '/health' && p.status !== 200)).toEqual([]);
    // After the restart, by itself: ready again, writes acknowledged again, each within its bound of
    // the database answering again, and no 503 once recovered.
    expect(databaseBackAt).toBeGreaterThan(0);
    expect(recoveredAt).toBeGreaterThan(0);
    expect(recoveredAt - databaseBackAt).toBeLessThan(bound(RECOVERY_BOUND_MS));
    expect(readyAgainAt).toBeGreaterThan(0);
    expect(readyAgainAt - databaseBackAt).toBeLessThan(bound(READY_BOUND_MS));
    expect(
      work.events.filter((e) => e.t0 > Math.max(recoveredAt, readyAgainAt) + 1000 && e.outcome !== 'ok').map((e) => `${e.op} ${e.outcome} ${e.detail}`),
    ).toEqual([]);
  });

  it('every write acknowledged (before the kill, while down, after the restart) is stored; the rest is consistent', async () => {
    await w.reconnect();
    const check = await checkStored(w.db, tenants, work.leads, work.metrics.values());
    const analytics = await checkAnalytics(w.http, w.db, tenants);
    record('db-fault', {
      'leads checked': check.leadsChecked,
      'leads in doubt (no answer) found stored': check.leadsInDoubtStored,
      'milestones checked': check.milestonesChecked,
      'metric rows checked': check.metricsChecked,
      'stored-row problems': check.problems.length,
      'analytics rows compared': analytics.rowsCompared,
      'analytics figures compared': analytics.figuresCompared,
      'analytics mismatches': analytics.problems.length,
    });
    expect(check.problems).toEqual([]);
    expect(analytics.problems).toEqual([]);
  });
});
