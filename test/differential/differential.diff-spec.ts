import { randomInt } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { Role } from '../../src/tenancy/tenant-context';
import { Comparable, comparable, describeDiff, sameAnswer, signatureOf } from './support/compare';
import { ApiDocument, readDocument } from './support/doc';
import { Answer, EngineName, Engines, Request, startEngines, urlOf } from './support/engines';
import { TenantModel } from './support/model';
import { auditReads, NOT_READ, Read, readPlan } from './support/reads';
import { refreshFromRead } from './support/refresh';
import { Rng } from './support/rng';
import { DAY_MS } from './support/values';
import { nextOp, Op, opOf, ROUTES } from './support/writes';

/**
 * Keep it true (issue 15): the same fixed-seed random sequence of write operations, over every write
 * route, sent to the service on SQLite and on MariaDB; every answer compared (status, body, ETag,
 * content type), and after each phase every read route of the OpenAPI document compared too, for two
 * tenants. Both instances start empty and get the same requests in the same order, at the same
 * instant of one shared clock (Jest's fake Date, moved forward between operations) and with the same
 * X-Request-Id, so ids, versions, request ids and even server-set timestamps must agree: nothing is
 * normalized but the readiness probe's ping time (support/compare.ts; DIFF_REAL_CLOCK=1 runs on the
 * real clock and normalizes the server-set timestamps).
 *
 * Needs a MariaDB or MySQL server: TEST_DATABASE_URL (its database `diff_test` is dropped and
 * created). Without it the test is skipped. `npm run test:differential`; README "Tests and CI".
 *   DIFF_SEED=<n>      another sequence, or a replay (every run prints its seed; default 15); DIFF_SEED=random draws one
 *   DIFF_OPS=<n>       write operations (default 2000), DIFF_PHASES=<n> read sweeps (default 10)
 *   DIFF_KEEP_GOING=1  do not stop at the first difference: list every kind of difference at the end
 *   DIFF_VERBOSE=1     also list, per write route, how many operations were sent and got a 2xx, the commonest refusals, and the reads' statuses by route
 */

const MARIADB_URL = process.env.TEST_DATABASE_URL;
/** A fixed seed by default (CI runs the same sequence every time); DIFF_SEED=random draws one. */
const DEFAULT_SEED = 15;
const SEED = process.env.DIFF_SEED === 'random' ? randomInt(0, 2 ** 31 - 1) : Number(process.env.DIFF_SEED ?? DEFAULT_SEED);
const OPS = Number(process.env.DIFF_OPS ?? 2000);
const PHASES = Math.max(1, Math.min(OPS, Number(process.env.DIFF_PHASES ?? 10)));
const KEEP_GOING = process.env.DIFF_KEEP_GOING === '1';
const REAL_CLOCK = process.env.DIFF_REAL_CLOCK === '1';
const VERBOSE = process.env.DIFF_VERBOSE === '1';
const READ_CONCURRENCY = Number(process.env.DIFF_READ_CONCURRENCY ?? 4);
const TENANTS = ['diff-a', 'diff-b'];
const SUBS: Record<Role, string> = { admin: 'ada', manager: 'max', agent: 'aga', viewer: 'vic' };

const replay = () =>
  `TEST_DATABASE_URL=<a MariaDB URL> DIFF_SEED=${SEED}${process.env.DIFF_OPS ? ` DIFF_OPS=${OPS}` : ''}${process.env.DIFF_PHASES ? ` DIFF_PHASES=${PHASES}` : ''} npm run test:differential`;

interface Difference {
  where: string;
  route: string;
  req: Request;
  invalid?: string;
  answers: Record<EngineName, Comparable>;
  lines: string[];
}

const show = (v: unknown, max = 1500) => {
  const s = typeof v === 'string' ? v : JSON.stringify(v);
  return s === undefined ? '(none)' : s.length > max ? `${s.slice(0, max)}… (${s.length} characters)` : s;
};

function report(d: Difference): string {
  const who = d.req.who ? ` as ${d.req.who.role} of ${d.req.who.tenant}` : '';
  return [
    `${d.where}: ${d.route}${who}${d.invalid ? ` (${d.invalid})` : ''}`,
    `  request: ${d.req.method} ${urlOf(d.req)}${d.req.headers && Object.keys(d.req.headers).length > 0 ? ` ${JSON.stringify(d.req.headers)}` : ''}`,
    ...(d.req.body !== undefined ? [`  body: ${show(d.req.body, 800)}`] : []),
    `  sqlite:  ${d.answers.sqlite.status} ${show(d.answers.sqlite.body)}`,
    `  mariadb: ${d.answers.mariadb.status} ${show(d.answers.mariadb.body)}`,
    '  where they differ:',
    ...d.lines.map((l) => `    ${l}`),
  ].join('\n');
}

const describeIf = MARIADB_URL ? describe : describe.skip;
if (!MARIADB_URL) {
  console.warn(
    'differential test skipped: it compares SQLite with MariaDB/MySQL and needs TEST_DATABASE_URL=mariadb://… (scripts/mariadb.sh start prints one)',
  );
}

describeIf('differential: the service answers alike on SQLite and MariaDB', () => {
  let engines: Engines;
  const started = performance.now();

  let startup = '';
  beforeAll(async () => {
    engines = await startEngines(MARIADB_URL!, 'diff_test');
    startup = ((performance.now() - started) / 1000).toFixed(1);
  }, 180_000);
  afterAll(async () => {
    await engines?.close();
  }, 60_000);

  it(
    `${OPS} seeded write operations in ${PHASES} phases, every answer and every read route compared`,
    async () => {
      const rng = new Rng(SEED);
      // The shared clock: a start that depends on the seed (so runs cross month and year ends, leap days),
      // moved forward between operations, never during one.
      let now = Date.UTC(2024, 0, 1) + rng.int(0, 800) * DAY_MS + rng.int(0, DAY_MS - 1);
      const setClock = () => {
        if (!REAL_CLOCK) jest.setSystemTime(now);
      };
      setClock();
      console.log(
        `differential run: seed ${SEED}, ${OPS} operations, ${PHASES} phases, clock from ${new Date(now).toISOString()}; MariaDB ${engines.mariadbDatabase}\n  replay: ${replay()}`,
      );

      const models = Object.fromEntries(TENANTS.map((t) => [t, new TenantModel(t)])) as Record<string, TenantModel>;
      const differences: Difference[] = [];
      const stats = {
        writes: 0,
        comparisons: 0,
        statuses: new Map<string, number>(),
        routes: new Map<string, number>(),
        okWrites: new Map<string, number>(),
        serverErrors: new Map<string, number>(),
        sent: new Set<string>(),
        refusals: new Map<string, number>(),
        /** `GET /route 200`: how the reads of each route were answered (listed with DIFF_VERBOSE). */
        reads: new Map<string, number>(),
      };
      let requestNo = 0;

      /** Sends one request to both, compares, and answers the SQLite answer (the model follows it). */
      const exchange = async (where: string, route: string, req: Request, invalid?: string): Promise<Answer> => {
        requestNo += 1;
        const answers = await engines.send(req, `diff-${SEED}-${requestNo}`);
        stats.comparisons += 1;
        stats.routes.set(route, (stats.routes.get(route) ?? 0) + 1);
        const status = `${req.method} ${answers.sqlite.status}`;
        stats.statuses.set(status, (stats.statuses.get(status) ?? 0) + 1);
        if (req.method === 'GET') {
          const key = `${route}${(req.query as Record<string, unknown> | undefined)?.model !== undefined ? ' ?model=' : ''} ${answers.sqlite.status}`;
          stats.reads.set(key, (stats.reads.get(key) ?? 0) + 1);
        }
        if (VERBOSE && answers.sqlite.status >= 400 && req.method !== 'GET') {
          const problem = answers.sqlite.body as { detail?: string; errors?: { field: string; message: string }[] } | undefined;
          const first = problem?.errors?.[0];
          const detail = String((first ? `${first.field.replace(/\[\d+\]/g, '[…]')}: ${first.message}` : problem?.detail) ?? '')
            .replace(/[A-Z][A-Z0-9_]{2,}|\d+(\.\d+)?|"[^"]*"/g, '…')
            .slice(0, 90);
          const key = `${route} ${answers.sqlite.status} ${detail}`;
          stats.refusals.set(key, (stats.refusals.get(key) ?? 0) + 1);
        }
        // A 5xx is suspicious even when both answer it: listed at the end.
        for (const name of ['sqlite', 'mariadb'] as const) {
          if (answers[name].status >= 500) {
            const key = `${route} ${answers[name].status} on ${name}: ${show((answers[name].body as { detail?: string })?.detail ?? answers[name].body, 160)}`;
            stats.serverErrors.set(key, (stats.serverErrors.get(key) ?? 0) + 1);
          }
        }
        const a = comparable(answers.sqlite, REAL_CLOCK, route);
        const b = comparable(answers.mariadb, REAL_CLOCK, route);
        if (!sameAnswer(a, b)) {
          const d: Difference = { where, route, req, invalid, answers: { sqlite: a, mariadb: b }, lines: describeDiff(a, b) };
          differences.push(d);
          if (!KEEP_GOING) {
            throw new Error(`SQLite and MariaDB answered differently (seed ${SEED}; replay: ${replay()})\n${report(d)}`);
          }
        }
        return answers.sqlite;
      };

      // The document itself is a read, and the source of what must be covered.
      const docAnswer = await exchange('the start', 'GET /docs-json', { method: 'GET', path: '/docs-json' });
      const doc: ApiDocument = readDocument(docAnswer);
      const uncovered = doc.writes.filter((w) => !ROUTES[w]);
      const stale = Object.keys(ROUTES).filter((w) => !doc.writes.includes(w));
      expect({ writeRoutesWithoutGenerator: uncovered, generatorsWithoutRoute: stale }).toEqual({
        writeRoutesWithoutGenerator: [],
        generatorsWithoutRoute: [],
      });

      const readRoutes = new Set<string>(['GET /docs-json']);
      const sweep = async (label: string) => {
        for (const tenant of TENANTS) {
          const t = models[tenant];
          const plan: Read[] = readPlan(t, rng, now, SUBS);
          const auditPage: Request = { method: 'GET', path: '/audit-log', query: { limit: 500 }, who: { tenant, role: 'admin', sub: SUBS.admin } };
          const run = async (reads: Read[], sequential = 0) => {
            let next = 0;
            const worker = async (once: boolean) => {
              while (next < reads.length && (KEEP_GOING || differences.length === 0)) {
                const i = next++;
                const { route, req } = reads[i];
                readRoutes.add(route);
                const answer = await exchange(`${label}, read ${i + 1} of ${reads.length} for ${tenant}`, route, req);
                refreshFromRead(t, route, (req.query ?? {}) as Record<string, unknown>, answer);
                if (once) return;
              }
            };
            // The first reads alone: a tenant's first request registers it and seeds its defaults.
            while (next < Math.min(sequential, reads.length) && (KEEP_GOING || differences.length === 0)) await worker(true);
            await Promise.all(Array.from({ length: READ_CONCURRENCY }, () => worker(false)));
          };
          await run(plan, 3);
          // The audit log last, its first page alone: how many pages there are is known from it.
          readRoutes.add('GET /audit-log');
          const total = Number(((await exchange(`${label}, the audit log of ${tenant}`, 'GET /audit-log', auditPage)).body as { total?: number }).total ?? 0);
          await run(auditReads(t, rng, total, SUBS));
          t.touched.leads.clear();
          t.touched.campaigns.clear();
        }
      };

      /** Waits until no change of zone is being applied to the tenant on either engine. */
      const zoneSettled = async (as: NonNullable<Request['who']>) => {
        const until = performance.now() + 60_000;
        for (let i = 0; ; i++) {
          const answers = await engines.send({ method: 'GET', path: '/settings', who: { ...as, role: 'viewer' } }, `diff-${SEED}-settled-${requestNo}-${i}`);
          const pending = Object.values(answers).some((a) => (a.body as { time_zone_change_started_at?: string | null }).time_zone_change_started_at !== null);
          if (!pending) return;
          if (performance.now() > until) throw new Error(`a change of time zone was still being applied after 60 s (${JSON.stringify(answers)})`);
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
      };

      await sweep('the first read sweep (fresh tenants)');
      for (let phase = 1; phase <= PHASES; phase++) {
        const count = Math.floor((OPS * phase) / PHASES) - Math.floor((OPS * (phase - 1)) / PHASES);
        // Each phase starts with one operation of every write route that has not answered 2xx yet (in
        // a seeded order), so that every route is sent and most get through whatever the seed.
        const waiting = doc.writes.filter((w) => !stats.okWrites.has(w));
        const pending = rng.some(waiting, waiting.length, waiting.length);
        for (let i = 0; i < count; i++) {
          const index = stats.writes + 1;
          now += rng.int(1_000, 600_000);
          setClock();
          const tenant = rng.chance(0.75) ? TENANTS[0] : TENANTS[1];
          const t = models[tenant];
          const other = models[TENANTS.find((x) => x !== tenant)!];
          const forced = i < count / 2 ? pending.shift() : undefined;
          const op: Op = forced ? opOf(forced, { rng, now, t, other, doc }) : nextOp({ rng, now, t, other, doc });
          stats.sent.add(op.route);
          stats.writes += 1;
          const answer = await exchange(`operation #${index} (phase ${phase})`, op.route, op.req, op.invalid ?? op.note);
          if (answer.status >= 200 && answer.status < 300) stats.okWrites.set(op.route, (stats.okWrites.get(op.route) ?? 0) + 1);
          op.apply?.(answer);
          // A new time zone is applied in the background on each engine: go on once both use it, so
          // that later answers compare days of one zone (docs/time-zones.md).
          if (op.route === 'PATCH /settings' && answer.status === 200) await zoneSettled(op.req.who!);
        }
        // Some phases end the day: analytics' "today" moves on.
        now += rng.int(0, 2) * DAY_MS + rng.int(0, 6 * 3_600_000);
        setClock();
        await sweep(`the read sweep after phase ${phase}`);
      }

      const seconds = ((performance.now() - started) / 1000).toFixed(1);
      const notRead = doc.gets.filter((g) => !readRoutes.has(g) && !NOT_READ[g]);
      const skipped = doc.gets.filter((g) => !readRoutes.has(g) && NOT_READ[g]).map((g) => `${g} (${NOT_READ[g]})`);
      const neverStored = doc.writes.filter((w) => !stats.okWrites.has(w));
      const statuses = [...stats.statuses.entries()]
        .sort()
        .map(([k, v]) => `${k}: ${v}`)
        .join(', ');
      console.log(
        [
          `differential run: seed ${SEED}: ${stats.writes} write operations and ${stats.comparisons - stats.writes} reads, ${stats.comparisons} answers compared (each from both instances), in ${seconds} s (${startup} s of it starting them)`,
          `  routes: ${doc.writes.length} write routes, ${doc.writes.filter((w) => stats.sent.has(w)).length} sent, ${stats.okWrites.size} with a 2xx; ${doc.gets.length} GET routes, ${doc.gets.filter((g) => readRoutes.has(g)).length} read${skipped.length > 0 ? `, not: ${skipped.join('; ')}` : ''}`,
          `  answers by status: ${statuses}`,
          ...(VERBOSE ? doc.writes.map((w) => `  ${w}: ${stats.routes.get(w) ?? 0} sent, ${stats.okWrites.get(w) ?? 0} 2xx`) : []),
          ...(VERBOSE ? [...stats.reads.entries()].sort().map(([k, n]) => `  read ${n}×: ${k}`) : []),
          ...(VERBOSE
            ? [...stats.refusals.entries()]
                .sort((a, b) => b[1] - a[1])
                .slice(0, 40)
                .map(([k, n]) => `  refused ${n}×: ${k}`)
            : []),
          ...[...stats.serverErrors.entries()].map(([k, n]) => `  5xx (${n}×): ${k}`),
          ...(neverStored.length > 0 ? [`  write routes that never answered 2xx this run: ${neverStored.join(', ')}`] : []),
          ...(differences.length > 0 ? [`  ${differences.length} differences`] : ['  no difference']),
        ].join('\n'),
      );

      if (differences.length > 0) {
        // DIFF_KEEP_GOING: one example per kind of difference (route and first differing field).
        const kinds = new Map<string, { first: Difference; count: number }>();
        for (const d of differences) {
          const key = `${d.route} ${d.answers.sqlite.status}/${d.answers.mariadb.status} ${signatureOf(d.lines)}`;
          const k = kinds.get(key);
          if (k) k.count += 1;
          else kinds.set(key, { first: d, count: 1 });
        }
        const text = [...kinds.values()].map(({ first, count }) => `(${count}×) ${report(first)}`).join('\n\n');
        throw new Error(
          `SQLite and MariaDB answered differently ${differences.length} times, ${kinds.size} kinds (seed ${SEED}; replay: ${replay()} DIFF_KEEP_GOING=1)\n\n${text}`,
        );
      }
      expect(notRead).toEqual([]);
      // Every write route was sent (room for that: half of each phase's operations, 4 per route in all).
      if (OPS >= 4 * doc.writes.length) expect(doc.writes.filter((w) => !stats.sent.has(w))).toEqual([]);
      expect(stats.writes).toBe(OPS);
    },
    Math.max(15 * 60_000, OPS * 1_000),
  ); // bounded, so that a hang cannot eat CI's budget (about 50 ms an operation here)
});
