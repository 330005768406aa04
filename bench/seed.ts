import { parseArgs } from 'node:util';
import { addDays, toDay } from '../src/common/analytics/dates';
import { LeadSourcesService } from '../src/lead-sources/lead-sources.service';
import { LeadSubsourcesService } from '../src/lead-sources/lead-subsources.service';
import { LeadsService } from '../src/lead-sources/leads.service';
import { LeadMilestonesService } from '../src/milestones/lead-milestones.service';
import { CampaignMetricsService } from '../src/campaigns/campaign-metrics.service';
import { CampaignsService } from '../src/campaigns/campaigns.service';
import { WriteCampaignMetricDto } from '../src/campaigns/dto/campaign-metric.dto';
import { asTenant, openAppContext } from './lib/app-context';
import { Progress } from './lib/progress';
import { Random, zipf } from './lib/random';
import { milestoneHistory, MilestonePlan } from './lib/milestone-history';

/**
 * npm run bench:seed -- --tenants 10 --leads 1000000 --milestones-per-lead 5 --campaigns 2000 --days 365
 *
 * Fills the configured database (DATABASE_URL) with reproducible, realistic data through the
 * application's own services. Tenant `bench-0` is the measured one and gets --leads leads; the other
 * tenants get --other-leads each (default a tenth), so indexes hold several tenants as in production.
 * Leads go in through LeadsService.createBulk and their milestone histories through
 * LeadMilestonesService.importHistories, one transaction per batch of 5,000 leads: the counters,
 * rollups and chain links are what the API would have stored.
 */
const { values: args } = parseArgs({
  options: {
    tenants: { type: 'string', default: '2' },
    leads: { type: 'string', default: '20000' },
    'other-leads': { type: 'string' },
    'milestones-per-lead': { type: 'string', default: '5' },
    campaigns: { type: 'string', default: '50' },
    days: { type: 'string', default: '365' },
    seed: { type: 'string', default: '42' },
    'tenant-prefix': { type: 'string', default: 'bench' },
  },
});
const opt = {
  tenants: Number(args.tenants),
  leads: Number(args.leads),
  otherLeads: Number(args['other-leads'] ?? Math.ceil(Number(args.leads) / 10)),
  milestonesPerLead: Number(args['milestones-per-lead']),
  campaigns: Number(args.campaigns),
  days: Number(args.days),
  seed: Number(args.seed),
  prefix: args['tenant-prefix']!,
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

async function main(): Promise<void> {
  const { app, config } = await openAppContext();
  const started = Date.now();
  process.stderr.write(
    `seeding ${config.database.type === 'sqlite' ? `SQLite ${config.database.path}` : 'MySQL'}: ${opt.tenants} tenants, ` +
      `${opt.leads.toLocaleString('en')} leads in ${opt.prefix}-0, ${opt.otherLeads.toLocaleString('en')} in each other, over ${opt.days} days\n`,
  );
  const today = toDay(new Date());
  const plan = new MilestonePlan(opt.milestonesPerLead);
  let totalLeads = 0;
  let totalMilestones = 0;
  for (let t = 0; t < opt.tenants; t++) {
    const tenantId = `${opt.prefix}-${t}`;
    const rnd = new Random(opt.seed * 1000 + t);
    // Milestones draw from their own stream: the leads do not depend on --milestones-per-lead.
    const mrnd = new Random(opt.seed * 1000 + t + 500_000);
    const leadCount = t === 0 ? opt.leads : opt.otherLeads;
    const campaignCount = t === 0 ? opt.campaigns : Math.ceil(opt.campaigns / 10);
    await asTenant(app, tenantId, async () => {
      const places = await configure(app, rnd);
      const campaigns = await seedCampaigns(app, rnd, tenantId, campaignCount, today);
      const weights = zipf(places.length, 1.05);
      const progress = new Progress(`${tenantId} leads`, leadCount, 'leads');
      const leads = app.get(LeadsService);
      const milestones = app.get(LeadMilestonesService);
      const now = Date.now() - 60_000;
      for (let done = 0; done < leadCount; done += BATCH) {
        const n = Math.min(BATCH, leadCount - done);
        const batch = Array.from({ length: n }, () => {
          const lead = aLead(rnd, places[rnd.weighted(weights)], today);
          // A third of the leads name a campaign that was running when they came in.
          const day = String(lead.created_at).slice(0, 10);
          if (campaigns.length > 0 && rnd.chance(0.33)) {
            const c = campaigns[rnd.int(0, campaigns.length - 1)];
            if (c.start <= day && day <= c.end) lead.campaign_code = c.code;
          }
          return lead;
        });
        const created = await leads.createBulk(batch);
        // Each lead's milestone history follows its funnel stage and stage timestamps.
        const histories = created.map((lead) => ({ leadId: lead.id, milestones: milestoneHistory(mrnd, lead, plan, now) })).filter((h) => h.milestones.length > 0);
        const count = histories.reduce((sum, h) => sum + h.milestones.length, 0);
        if (count > 0) await milestones.importHistories(histories);
        totalMilestones += count;
        progress.tick(n, `${totalMilestones.toLocaleString('en')} milestones`);
      }
      progress.finish();
      totalLeads += leadCount;
    });
  }
  process.stderr.write(
    `seeded ${totalLeads.toLocaleString('en')} leads and ${totalMilestones.toLocaleString('en')} milestones in ${((Date.now() - started) / 1000).toFixed(1)} s\n`,
  );
  await app.close();
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
  app: import('@nestjs/common').INestApplicationContext,
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
          rows.push({ channel_code: channel, metric_date: d, impressions, clicks, leads_generated: leads, conversions, spend, revenue: Math.round(conversions * rnd.logNormal(400, 0.5) * 100) / 100 });
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
async function configure(app: import('@nestjs/common').INestApplicationContext, rnd: Random): Promise<Place[]> {
  const sources = app.get(LeadSourcesService);
  const subsources = app.get(LeadSubsourcesService);
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
  return places;
}

/** A lead with a realistic funnel: most are contacted, fewer qualified, a fraction converted. */
function aLead(rnd: Random, place: Place, today: string): Record<string, unknown> {
  // Creation: uniform over the window, fewer on weekends.
  let day = addDays(today, -rnd.int(0, opt.days - 1));
  const weekday = new Date(`${day}T00:00:00Z`).getUTCDay();
  if ((weekday === 0 || weekday === 6) && rnd.chance(0.5)) day = addDays(day, weekday === 0 ? -2 : -1);
  const now = Date.now() - 60_000;
  const created = Math.min(Date.parse(`${day}T00:00:00Z`) + rnd.int(7 * 3600, 19 * 3600) * 1000, now);
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
