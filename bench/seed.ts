import { ChildProcess, fork } from 'node:child_process';
import { cpus } from 'node:os';
import { parseArgs } from 'node:util';
import { addDays, toDay } from '../src/common/analytics/dates';
import { TimeZone } from '../src/common/analytics/time-zone';
import { LeadSourcesService } from '../src/lead-sources/lead-sources.service';
import { LeadSubsourcesService } from '../src/lead-sources/lead-subsources.service';
import { LeadsService } from '../src/lead-sources/leads.service';
import { LeadMilestonesService } from '../src/milestones/lead-milestones.service';
import { AttributionRulesService } from '../src/lead-sources/attribution/attribution-rules.service';
import { LeadTouches } from '../src/lead-sources/attribution/lead-touches.service';
import { CampaignMetricsService } from '../src/campaigns/campaign-metrics.service';
import { CampaignsService } from '../src/campaigns/campaigns.service';
import { WriteCampaignMetricDto } from '../src/campaigns/dto/campaign-metric.dto';
import { INestApplicationContext } from '@nestjs/common';
import { asTenant, openAppContext } from './lib/app-context';
import { Progress } from './lib/progress';
import { Random, zipf } from './lib/random';
import { milestoneHistory, MilestonePlan } from './lib/milestone-history';
import { applyTimeZone } from './lib/time-zone';
import { laterTouches, originTouch, RULES, touchlessPlace } from './lib/touches';

/**
 * npm run bench:seed -- --tenants 10 --leads 1000000 --milestones-per-lead 5 --campaigns 2000 --days 365
 *   [--touches-per-lead 3] [--time-zone Asia/Kolkata] [--other-time-zone UTC]
 *
 * Fills the configured database (DATABASE_URL) with reproducible, realistic data through the
 * application's own services. Tenant `bench-0` is the measured one and gets --leads leads; the other
 * tenants get --other-leads each (default a tenth), so indexes hold several tenants as in production.
 * Leads go in through LeadsService.createBulk and their milestone histories through
 * LeadMilestonesService.importHistories, one transaction per batch of 5,000 leads: the counters,
 * rollups and chain links are what the API would have stored.
 *
 * On MySQL the lead batches run in --workers processes (default: one per CPU core, at most 4; SQLite:
 * 1, it has one writer): the work is mostly Node's (validation, entities, audit entries, SQL text),
 * so batches prepared side by side keep the database busy. Each batch draws from its own random
 * stream (seed, tenant, batch number), so the data does not depend on the number of workers. Batches
 * of one tenant add to the same rollup rows, which every write locks in key order: they queue rather
 * than deadlock, and a batch that still meets a deadlock is retried (it rolled back whole).
 *
 * Touches (docs/attribution.md): every tenant gets a handful of attribution rules (through
 * AttributionRulesService, as POST /attribution-rules does; bench/lib/touches.ts): google cpc/organic →
 * WEBSITE, newsletter… → EMAIL, facebook/instagram → SOCIAL/FACEBOOK with a campaign and campaign channel,
 * linkedin → SOCIAL/LINKEDIN, partner → PARTNER, webinar… → WEBINAR; bing, twitter, tiktok, reddit and
 * bare referrals match none and go to UNMAPPED. Every lead comes with an origin `touch` that fits its
 * source (UTM parameters, gclid/fbclid/msclkid sometimes, referrer and landing page, a little before
 * its created_at); a lead of a source a rule maps names no codes half the time and takes them from the
 * rules. Each lead then gets later touches through LeadTouches.recordMany (one call per batch, in the
 * worker that made the batch): --touches-per-lead touches in all on average (default 3: 1 to 5, the
 * later ones a binomial count), at instants between its creation and 30 days later, never in the future.
 * Touches draw from a stream of their own: the leads and milestones do not depend on --touches-per-lead.
 *
 * Each tenant's time zone is set before anything else is written (through the settings service, as
 * PATCH /settings does, waiting until its days are in the zone): `bench-0` in --time-zone (default
 * Asia/Kolkata), the others in --other-time-zone (default UTC). Creation instants spread over the
 * whole day, so a tenant's local days differ from the UTC days.
 */
const { values: args } = parseArgs({
  options: {
    tenants: { type: 'string', default: '2' },
    leads: { type: 'string', default: '20000' },
    'other-leads': { type: 'string' },
    'milestones-per-lead': { type: 'string', default: '5' },
    'touches-per-lead': { type: 'string', default: '3' },
    campaigns: { type: 'string', default: '50' },
    days: { type: 'string', default: '365' },
    seed: { type: 'string', default: '42' },
    'tenant-prefix': { type: 'string', default: 'bench' },
    workers: { type: 'string' },
    'time-zone': { type: 'string', default: 'Asia/Kolkata' },
    'other-time-zone': { type: 'string', default: 'UTC' },
  },
});
const opt = {
  tenants: Number(args.tenants),
  leads: Number(args.leads),
  otherLeads: Number(args['other-leads'] ?? Math.ceil(Number(args.leads) / 10)),
  milestonesPerLead: Number(args['milestones-per-lead']),
  touchesPerLead: Math.max(1, Math.round(Number(args['touches-per-lead']))),
  campaigns: Number(args.campaigns),
  days: Number(args.days),
  seed: Number(args.seed),
  prefix: args['tenant-prefix']!,
  workers: args.workers === undefined ? undefined : Math.max(1, Number(args.workers)),
  timeZone: args['time-zone']!,
  otherTimeZone: args['other-time-zone']!,
};

const EXTRA_SOURCES = [
  { code: 'TRADE_SHOW', name: 'Trade show', type: 'event', subs: ['SPRING_EXPO', 'AUTUMN_FAIR'] },
  { code: 'PARTNER', name: 'Partners', type: 'partner', subs: ['RESELLER', 'AGENCY'] },
  { code: 'PHONE', name: 'Phone', type: 'phone', subs: [] },
  { code: 'WEBINAR', name: 'Webinars', type: 'event', subs: ['PRODUCT_DEMO'] },
  { code: 'IMPORT', name: 'Imported lists', type: 'import', subs: [] },
  { code: 'DIRECT', name: 'Walk-in', type: 'direct', subs: [] },
] as const;

interface Place {
  source: string;
  sub?: string;
  cost: number;
}

const BATCH = 5000;

/** One tenant's leads, as the main process hands them to the workers. */
interface LeadJob {
  tenantIndex: number;
  tenantId: string;
  places: Place[];
  campaigns: { code: string; start: string; end: string }[];
  leadCount: number;
  /** The tenant's time zone: milestone dates and campaign days are its local ones. */
  timeZone: string;
  today: string;
  /** Milestones are capped at this instant (the same for every batch). */
  now: number;
  batches: number[];
}

type ToWorker = { kind: 'job'; job: LeadJob } | { kind: 'exit' };
type FromWorker =
  { kind: 'ready' } | { kind: 'batch'; leads: number; milestones: number; touches: number } | { kind: 'done' } | { kind: 'failed'; error: string };

const WORKER = process.env.BENCH_SEED_WORKER === '1';

async function main(): Promise<void> {
  if (WORKER) return workerMain();
  const { app, config } = await openAppContext();
  const started = Date.now();
  const workers = opt.workers ?? (config.database.type === 'sqlite' ? 1 : Math.min(4, cpus().length));
  process.stderr.write(
    `seeding ${config.database.type === 'sqlite' ? `SQLite ${config.database.path}` : 'MySQL'}: ${opt.tenants} tenants, ` +
      `${opt.leads.toLocaleString('en')} leads in ${opt.prefix}-0 (${opt.timeZone}), ${opt.otherLeads.toLocaleString('en')} in each other (${opt.otherTimeZone}), ` +
      `over ${opt.days} days, ` +
      `${workers} worker${workers === 1 ? '' : 's'}\n`,
  );
  const today = toDay(new Date());
  const pool = workers > 1 ? await WorkerPool.start(workers) : undefined;
  let totalLeads = 0;
  let totalMilestones = 0;
  let totalTouches = 0;
  try {
    for (let t = 0; t < opt.tenants; t++) {
      const tenantId = `${opt.prefix}-${t}`;
      const rnd = new Random(opt.seed * 1000 + t);
      const leadCount = t === 0 ? opt.leads : opt.otherLeads;
      const timeZone = t === 0 ? opt.timeZone : opt.otherTimeZone;
      const campaignCount = t === 0 ? opt.campaigns : Math.ceil(opt.campaigns / 10);
      // The zone first: every rollup row the tenant's leads make is then a row of its own days.
      await applyTimeZone(app, tenantId, timeZone);
      const job = await asTenant(app, tenantId, async () => {
        const { places, fresh } = await configure(app, rnd);
        const campaigns = await seedCampaigns(app, rnd, tenantId, campaignCount, today);
        if (fresh) for (const rule of RULES(campaigns[0]?.code)) await app.get(AttributionRulesService).create(rule as never);
        const batches = Array.from({ length: Math.ceil(leadCount / BATCH) }, (_, b) => b);
        return { tenantIndex: t, tenantId, places, campaigns, leadCount, timeZone, today, now: Date.now() - 60_000, batches };
      });
      const progress = new Progress(`${tenantId} leads`, leadCount, 'leads');
      let milestones = 0;
      let touches = 0;
      const tick = (leads: number, count: number, touchCount: number) => {
        milestones += count;
        touches += touchCount;
        progress.tick(leads, `${milestones.toLocaleString('en')} milestones, ${touches.toLocaleString('en')} touches`);
      };
      if (pool) await pool.run(job, tick);
      else
        await asTenant(app, tenantId, async () => {
          for (const b of job.batches) {
            const done = await seedLeadBatch(app, job, b);
            tick(done.leads, done.milestones, done.touches);
          }
        });
      progress.finish();
      totalLeads += leadCount;
      totalMilestones += milestones;
      totalTouches += touches;
    }
  } finally {
    pool?.close();
  }
  process.stderr.write(
    `seeded ${totalLeads.toLocaleString('en')} leads, ${totalMilestones.toLocaleString('en')} milestones and ${totalTouches.toLocaleString('en')} touches in ${((Date.now() - started) / 1000).toFixed(1)} s\n`,
  );
  await app.close();
}

/**
 * One batch of leads (BATCH, fewer in the last) with their origin touches, their milestone histories
 * and their later touches, in three transactions (createBulk, importHistories, recordMany), from the
 * batch's own random streams.
 */
async function seedLeadBatch(app: INestApplicationContext, job: LeadJob, batch: number): Promise<{ leads: number; milestones: number; touches: number }> {
  const rnd = new Random(streamSeed(job.tenantIndex, batch, 1));
  // Milestones draw from their own stream: the leads do not depend on --milestones-per-lead.
  const mrnd = new Random(streamSeed(job.tenantIndex, batch, 2));
  // So do touches: the leads and milestones do not depend on --touches-per-lead.
  const trnd = new Random(streamSeed(job.tenantIndex, batch, 3));
  const weights = zipf(job.places.length, 1.05);
  const n = Math.min(BATCH, job.leadCount - batch * BATCH);
  const zone = TimeZone.of(job.timeZone);
  const leads = Array.from({ length: n }, () => {
    const place = job.places[rnd.weighted(weights)];
    const lead = aLead(rnd, place, job.today);
    // A third of the leads name a campaign that was running when they came in.
    const day = zone.dayOf(Date.parse(String(lead.created_at)));
    if (job.campaigns.length > 0 && rnd.chance(0.33)) {
      const c = job.campaigns[rnd.int(0, job.campaigns.length - 1)];
      if (c.start <= day && day <= c.end) lead.campaign_code = c.code;
    }
    // Half the leads of a source that a rule maps name no codes: the rules place them by their touch.
    if (touchlessPlace(place) && rnd.chance(0.5)) {
      delete lead.source_code;
      delete lead.sub_source_code;
      delete lead.campaign_code;
    }
    lead.touch = originTouch(trnd, place, Date.parse(String(lead.created_at)));
    return lead;
  });
  const { rows: created } = await retryOnDeadlock(() => app.get(LeadsService).createBulk(leads));
  // Each lead's milestone history follows its funnel stage and stage timestamps.
  const plan = new MilestonePlan(opt.milestonesPerLead);
  const histories = created
    .map((lead) => ({ leadId: lead.id, milestones: milestoneHistory(mrnd, lead, plan, job.now, zone) }))
    .filter((h) => h.milestones.length > 0);
  const count = histories.reduce((sum, h) => sum + h.milestones.length, 0);
  if (count > 0) await retryOnDeadlock(() => app.get(LeadMilestonesService).importHistories(histories));
  // Later touches: the lead coming back, up to 30 days after its creation and never after job.now.
  const later = created.flatMap((lead) =>
    laterTouches(trnd, opt.touchesPerLead - 1, lead.createdAt.getTime(), job.now).map((touch) => ({ lead_id: lead.id, touch })),
  );
  if (later.length > 0) await retryOnDeadlock(() => app.get(LeadTouches).recordMany(later));
  return { leads: n, milestones: count, touches: n + later.length };
}

/** A 32-bit seed per (run seed, tenant, batch, stream), well spread for mulberry32. */
function streamSeed(tenant: number, batch: number, stream: number): number {
  let h = Math.imul(opt.seed ^ 0x9e3779b9, 0x85ebca6b);
  for (const v of [tenant, batch, stream]) h = Math.imul(h ^ (v + 0x7f4a7c15), 0xc2b2ae35) ^ (h >>> 13);
  return h >>> 0;
}

/**
 * A write that rolled back on a deadlock, a lock wait timeout or a statement timeout (MariaDB's
 * max_statement_time, errno 1969: a lock wait behind another worker's long batch on a busy machine)
 * is run again (it left nothing behind).
 */
async function retryOnDeadlock<T>(write: () => Promise<T>, attempts = 5): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await write();
    } catch (e) {
      const error = (e as { driverError?: { code?: string; errno?: number } }).driverError ?? (e as { code?: string; errno?: number });
      const retried = error.code === 'ER_LOCK_DEADLOCK' || error.code === 'ER_LOCK_WAIT_TIMEOUT' || error.errno === 1969;
      if (i >= attempts || !retried) throw e;
      await new Promise((r) => setTimeout(r, 50 * i));
    }
  }
}

/** Worker processes (this script with BENCH_SEED_WORKER=1), each with its own application context. */
class WorkerPool {
  private constructor(private readonly children: ChildProcess[]) {}

  static async start(n: number): Promise<WorkerPool> {
    const children = Array.from({ length: n }, () =>
      fork(__filename, process.argv.slice(2), { env: { ...process.env, BENCH_SEED_WORKER: '1' }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }),
    );
    await Promise.all(children.map((c) => WorkerPool.next(c, 'ready')));
    return new WorkerPool(children);
  }

  /** The job's batches dealt round-robin to the workers; resolves when all are stored. */
  async run(job: LeadJob, tick: (leads: number, milestones: number, touches: number) => void): Promise<void> {
    await Promise.all(
      this.children.map((child, w) => {
        const share = { ...job, batches: job.batches.filter((b) => b % this.children.length === w) };
        const onBatch = (m: FromWorker) => {
          if (m.kind === 'batch') tick(m.leads, m.milestones, m.touches);
        };
        child.on('message', onBatch);
        child.send({ kind: 'job', job: share } satisfies ToWorker);
        return WorkerPool.next(child, 'done').finally(() => child.off('message', onBatch));
      }),
    );
  }

  close(): void {
    for (const c of this.children) if (c.connected) c.send({ kind: 'exit' } satisfies ToWorker);
  }

  private static next(child: ChildProcess, kind: 'ready' | 'done'): Promise<void> {
    return new Promise((resolve, reject) => {
      const onMessage = (m: FromWorker) => {
        if (m.kind === kind) settle(resolve);
        else if (m.kind === 'failed') settle(() => reject(new Error(`seed worker ${child.pid}: ${m.error}`)));
      };
      const onExit = (code: number | null) => settle(() => reject(new Error(`seed worker ${child.pid} exited with ${code}`)));
      const settle = (f: () => void) => {
        child.off('message', onMessage);
        child.off('exit', onExit);
        f();
      };
      child.on('message', onMessage);
      child.on('exit', onExit);
    });
  }
}

async function workerMain(): Promise<void> {
  const { app } = await openAppContext();
  const send = (m: FromWorker) => process.send!(m);
  process.on('message', (m: ToWorker) => {
    if (m.kind === 'exit') {
      void app.close().then(() => process.exit(0));
      return;
    }
    const { job } = m;
    asTenant(app, job.tenantId, async () => {
      for (const b of job.batches) send({ kind: 'batch', ...(await seedLeadBatch(app, job, b)) });
    }).then(
      () => send({ kind: 'done' }),
      (e) => {
        const details = (e as { errors?: unknown[] }).errors;
        send({
          kind: 'failed',
          error: `${e instanceof Error ? (e.stack ?? e.message) : String(e)}${details ? ` ${JSON.stringify(details.slice(0, 10))}` : ''}`,
        });
      },
    );
  });
  send({ kind: 'ready' });
}

const CHANNELS = ['EMAIL', 'FACEBOOK', 'GOOGLE_ADS'] as const;
const TYPES = ['EMAIL_BLAST', 'SOCIAL_ADS', 'SEO_CAMPAIGN'] as const;

/**
 * Campaigns spread over the window, 1–3 channels each, taken through their workflow (most end
 * COMPLETED, recent ones stay ACTIVE, a few PAUSED or DRAFT), with one metric row per channel and day
 * of their run up to today: impressions, a 1–4 % click rate, 2–8 % of clicks becoming leads, 10–30 %
 * of those converting.
 */
async function seedCampaigns(
  app: INestApplicationContext,
  rnd: Random,
  tenantId: string,
  count: number,
  today: string,
): Promise<{ code: string; start: string; end: string }[]> {
  const campaigns = app.get(CampaignsService);
  const metrics = app.get(CampaignMetricsService);
  const out: { code: string; start: string; end: string }[] = [];
  const progress = new Progress(`${tenantId} campaigns`, count, 'campaigns');
  for (let i = 0; i < count; i++) {
    const code = `C${String(i).padStart(5, '0')}`;
    const start = addDays(today, -rnd.int(0, opt.days - 1));
    const length = rnd.int(14, 90);
    const end = addDays(start, length - 1);
    const channels = CHANNELS.filter(() => rnd.chance(0.6));
    if (channels.length === 0) channels.push(rnd.pick(CHANNELS));
    const budget = Math.round(rnd.logNormal(20000, 0.7));
    const existing = await campaigns.findLiveByCode(code);
    if (!existing) {
      await campaigns.create({
        campaign_code: code,
        campaign_name: `Campaign ${i}`,
        campaign_type_code: rnd.pick(TYPES),
        budget,
        start_date: start,
        end_date: end,
        channels: channels.map((c) => ({ channel_code: c, allocated_budget: Math.round(budget / channels.length) })),
      } as never);
      const rows: WriteCampaignMetricDto[] = [];
      for (let d = start; d <= end && d <= today; d = addDays(d, 1)) {
        for (const channel of channels) {
          const impressions = Math.round(rnd.logNormal(8000, 0.6));
          const clicks = Math.round(impressions * (0.01 + rnd.next() * 0.03));
          const leads = Math.round(clicks * (0.02 + rnd.next() * 0.06));
          const conversions = Math.round(leads * (0.1 + rnd.next() * 0.2));
          const spend = Math.round(clicks * rnd.logNormal(0.8, 0.3) * 100) / 100;
          rows.push({
            channel_code: channel,
            metric_date: d,
            impressions,
            clicks,
            leads_generated: leads,
            conversions,
            spend,
            revenue: Math.round(conversions * rnd.logNormal(400, 0.5) * 100) / 100,
          });
        }
      }
      if (rows.length > 0) await metrics.bulk(code, rows);
      if (start <= today) {
        await campaigns.transition(code, 'ACTIVE');
        if (end < today && rnd.chance(0.9)) await campaigns.transition(code, 'COMPLETED');
        else if (rnd.chance(0.1)) await campaigns.transition(code, 'PAUSED');
      }
    }
    out.push({ code, start, end });
    progress.tick(1);
  }
  progress.finish();
  return out;
}

/** The tenant's vocabulary beyond the defaults: more sources and subsources with costs. */
async function configure(app: INestApplicationContext, rnd: Random): Promise<{ places: Place[]; fresh: boolean }> {
  const sources = app.get(LeadSourcesService);
  const subsources = app.get(LeadSubsourcesService);
  const fresh = !(await sources.get(EXTRA_SOURCES[0].code).catch(() => null));
  const places: Place[] = [
    { source: 'WEBSITE', cost: 4 },
    { source: 'SOCIAL', sub: 'FACEBOOK', cost: 9 },
    { source: 'EMAIL', cost: 1.5 },
    { source: 'SOCIAL', sub: 'LINKEDIN', cost: 14 },
    { source: 'REFERRAL', cost: 0 },
    { source: 'SOCIAL', cost: 6 },
  ];
  for (const s of EXTRA_SOURCES) {
    const existing = await sources.get(s.code).catch(() => null);
    const source = existing ?? (await sources.create({ source_code: s.code, source_name: s.name, source_type: s.type }));
    places.push({ source: s.code, cost: Math.round(rnd.logNormal(20, 0.6) * 100) / 100 });
    for (const sub of s.subs) {
      const cost = Math.round(rnd.logNormal(25, 0.5) * 100) / 100;
      if (!existing) await subsources.create({ sub_source_code: sub, sub_source_name: sub.replace(/_/g, ' ').toLowerCase(), cost_per_lead: cost }, source.id);
      places.push({ source: s.code, sub, cost });
    }
  }
  await subsources.update('FACEBOOK', { cost_per_lead: 9 }, undefined, (await sources.get('SOCIAL')).id);
  await subsources.update('LINKEDIN', { cost_per_lead: 14 }, undefined, (await sources.get('SOCIAL')).id);
  return { places, fresh };
}

/** A lead with a realistic funnel: most are contacted, fewer qualified, a fraction converted. */
function aLead(rnd: Random, place: Place, today: string): Record<string, unknown> {
  // Creation: uniform over the window, fewer on weekends, at any second of the (UTC) day, so that the
  // days of a tenant in another zone are not the UTC days.
  let day = addDays(today, -rnd.int(0, opt.days - 1));
  const weekday = new Date(`${day}T00:00:00Z`).getUTCDay();
  if ((weekday === 0 || weekday === 6) && rnd.chance(0.5)) day = addDays(day, weekday === 0 ? -2 : -1);
  const now = Date.now() - 60_000;
  const created = Math.min(Date.parse(`${day}T00:00:00Z`) + rnd.int(0, 86_399) * 1000, now);
  const expected = Math.round(rnd.logNormal(1500, 0.9) * 100) / 100;
  const lead: Record<string, unknown> = {
    source_code: place.source,
    ...(place.sub ? { sub_source_code: place.sub } : {}),
    expected_value: expected,
    created_at: new Date(created).toISOString(),
  };
  const at = (hours: number) => new Date(Math.min(created + hours * 3_600_000, now)).toISOString();
  const r = rnd.next();
  const contactH = rnd.logNormal(20, 1);
  const qualifyH = contactH + rnd.logNormal(72, 0.8);
  const closeH = qualifyH + rnd.logNormal(240, 0.7);
  if (r < 0.25) lead.status = 'new';
  else if (r < 0.45) Object.assign(lead, { status: 'contacted', contacted_at: at(contactH) });
  else if (r < 0.6) Object.assign(lead, { status: 'qualified', contacted_at: at(contactH), qualified_at: at(qualifyH) });
  else if (r < 0.68) Object.assign(lead, { status: 'negotiation', contacted_at: at(contactH), qualified_at: at(qualifyH) });
  else if (r < 0.8) {
    Object.assign(lead, {
      status: 'converted',
      contacted_at: at(contactH),
      qualified_at: at(qualifyH),
      converted_at: at(closeH),
      converted_value: Math.round(expected * (0.7 + rnd.next() * 0.6) * 100) / 100,
    });
  } else Object.assign(lead, { status: 'lost', contacted_at: at(contactH), lost_at: at(qualifyH) });
  if (place.cost === 0 && rnd.chance(0.3)) lead.acquisition_cost = Math.round(rnd.logNormal(3, 0.5) * 100) / 100;
  return lead;
}

main().catch((e) => {
  const details = (e as { errors?: unknown[] }).errors;
  process.stderr.write(`\n${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n${details ? JSON.stringify(details.slice(0, 10)) : ''}\n`);
  process.exit(1);
});
