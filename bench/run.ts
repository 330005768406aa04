import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import { SignJWT } from 'jose';
import { loadConfig } from '../src/config/app-config';
import { addDays } from '../src/common/analytics/dates';
import { TimeZone } from '../src/common/analytics/time-zone';
import { BASELINES, Question, QUESTIONS } from './questions';
import { openRawDb, RawDb } from './lib/db';
import { latency, pairedLatency, Target, throughput, waitFor } from './lib/http';
import { ms, summarize, Summary } from './lib/stats';
import { measureZoneChange, readSettingsRow, SAMPLE_EVERY_MS, waitForZoneWork, ZoneChangeFigures } from './lib/zone-change';

/**
 * npm run bench: starts the built service against DATABASE_URL and measures, on loopback, every
 * analytics route for the measured tenant (90 and 365 days), the same questions answered by
 * straightforward SQL over the raw facts, CRUD reads against a bare Fastify floor, writes, and the
 * service's peak RSS; then a change of the measured tenant's time zone (PATCH /settings: the
 * recomputation's total time, its batches, the analytics reads meanwhile) and the change back, so the
 * tenant ends in the zone it was seeded in. Prints a table and writes bench/RESULTS.md. Seed first with
 * npm run bench:seed.
 */
const { values: args } = parseArgs({
  options: {
    tenant: { type: 'string', default: 'bench-0' },
    'compare-tenant': { type: 'string', default: 'bench-1' },
    requests: { type: 'string', default: '50' },
    seconds: { type: 'string', default: '5' },
    concurrency: { type: 'string', default: '8' },
    'baseline-runs': { type: 'string', default: '5' },
    out: { type: 'string', default: 'bench/RESULTS.md' },
    /** Only the analytics questions whose name matches (a regular expression), e.g. --only bottlenecks. */
    only: { type: 'string' },
    /** Only the configuration reads against the bare Fastify floor (no analytics, growth or writes). */
    'only-reads': { type: 'boolean', default: false },
    /** The service listens on this port and the bare floor on the next one (two benches side by side). */
    'port-base': { type: 'string', default: '3900' },
    /** The zone the measured tenant changes to (and then back from); default UTC, or Asia/Kolkata for a tenant in UTC. */
    'zone-change-to': { type: 'string' },
    /** No zone change (it recomputes every rollup of the tenant twice: minutes at 1,000,000 leads). */
    'skip-zone-change': { type: 'boolean', default: false },
  },
});
const N = Number(args.requests);
const SECONDS = Number(args.seconds);
const C = Number(args.concurrency);
const PORT = Number(args['port-base']);
const BARE_PORT = PORT + 1;
const ONLY_READS = args['only-reads']!;
const SECRET = `bench-${randomBytes(24).toString('hex')}`;

const env = {
  ...process.env,
  NODE_ENV: 'production',
  HOST: '127.0.0.1',
  JWT_SECRET: SECRET,
  ENCRYPTION_KEY: process.env.ENCRYPTION_KEY ?? randomBytes(32).toString('base64'),
  LOG_LEVEL: 'warn',
  RATE_LIMIT_PER_MINUTE: '100000000',
};

function start(script: string, port: number): ChildProcess {
  const child = spawn(process.execPath, [script], { env: { ...env, PORT: String(port) }, stdio: ['ignore', 'ignore', 'inherit'] });
  child.on('exit', (code, signal) => {
    if (code !== 0 && signal !== 'SIGTERM') process.stderr.write(`${script} exited with ${code ?? signal}\n`);
  });
  return child;
}

const load = () =>
  loadavg()
    .map((x) => x.toFixed(2))
    .join(', ');

/**
 * CPU time (user + system, ms) the process has used so far. Around a throughput run it gives the
 * service's CPU cost per request, which other work on a shared machine disturbs much less than req/s.
 */
const cpuMs = (pid: number) => {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime, stime in clock ticks (USER_HZ = 100)
};

const peakRssMb = (pid: number) => {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? 0) / 1024;
};

async function token(tenant: string): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ tenant_id: tenant, role: 'admin' })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject('bench')
    .setIssuedAt(now)
    .setExpirationTime(now + 3600)
    .sign(new TextEncoder().encode(SECRET));
}

async function timeBaseline(db: RawDb, q: Question, tenantId: string, zone: TimeZone, days: number, runs: number): Promise<Summary | undefined> {
  const sql = BASELINES[q.name];
  if (!sql) return undefined;
  // The service's range of days=N: the last N days of the tenant's zone, today included.
  const toDay = addDays(zone.today(), 1);
  const fromDay = addDays(toDay, -days);
  const instant = (day: string) => zone.startOf(day).toISOString().slice(0, 19).replace('T', ' ');
  const range = { from: instant(fromDay), to: instant(toDay), fromDay, toDay };
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    try {
      await db.query(sql.sql(db.kind), sql.params(tenantId, range));
    } catch (e) {
      // A failed run (e.g. the server's temporary file for a large sort went missing) is retried once.
      process.stderr.write(`baseline "${q.name}" failed once (${e instanceof Error ? e.message : String(e)}), retrying\n`);
      await db.query(sql.sql(db.kind), sql.params(tenantId, range));
    }
    samples.push(performance.now() - t0);
  }
  return summarize(samples);
}

async function main(): Promise<void> {
  const config = loadConfig(env);
  const db = openRawDb(config.database, 4);
  const service = start(join(__dirname, '..', '..', 'dist', 'main.js'), PORT);
  const bare = start(join(__dirname, 'bare-server.js'), BARE_PORT);
  const lines: string[] = [];
  const log = (s = '') => {
    lines.push(s);
    process.stdout.write(`${s}\n`);
  };
  try {
    // The service migrates first: on a large database a new rollup's back-fill takes a while.
    await waitFor(`http://127.0.0.1:${PORT}/health/ready`, 20 * 60_000);
    await waitFor(`http://127.0.0.1:${BARE_PORT}/lead-sources`, 30_000).catch(() => undefined);
    const tenant = args.tenant!;
    // Zone work the service would do by itself meanwhile (an earlier run's change, rows of replaced days) first.
    const waited = await waitForZoneWork(db, tenant, 15 * 60_000);
    if (waited > 1000) process.stderr.write(`waited ${(waited / 1000).toFixed(0)} s for ${tenant}'s zone work left by an earlier run\n`);
    const auth = { authorization: `Bearer ${await token(tenant)}` };
    const api = (path: string): Target => ({ url: `http://127.0.0.1:${PORT}/api/v1/customization${path}`, headers: auth });
    const docs = (await (await fetch(`http://127.0.0.1:${PORT}/docs-json`)).json()) as { paths: Record<string, unknown> };
    const documented = new Set(Object.keys(docs.paths));
    const only = args.only ? new RegExp(args.only) : undefined;
    const questions = ONLY_READS ? [] : QUESTIONS.filter((q) => documented.has(`/api/v1/customization${q.route}`) && (!only || only.test(q.name)));

    // Data sizes.
    const count = async (table: string, where = 'tenant_id = ? AND deleted_at IS NULL') => {
      try {
        return Number((await db.query<{ n: number }>(`SELECT COUNT(*) AS n FROM ${table} WHERE ${where}`, [tenant]))[0].n);
      } catch {
        return NaN;
      }
    };
    const sizes = {
      leads: await count('leads'),
      milestones: await count('lead_milestones'),
      campaigns: await count('campaigns'),
      allLeads: Number((await db.query<{ n: number }>('SELECT COUNT(*) AS n FROM leads'))[0].n),
    };
    const version = db.kind === 'mysql' ? String((await db.query<{ v: string }>('SELECT VERSION() AS v'))[0].v) : 'SQLite (better-sqlite3)';

    log(`# Benchmark results`);
    log();
    log(`- when: ${new Date().toISOString()}`);
    log(`- machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`);
    log(`- database: ${version} (${config.database.type === 'sqlite' ? config.database.path : 'DATABASE_URL'})`);
    const zone = (await readSettingsRow(db, tenant))?.days_time_zone ?? 'UTC';
    log(
      `- measured tenant \`${tenant}\` (days in ${zone}): ${sizes.leads.toLocaleString('en')} leads, ${sizes.milestones.toLocaleString('en')} milestones, ${sizes.campaigns.toLocaleString('en')} campaigns; ${sizes.allLeads.toLocaleString('en')} leads in all tenants`,
    );
    log(
      `- command: \`npm run bench -- ${process.argv.slice(2).join(' ')}\` (${N} sequential requests per route after 5 warm-ups; throughput: ${C} concurrent loops for ${SECONDS} s)`,
    );
    log(`- load average (1, 5, 15 min) at start: ${load()} (other work on this 2-core machine shares the CPUs with the service, the database and this client)`);
    if (questions.length > 0) {
      log();
      log('## Analytics (service vs the straightforward SQL over raw facts)');
      log();
      log(`| route | range | p50 ms | p95 ms | p99 ms | req/s at c=${C} | raw-fact SQL p50 ms | speed-up |`);
      log('|---|---|---|---|---|---|---|---|');
    }
    const results: { q: Question; days: number; lat: Summary; rps: number; base?: Summary }[] = [];
    for (const q of questions) {
      for (const days of [90, 365]) {
        const target = api(q.path(days));
        const lat = await latency(target, N);
        const load = await throughput(target, C, SECONDS);
        const base = await timeBaseline(db, q, tenant, TimeZone.of(zone), days, Number(args['baseline-runs']));
        results.push({ q, days, lat, rps: load.rps, base });
        log(
          `| ${q.name} | ${days} d | ${ms(lat.p50)} | ${ms(lat.p95)} | ${ms(lat.p99)} | ${load.rps.toFixed(0)} | ${base ? ms(base.p50) : '–'} | ${base ? `${(base.p50 / lat.p50).toFixed(0)}×` : '–'} |`,
        );
      }
    }

    // Growth with data: the same questions for the smaller tenant.
    const growth: { q: Question; ratio: number }[] = [];
    const compare = args['compare-tenant']!;
    const compareLeads = ONLY_READS
      ? 0
      : Number((await db.query<{ n: number }>('SELECT COUNT(*) AS n FROM leads WHERE tenant_id = ? AND deleted_at IS NULL', [compare]))[0].n);
    if (compareLeads > 0) {
      const small = { authorization: `Bearer ${await token(compare)}` };
      log();
      log(
        `## Growth: \`${compare}\` (${compareLeads.toLocaleString('en')} leads) vs \`${tenant}\` (${sizes.leads.toLocaleString('en')} leads), 365 days, p50 ms`,
      );
      log();
      log('Both tenants are asked alternately, request by request, so that both see the same load on the machine.');
      log();
      log('| route | small tenant | measured tenant | ratio |');
      log('|---|---|---|---|');
      for (const q of questions) {
        const [a, b] = await pairedLatency({ ...api(q.path(365)), headers: small }, api(q.path(365)), N);
        growth.push({ q, ratio: b.p50 / a.p50 });
        log(`| ${q.name} | ${ms(a.p50)} | ${ms(b.p50)} | ${(b.p50 / a.p50).toFixed(2)} |`);
      }
    }

    // CRUD reads vs the bare Fastify floor.
    log();
    log('## Configuration reads vs a bare Fastify server (same JWT check, SQL and JSON)');
    log();
    log(`| request | service req/s (c=${C}) | bare req/s | service/bare | service p50 ms (c=1) | bare p50 ms | service CPU ms/req |`);
    log('|---|---|---|---|---|---|---|');
    const reads: { rpsShare: number; p50: number }[] = [];
    for (const [name, path] of [
      ['GET /lead-sources (page of 50)', '/lead-sources'],
      ['GET /lead-sources/WEBSITE', '/lead-sources/WEBSITE'],
    ]) {
      const ours = api(path);
      const floor: Target = { url: `http://127.0.0.1:${BARE_PORT}${path}`, headers: auth };
      // Alone, these reads would meet a cold service (no analytics ran before them to compile its
      // request pipeline): one discarded round of each first.
      if (ONLY_READS) await Promise.all([throughput(ours, C, SECONDS), throughput(floor, C, SECONDS)]);
      const cpu0 = cpuMs(service.pid!);
      const a = await throughput(ours, C, SECONDS);
      const cpuPerRequest = (cpuMs(service.pid!) - cpu0) / a.requests;
      const b = await throughput(floor, C, SECONDS);
      const [la, lb] = [await latency(ours, N * 4), await latency(floor, N * 4)];
      reads.push({ rpsShare: a.rps / b.rps, p50: la.p50 });
      log(
        `| ${name} | ${a.rps.toFixed(0)} | ${b.rps.toFixed(0)} | ${((a.rps / b.rps) * 100).toFixed(0)}% | ${ms(la.p50)} | ${ms(lb.p50)} | ${cpuPerRequest.toFixed(2)} |`,
      );
    }

    // Writes, on a tenant of their own so the measured data stays as seeded.
    const writer = { authorization: `Bearer ${await token(`${tenant}-writes`)}`, 'content-type': 'application/json' };
    let bulk: Summary | undefined;
    let fullBulk: (Summary & { bytes: number }) | undefined;
    if (!ONLY_READS) {
      const bulkBody = JSON.stringify({
        leads: Array.from({ length: 5000 }, (_, i) => ({
          source_code: i % 3 ? 'WEBSITE' : 'EMAIL',
          status: i % 4 ? 'contacted' : 'converted',
          expected_value: 100 + (i % 50),
        })),
      });
      bulk = await latency({ url: `http://127.0.0.1:${PORT}/api/v1/customization/leads/bulk`, method: 'POST', headers: writer, body: bulkBody }, 5, 1);
      fullBulk = await fullRowBulk(writer);
      log();
      log('## Writes');
      log();
      log('| write | n | p50 ms | p95 ms |');
      log('|---|---|---|---|');
      log(`| POST /leads/bulk (5,000 leads: source, status, value) | ${bulk.n} | ${ms(bulk.p50)} | ${ms(bulk.p95)} |`);
      log(
        `| POST /leads/bulk (5,000 leads, every field set; ${(fullBulk.bytes / 1_048_576).toFixed(1)} MiB) | ${fullBulk.n} | ${ms(fullBulk.p50)} | ${ms(fullBulk.p95)} |`,
      );
    }
    let milestoneWrite: Summary | undefined;
    if (!ONLY_READS && documented.has('/api/v1/customization/milestones/{lead_id}')) {
      // Histories of realistic length: five milestones per lead, each insert re-linking its lead's chain.
      const created = new Date(Date.now() - 30 * 86_400_000);
      const leadIds: number[] = [];
      for (let i = 0; i < Math.ceil((N + 5) / 5); i++) {
        const res = await fetch(`http://127.0.0.1:${PORT}/api/v1/customization/leads`, {
          method: 'POST',
          headers: writer,
          body: JSON.stringify({ source_code: 'WEBSITE', created_at: created.toISOString() }),
        });
        leadIds.push(((await res.json()) as { id: number }).id);
      }
      const steps = ['LEAD_GENERATED', 'CONTACTED', 'SITE_VISIT', 'PROPOSAL_SENT', 'CONVERTED'];
      const samples: number[] = [];
      for (let i = 0; i < N + 5; i++) {
        const day = new Date(created.getTime() + (i % 5) * 3 * 86_400_000).toISOString().slice(0, 10);
        const body = JSON.stringify({ milestone_type_code: steps[i % 5], achieved_date: day });
        const t0 = performance.now();
        const res = await fetch(`http://127.0.0.1:${PORT}/api/v1/customization/milestones/${leadIds[Math.floor(i / 5)]}`, {
          method: 'POST',
          headers: writer,
          body,
        });
        await res.arrayBuffer();
        if (res.status !== 201) throw new Error(`POST /milestones answered ${res.status}`);
        if (i >= 5) samples.push(performance.now() - t0); // the first lead's five warm up
      }
      milestoneWrite = summarize(samples);
      log(`| POST /milestones/{lead_id} (chain upkeep) | ${milestoneWrite.n} | ${ms(milestoneWrite.p50)} | ${ms(milestoneWrite.p95)} |`);
    }

    const rss = peakRssMb(service.pid!);
    log();
    log(`Peak RSS of the service: ${rss.toFixed(0)} MB`);

    // A change of the measured tenant's zone and the change back (after every other figure: it loads the machine for minutes).
    const zoneChanges: ZoneChangeFigures[] = [];
    if (!ONLY_READS && !args['skip-zone-change'] && questions.length > 0) {
      const to = args['zone-change-to'] ?? (zone === 'UTC' ? 'Asia/Kolkata' : 'UTC');
      const reads = questions.flatMap((q) => [90, 365].map((days) => api(q.path(days))));
      for (const next of [to, zone]) {
        const z = await measureZoneChange({ db, tenantId: tenant, settings: api('/settings'), to: next, reads });
        zoneChanges.push(z);
        process.stderr.write(
          `zone change ${z.from} → ${z.to}: ${(z.totalMs / 1000).toFixed(1)} s, ${z.batches} batches (p50 ${ms(z.batch.p50)}, p99 ${ms(z.batch.p99)}, max ${ms(z.batch.max)} ms), ` +
            `${z.reads.n} reads meanwhile (p50 ${ms(z.reads.p50)}, p99 ${ms(z.reads.p99)}, max ${ms(z.reads.max)} ms, ${z.reads.failed} failed)\n`,
        );
      }
      log();
      log(
        `## Changing \`${tenant}\`'s time zone (PATCH /settings; ${sizes.leads.toLocaleString('en')} leads, ${sizes.milestones.toLocaleString('en')} milestones)`,
      );
      log();
      log(
        `The service recomputes the tenant's zoned rollups in the background, a batch of leads per transaction, then switches its days at once. ` +
          `Batch times are the intervals between the batches' commits as a sampler reading the settings row every ${SAMPLE_EVERY_MS} ms saw them ` +
          `(± that interval). Meanwhile every analytics route (90 and 365 days) is asked in turn, one request at a time. ` +
          `The change back restores the zone the tenant was seeded in.`,
      );
      log();
      log(
        '| change | total s | batches | batch p50 ms | batch p99 ms | batch max ms | switch ms | reads | read p50 ms | read p99 ms | read max ms | failed reads |',
      );
      log('|---|---|---|---|---|---|---|---|---|---|---|---|');
      for (const z of zoneChanges)
        log(
          `| ${z.from} → ${z.to} | ${(z.totalMs / 1000).toFixed(1)} | ${z.batches.toLocaleString('en')}${z.merged ? ` (${z.merged} shared an interval)` : ''} | ${ms(z.batch.p50)} | ${ms(z.batch.p99)} | ${ms(z.batch.max)} | ${ms(z.switchMs)} | ${z.reads.n.toLocaleString('en')} | ${ms(z.reads.p50)} | ${ms(z.reads.p99)} | ${ms(z.reads.max)} | ${z.reads.failed} |`,
        );
      for (const z of zoneChanges) for (const f of z.reads.failures) log(`- failed read (${z.from} → ${z.to}): ${f}`);
      log();
      log(`Peak RSS of the service after the changes: ${peakRssMb(service.pid!).toFixed(0)} MB`);
    }

    // Issue 6's targets, each with its verdict (timing targets hold for MariaDB at 1,000,000 leads;
    // on SQLite the analytics target is p50 ≤ 50 ms at 100,000 leads).
    const sqlite = config.database.type === 'sqlite';
    const verdict = (ok: boolean, by: string) => (ok ? 'met' : `**missed** (${by})`);
    const over = (x: number, limit: number) => `${((x / limit - 1) * 100).toFixed(0)}% over`;
    log();
    log(`## Targets (${sqlite ? 'SQLite' : 'MySQL/MariaDB'} at ${sizes.leads.toLocaleString('en')} leads)`);
    log();
    log('| target | measured | verdict |');
    log('|---|---|---|');
    const p50Limit = sqlite ? 50 : 20;
    for (const r of results) {
      const name = `${r.q.name}, ${r.days} d`;
      log(`| ${name}: p50 ≤ ${p50Limit} ms | ${ms(r.lat.p50)} | ${verdict(r.lat.p50 <= p50Limit, over(r.lat.p50, p50Limit))} |`);
      if (sqlite) continue;
      log(`| ${name}: p99 ≤ 60 ms | ${ms(r.lat.p99)} | ${verdict(r.lat.p99 <= 60, over(r.lat.p99, 60))} |`);
      if (r.base) {
        const speedup = r.base.p50 / r.lat.p50;
        log(`| ${name}: ≥ 50× the raw-fact SQL | ${speedup.toFixed(0)}× | ${verdict(speedup >= 50, `${(50 / speedup).toFixed(1)}× short`)} |`);
      } else log(`| ${name}: ≥ 50× the raw-fact SQL | no baseline | – |`);
    }
    if (!sqlite) {
      for (const g of growth)
        log(`| ${g.q.name}: 365 d latency ≤ 1.5× the small tenant's | ${g.ratio.toFixed(2)}× | ${verdict(g.ratio <= 1.5, over(g.ratio, 1.5))} |`);
      const [list, one] = reads;
      log(
        `| GET /lead-sources: ≥ 70% of the bare floor's req/s | ${(list.rpsShare * 100).toFixed(0)}% | ${verdict(list.rpsShare >= 0.7, `${((0.7 - list.rpsShare) * 100).toFixed(0)} points short`)} |`,
      );
      log(`| GET /lead-sources/{code}: p50 ≤ 2 ms | ${ms(one.p50)} | ${verdict(one.p50 <= 2, over(one.p50, 2))} |`);
      if (bulk) log(`| POST /leads/bulk (5,000): ≤ 1 s | ${ms(bulk.p50)} ms | ${verdict(bulk.p50 <= 1000, over(bulk.p50, 1000))} |`);
      // The target for a bulk of full rows is "well under 2 s", read here as at most three quarters of it.
      if (fullBulk)
        log(
          `| POST /leads/bulk (5,000, every field): well under 2 s (≤ 1.5 s) | ${ms(fullBulk.p50)} ms | ${verdict(fullBulk.p50 <= 1500, over(fullBulk.p50, 1500))} |`,
        );
      if (milestoneWrite)
        log(`| POST /milestones/{lead_id}: p50 ≤ 5 ms | ${ms(milestoneWrite.p50)} | ${verdict(milestoneWrite.p50 <= 5, over(milestoneWrite.p50, 5))} |`);
      log(`| peak RSS ≤ 300 MB | ${rss.toFixed(0)} MB | ${verdict(rss <= 300, over(rss, 300))} |`);
    }
    for (const z of zoneChanges) {
      const name = `analytics reads during the change ${z.from} → ${z.to}`;
      log(
        `| ${name}: every read answered | ${z.reads.failed} of ${z.reads.n + z.reads.failed} failed | ${verdict(z.reads.failed === 0, `${z.reads.failed} failed`)} |`,
      );
      log(`| ${name}: p50 ≤ ${p50Limit} ms | ${ms(z.reads.p50)} | ${verdict(z.reads.p50 <= p50Limit, over(z.reads.p50, p50Limit))} |`);
      if (!sqlite) log(`| ${name}: p99 ≤ 60 ms | ${ms(z.reads.p99)} | ${verdict(z.reads.p99 <= 60, over(z.reads.p99, 60))} |`);
    }
    log();
    log(`- load average (1, 5, 15 min) at the end: ${load()}`);
    writeFileSync(args.out!, `${lines.join('\n')}\n`);
    process.stderr.write(`\nwrote ${args.out}\n`);
  } finally {
    service.kill('SIGTERM');
    bare.kill('SIGTERM');
    await db.close();
  }
}

main().catch((e) => {
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});

/**
 * POST /leads/bulk with every field of every lead set (codes, subsource, channel, campaign, values, back-filled
 * stage timestamps): the realistic upper end of what a bulk carries. Each request needs lead codes of its
 * own (unique among live leads), so the bodies are built up front: one warm-up, then five measured.
 */
async function fullRowBulk(writer: Record<string, string>): Promise<Summary & { bytes: number }> {
  const base = `http://127.0.0.1:${PORT}/api/v1/customization`;
  const campaign = await fetch(`${base}/campaigns`, {
    method: 'POST',
    headers: writer,
    body: JSON.stringify({
      campaign_code: 'BENCH_FULL_ROWS',
      campaign_name: 'Bulk of full rows',
      campaign_type_code: 'SOCIAL_ADS',
      start_date: '2026-01-01',
      channels: [{ channel_code: 'FACEBOOK', allocated_budget: 1000 }],
    }),
  });
  if (campaign.status !== 201 && campaign.status !== 409) throw new Error(`POST /campaigns answered ${campaign.status}`);
  // Lead codes are unique among live leads: a stamp of this invocation keeps reruns on one database apart.
  const stamp = Date.now().toString(36);
  const day = (i: number, hours: number) => new Date(Date.UTC(2026, 0, 1 + (i % 300), 9 + hours)).toISOString();
  const bodies = Array.from({ length: 6 }, (_, run) =>
    JSON.stringify({
      leads: Array.from({ length: 5000 }, (_, i) => ({
        lead_code: `CRM-${stamp}-${run}-${String(i).padStart(5, '0')}-${'x'.repeat(12)}`,
        source_code: 'SOCIAL',
        sub_source_code: i % 2 ? 'FACEBOOK' : 'LINKEDIN',
        channel_code: 'PAID',
        campaign_code: 'BENCH_FULL_ROWS',
        status: 'converted',
        expected_value: 1250.5 + (i % 100),
        converted_value: 1300.25 + (i % 100),
        acquisition_cost: 42.75,
        created_at: day(i, 0),
        contacted_at: day(i, 1),
        qualified_at: day(i, 2),
        converted_at: day(i, 3),
      })),
    }),
  );
  const samples: number[] = [];
  for (const [run, body] of bodies.entries()) {
    const started = performance.now();
    const res = await fetch(`${base}/leads/bulk`, { method: 'POST', headers: writer, body });
    await res.arrayBuffer();
    if (res.status !== 201) throw new Error(`POST /leads/bulk (full rows) answered ${res.status}`);
    if (run > 0) samples.push(performance.now() - started);
  }
  return { ...summarize(samples), bytes: Buffer.byteLength(bodies[0]) };
}
