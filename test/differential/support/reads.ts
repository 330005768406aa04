import { Role } from '../../../src/tenancy/tenant-context';
import { Request, Who } from './engines';
import { TenantModel } from './model';
import { Rng } from './rng';
import { CODED, searchTerms } from './writes';
import { addDays, dayOf, LEAD_CODE_POOL } from './values';

/**
 * The read sweep after each phase: every GET of the OpenAPI document (the document itself is read and
 * compared once, at the start: the run is generated from it), for both tenants, with the
 * filters, searches, pages and date ranges that can tell the engines apart. Lists are read whole (up
 * to 500 rows a page), every configuration row singly (deleted ones and case variants included),
 * analytics over ranges that cover the back-filled history. Reads are as the admin, plus a few as a
 * viewer (include_deleted is admin-only).
 */

export interface Read {
  route: string;
  req: Request;
}

/** GETs of the document a sweep does not read, and why. */
export const NOT_READ: Record<string, string> = {
  'GET /metrics': 'per-process counters and timings, not data: they differ between any two processes',
};

const enc = encodeURIComponent;
const MODELS = ['first', 'last', 'linear', 'position_based', 'time_decay'];
const caseVariants = (code: string) => [code.toLowerCase(), code[0] + code.slice(1).toLowerCase()];

export function readPlan(t: TenantModel, rng: Rng, now: number, subs: Record<Role, string>): Read[] {
  const admin: Who = { tenant: t.tenant, role: 'admin', sub: subs.admin };
  const viewer: Who = { tenant: t.tenant, role: 'viewer', sub: subs.viewer };
  const reads: Read[] = [];
  const get = (route: string, path: string, query?: Request['query'], as: Who = admin) => reads.push({ route, req: { method: 'GET', path, query, who: as } });
  const today = dayOf(now);

  // Date ranges (API.md §1): the default, `days`, explicit ranges over the back-filled history, one end only, the longest.
  const ranges: Request['query'][] = [
    {},
    { days: 7 },
    { days: 366 },
    { start_date: addDays(today, -400), end_date: today },
    { start_date: addDays(today, -90) },
    { end_date: addDays(today, -100) },
    { start_date: addDays(today, -45), end_date: addDays(today, 20) },
    { start_date: addDays(today, -3659), end_date: today },
    // The ends of the calendar the API takes (1900-01-01..9998-12-31), a whole 3,660-day range at each.
    { start_date: '1900-01-01', end_date: '1910-01-08' },
    { start_date: '9988-12-24', end_date: '9998-12-31' },
    { end_date: '9998-12-31' },
  ];
  const badRanges: Request['query'][] = [{ start_date: today, end_date: addDays(today, -1) }, { days: 7, start_date: today }, { start_date: '2026-02-30' }];
  const someRanges = (n: number) => [...rng.some(ranges, n, n), ...(rng.chance(0.2) ? [rng.pick(badRanges)] : [])];
  /** `?model=`: mostly left out (first), each touch model in turn, now and then an unknown one (400). */
  const withModel = (q: Request['query']): Request['query'] =>
    rng.weighted<Request['query']>([
      [3, q],
      [1, { ...q, model: 'first' }],
      [6, { ...q, model: rng.pick(['last', 'linear', 'position_based', 'time_decay']) }],
      [rng.chance(0.1) ? 1 : 0, { ...q, model: rng.pick(['First', 'u_shaped', '']) }],
    ]);
  /** One query of every model over one range, and the ranges' queries with a model each. */
  const modelQueries = (n: number): Request['query'][] => {
    const every = rng.pick(ranges);
    return [...MODELS.map((model) => ({ ...every, model })), ...someRanges(n).map(withModel)];
  };
  const intervals = ['day', 'week', 'month'];
  /** A daily series over the longest range is long: trends take a month interval for it. */
  const trendQueries = (extra: Request['query'] = {}) =>
    someRanges(3).map((r) => {
      const long = r?.days === 366 || (r?.start_date !== undefined && r.start_date < addDays(today, -300)) || (r?.start_date ?? '') > '9000';
      return { ...r, ...extra, interval: long ? rng.pick(['week', 'month']) : rng.pick(intervals) };
    });

  reads.push({ route: 'GET /health', req: { method: 'GET', path: '/health' } });
  reads.push({ route: 'GET /health/ready', req: { method: 'GET', path: '/health/ready' } });

  // Configuration lists and rows.
  const listVariants = (extra: Request['query'][] = []): Request['query'][] => [
    { limit: 500 },
    { limit: 500, include_inactive: true },
    { limit: 500, include_deleted: true },
    { limit: 500, is_active: false },
    { limit: 3, offset: rng.int(0, 4) },
    ...(rng.chance(0.2) ? [{ limit: 1, offset: 1_000_000_000 }] : []),
    ...extra,
  ];
  for (const k of CODED) {
    const extra: Request['query'][] = [];
    if (k.kind === 'leadSource') {
      extra.push(
        ...rng
          .some(['website', 'email', 'phone', 'referral', 'event', 'social', 'direct', 'partner', 'import'], 2)
          .map((source_type) => ({ limit: 500, source_type, include_inactive: true })),
      );
      extra.push(...rng.some(searchTerms(t, rng), 8, 8).map((search) => ({ limit: 500, search, include_deleted: rng.chance(0.3) })));
    }
    for (const q of listVariants(extra)) get(`GET ${k.path}`, k.path, q);
    get(`GET ${k.path}`, k.path, { include_deleted: true }, viewer);
    const codes = [...t.coded[k.kind].keys()];
    for (const code of codes) get(`GET ${k.path}/{${k.param}}`, `${k.path}/${enc(code)}`);
    for (const code of rng.some(codes, 2)) for (const v of caseVariants(code)) get(`GET ${k.path}/{${k.param}}`, `${k.path}/${enc(v)}`);
  }

  // Subsources, under every source the tenant has had.
  for (const source of [...t.coded.leadSource.keys(), 'SRC_NONE']) {
    const base = `/lead-sources/${enc(source)}/subsources`;
    get('GET /lead-sources/{source_code}/subsources', base, { limit: 500, include_deleted: true });
    if (rng.chance(0.3)) get('GET /lead-sources/{source_code}/subsources', base, { limit: 500, is_active: true });
    for (const sub of t.subsources.get(source)?.keys() ?? []) {
      get('GET /lead-sources/{source_code}/subsources/{sub_source_code}', `${base}/${enc(sub)}`);
      get('GET /lead-sources/{source_code}/subsources/{sub_source_code}/costs', `${base}/${enc(sub)}/costs`);
      for (const q of someRanges(1).map(withModel))
        get('GET /lead-sources/{source_code}/subsources/{sub_source_code}/performance', `${base}/${enc(sub)}/performance`, q);
    }
  }

  // Templates.
  for (const q of listVariants([{ limit: 500, template_type: rng.pick(['standard', 'campaign', 'project', 'custom']), include_deleted: true }]))
    get('GET /milestone-templates', '/milestone-templates', q);
  for (const id of [...t.milestoneTemplates.keys(), 999_999]) get('GET /milestone-templates/{id}', `/milestone-templates/${id}`);
  const campaignTypes = [...t.coded.campaignType.keys()];
  for (const q of listVariants(campaignTypes.length > 0 ? [{ limit: 500, campaign_type_code: rng.pick(campaignTypes), include_deleted: true }] : []))
    get('GET /campaign-templates', '/campaign-templates', q);
  for (const id of [...t.campaignTemplates.keys(), 999_999]) get('GET /campaign-templates/{id}', `/campaign-templates/${id}`);

  // Leads: the whole list by pages, each filter, single leads.
  const leadCount = t.leads.size;
  for (let offset = 0; offset <= leadCount; offset += 500) get('GET /leads', '/leads', { limit: 500, offset });
  for (const status of rng.some(['new', 'contacted', 'qualified', 'negotiation', 'converted', 'lost'], 3)) get('GET /leads', '/leads', { limit: 200, status });
  for (const source of rng.some([...t.coded.leadSource.keys()], 3)) get('GET /leads', '/leads', { limit: 200, source_code: source });
  for (const [source, subsMap] of rng.some([...t.subsources.entries()], 2))
    for (const sub of rng.some([...subsMap.keys()], 1)) get('GET /leads', '/leads', { limit: 200, source_code: source, sub_source_code: sub });
  get('GET /leads', '/leads', { limit: 10, sub_source_code: 'FACEBOOK' });
  for (const channel of rng.some([...t.coded.leadChannel.keys()], 2)) get('GET /leads', '/leads', { limit: 200, channel_code: channel });
  for (const campaign of rng.some([...t.campaigns.keys()], 2)) get('GET /leads', '/leads', { limit: 200, campaign_code: campaign });
  for (const code of rng.some([...new Set([...t.leadCodes, ...LEAD_CODE_POOL])], 6)) get('GET /leads', '/leads', { lead_code: code });
  get('GET /leads', '/leads', { limit: 200, created_from: addDays(today, -rng.int(10, 200)), created_to: addDays(today, -rng.int(0, 9)) });
  get('GET /leads', '/leads', { limit: 200, created_from: addDays(today, -rng.int(0, 30)), status: rng.pick(['converted', 'lost', 'new']) });
  const leadIds = [...t.leads.keys()];
  const someLeads = [...new Set([...t.touched.leads, ...rng.some(leadIds, 10)])].slice(0, 60);
  for (const id of [...someLeads, 999_999]) get('GET /leads/{id}', `/leads/${id}`);

  // Milestones and timelines of the leads written to, and a few others.
  for (const id of someLeads.slice(0, 40)) {
    get('GET /milestones/{lead_id}', `/milestones/${id}`, { limit: 500, include_deleted: rng.chance(0.3) });
    get('GET /milestones/{lead_id}/timeline', `/milestones/${id}/timeline`);
  }
  get('GET /milestones/{lead_id}', '/milestones/999999');
  get('GET /milestones/{lead_id}/timeline', '/milestones/999999/timeline');

  // Lead-source analytics, under every attribution model.
  for (const q of modelQueries(3)) get('GET /lead-sources/analytics/performance', '/lead-sources/analytics/performance', q);
  for (const q of [...trendQueries(), ...trendQueries({ model: rng.pick(MODELS) })].map(withModel))
    get('GET /lead-sources/analytics/trends', '/lead-sources/analytics/trends', q);
  for (const source of rng.some([...t.coded.leadSource.keys()], 2))
    for (const q of trendQueries({ source_code: source }).map(withModel)) get('GET /lead-sources/analytics/trends', '/lead-sources/analytics/trends', q);
  for (const source of [...t.coded.leadSource.keys(), ...caseVariants('WEBSITE')])
    for (const q of someRanges(1).map(withModel)) get('GET /lead-sources/{source_code}/performance', `/lead-sources/${enc(source)}/performance`, q);
  for (const q of modelQueries(0)) get('GET /lead-sources/{source_code}/performance', '/lead-sources/UNMAPPED/performance', q);

  // Touches of the leads written to and a few others (a deleted lead's and an unknown one: 404), and attribution rules.
  for (const id of [...someLeads, 999_999]) get('GET /leads/{id}/touches', `/leads/${id}/touches`, { limit: 500 });
  for (const id of rng.some(someLeads, 3)) get('GET /leads/{id}/touches', `/leads/${id}/touches`, { limit: 1, offset: rng.int(0, 2) });
  for (const id of rng.some(someLeads, 2)) get('GET /leads/{id}/touches', `/leads/${id}/touches`, {}, viewer);
  for (const q of listVariants()) get('GET /attribution-rules', '/attribution-rules', q);
  get('GET /attribution-rules', '/attribution-rules', { include_deleted: true }, viewer);
  for (const id of [...t.rules.keys(), 999_999]) get('GET /attribution-rules/{id}', `/attribution-rules/${id}`);
  for (const id of rng.some([...t.rules.keys()], 2)) get('GET /attribution-rules/{id}', `/attribution-rules/${id}`, undefined, viewer);

  // Milestone analytics.
  for (const q of someRanges(3)) get('GET /milestones/analytics/completion', '/milestones/analytics/completion', q);
  for (const q of trendQueries()) get('GET /milestones/analytics/time-trends', '/milestones/analytics/time-trends', q);
  for (const type of rng.some([...t.coded.milestoneType.keys()], 2))
    for (const q of trendQueries({ type_code: type })) get('GET /milestones/analytics/time-trends', '/milestones/analytics/time-trends', q);
  const templateIds = [...t.milestoneTemplates.keys()];
  for (const q of someRanges(3)) {
    const extra: Request['query'] = {};
    if (rng.chance(0.5)) extra.min_average_days = rng.pick(['0', '1', '1.5', '10', '0.25']);
    if (rng.chance(0.5) && templateIds.length > 0) extra.template_id = rng.chance(0.9) ? rng.pick(templateIds) : 999_999;
    get('GET /milestones/analytics/bottlenecks', '/milestones/analytics/bottlenecks', { ...q, ...extra });
  }

  // Campaigns, their metrics, campaign analytics.
  const campaignCodes = [...t.campaigns.keys()];
  const campaignLists: Request['query'][] = [{ limit: 500 }, { limit: 500, include_deleted: true }, { limit: 5, offset: rng.int(0, 5) }];
  if (campaignTypes.length > 0) campaignLists.push({ limit: 500, campaign_type_code: rng.pick(campaignTypes) });
  const statusCodes = [...t.coded.campaignStatus.keys()];
  if (statusCodes.length > 0) campaignLists.push({ limit: 500, status_code: rng.pick(statusCodes) });
  const channelCodes = [...t.coded.campaignChannel.keys()];
  if (channelCodes.length > 0) campaignLists.push({ limit: 500, channel_code: rng.pick(channelCodes) });
  for (const q of campaignLists) get('GET /campaigns', '/campaigns', q);
  get('GET /campaigns', '/campaigns', { include_deleted: true }, viewer);
  for (const code of [...campaignCodes, 'CMP_NONE']) get('GET /campaigns/{campaign_code}', `/campaigns/${enc(code)}`);
  const someCampaigns = [...new Set([...t.touched.campaigns, ...rng.some(campaignCodes, 4)])];
  for (const code of someCampaigns) {
    get('GET /campaigns/{campaign_code}/metrics', `/campaigns/${enc(code)}/metrics`, { limit: 500 });
    const channels = t.campaigns.get(code)?.channels ?? [];
    if (channels.length > 0) get('GET /campaigns/{campaign_code}/metrics', `/campaigns/${enc(code)}/metrics`, { limit: 500, channel_code: rng.pick(channels) });
    const start = t.campaigns.get(code)?.startDate ?? today;
    get('GET /campaigns/{campaign_code}/metrics', `/campaigns/${enc(code)}/metrics`, {
      limit: 500,
      start_date: addDays(start, rng.int(0, 10)),
      end_date: addDays(start, rng.int(10, 40)),
    });
  }
  for (const q of modelQueries(3)) get('GET /campaigns/analytics/types', '/campaigns/analytics/types', q);
  for (const q of modelQueries(3)) get('GET /campaigns/analytics/channels', '/campaigns/analytics/channels', q);
  for (const q of trendQueries()) get('GET /campaigns/analytics/trends', '/campaigns/analytics/trends', q);
  if (campaignTypes.length > 0)
    for (const q of trendQueries({ campaign_type_code: rng.pick(campaignTypes) })) get('GET /campaigns/analytics/trends', '/campaigns/analytics/trends', q);
  if (channelCodes.length > 0)
    for (const q of trendQueries({ channel_code: rng.pick(channelCodes) })) get('GET /campaigns/analytics/trends', '/campaigns/analytics/trends', q);
  for (const type of [...campaignTypes, 'CT_NONE'])
    for (const q of someRanges(1).map(withModel))
      get('GET /campaigns/analytics/type/{type_code}/performance', `/campaigns/analytics/type/${enc(type)}/performance`, q);
  for (const channel of [...channelCodes, 'CC_NONE'])
    for (const q of someRanges(1).map(withModel))
      get('GET /campaigns/analytics/channel/{channel_code}/performance', `/campaigns/analytics/channel/${enc(channel)}/performance`, q);

  // Webhook subscriptions (the admin's) and their delivery logs (empty: the harness runs no relay).
  get('GET /settings', '/settings', undefined, viewer);
  for (const q of [{ limit: 500 }, { limit: 2, offset: rng.int(0, 3) }] as Request['query'][]) get('GET /webhook-subscriptions', '/webhook-subscriptions', q);
  for (const id of [...t.webhookSubscriptions.keys(), 999_999]) {
    get('GET /webhook-subscriptions/{id}', `/webhook-subscriptions/${id}`);
    get('GET /webhook-subscriptions/{id}/deliveries', `/webhook-subscriptions/${id}/deliveries`, {
      limit: 500,
      ...(rng.chance(0.3) ? { status: 'dead' } : {}),
    });
  }

  // The audit log: whole, by entity type, by key.
  return reads;
}

/** The audit log's pages and filters: read after the rest (its size is known only from its first page). */
export const AUDIT_TYPES = [
  'lead_source',
  'lead_subsource',
  'lead_channel',
  'lead',
  'lead_milestone',
  'milestone_type',
  'milestone_template',
  'campaign',
  'campaign_type',
  'campaign_channel',
  'campaign_status',
  'campaign_budget_type',
  'campaign_template',
  'campaign_metric',
  'webhook_subscription',
  'attribution_rule',
  'lead_touch',
  'subsource_cost',
];

export function auditReads(t: TenantModel, rng: Rng, total: number, subs: Record<Role, string>): Read[] {
  const admin: Who = { tenant: t.tenant, role: 'admin', sub: subs.admin };
  const reads: Read[] = [];
  const get = (query: Request['query'], as: Who = admin) => reads.push({ route: 'GET /audit-log', req: { method: 'GET', path: '/audit-log', query, who: as } });
  for (let offset = 500; offset < total; offset += 500) get({ limit: 500, offset });
  for (const type of rng.some(AUDIT_TYPES, 5)) get({ limit: 200, entity_type: type });
  const keys = [
    ...rng.some([...t.coded.leadSource.keys()], 2),
    ...rng.some([...t.leads.keys()].map(String), 2),
    ...rng.some([...t.campaigns.keys()], 1),
    'website',
  ];
  for (const key of keys) get({ limit: 200, entity_key: key });
  get({ limit: 10 }, { tenant: t.tenant, role: 'manager', sub: subs.manager });
  return reads;
}
