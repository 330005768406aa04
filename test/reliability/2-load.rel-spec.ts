import { SECONDS } from './lib/env';
import { percentile, record, round } from './lib/figures';
import { openWorld, tenantIds, World } from './lib/scenario';
import { checkAnalytics, checkStored } from './lib/verify';
import { examples, OPS, prepareTenant, summarize, Workload } from './lib/workload';

/**
 * Load: the mixed workload (reads, lead and milestone writes, metric upserts, analytics) from 64
 * concurrent callers over 4 tenants for RELIABILITY_SECONDS. Asserts no 5xx and no connection error,
 * then that the database holds exactly the acknowledged writes and that every analytics figure equals
 * a recomputation from the stored facts.
 */
const CONCURRENCY = 64;

describe('reliability: load', () => {
  let w: World;
  let work: Workload;
  const tenants = tenantIds('load', 4);
  beforeAll(async () => {
    w = await openWorld('load');
    for (const t of tenants) await prepareTenant(w.http, t);
  });
  afterAll(() => w?.close());

  it(`a mixed workload at concurrency ${CONCURRENCY} for ${SECONDS} s answers without a 5xx or a connection error`, async () => {
    work = new Workload(w.http, tenants, CONCURRENCY);
    const started = Date.now();
    await work.run(() => Date.now() - started > SECONDS * 1000);
    const elapsed = (Date.now() - started) / 1000;
    const s = summarize(work.events);
    const ms = (op: string, p: number) =>
      round(
        percentile(
          work.events.filter((e) => e.op === op).map((e) => e.t1 - e.t0),
          p,
        ),
        0,
      );
    record('load', {
      seconds: round(elapsed),
      concurrency: CONCURRENCY,
      requests: s.requests,
      'requests/s': round(s.requests / elapsed, 0),
      'writes acknowledged': s.writesAcked,
      '5xx': s.serverErrors + s.unavailable503,
      'connection errors': s.noReply,
      'unexpected 4xx': s.unexpected,
      'p50/p99 ms by operation': OPS.map((op) => `${op} ${ms(op, 50)}/${ms(op, 99)}`).join(', '),
    });
    expect(examples(work.events, ['server_error', 'unavailable', 'no_reply', 'unexpected'])).toEqual([]);
    expect(s.requests).toBeGreaterThan(CONCURRENCY * 10);
  });

  it('the database holds exactly the acknowledged writes: none lost, none duplicated, chains right', async () => {
    const check = await checkStored(w.db, tenants, work.leads, work.metrics.values());
    record('load', {
      'leads checked': check.leadsChecked,
      'milestones checked': check.milestonesChecked,
      'metric rows checked': check.metricsChecked,
      'rows read back': check.rowsRead,
      'stored-row problems': check.problems.length,
    });
    expect(check.problems).toEqual([]);
    expect(check.leadsInDoubtStored).toBe(0);
    expect(check.leadsChecked).toBeGreaterThan(0);
  });

  it('every analytics figure equals a recomputation from the stored facts', async () => {
    const check = await checkAnalytics(w.http, w.db, tenants);
    record('load', {
      'analytics rows compared': check.rowsCompared,
      'analytics figures compared': check.figuresCompared,
      'analytics mismatches': check.problems.length,
    });
    expect(check.problems).toEqual([]);
    expect(check.rowsCompared).toBeGreaterThan(0);
  });
});
