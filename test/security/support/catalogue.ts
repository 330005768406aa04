import { Role } from '../../../src/tenancy/tenant-context';
import { ApiDoc, fillPath, Method, Operation, QueryParam, Schema } from './openapi';
import { ok, SClient, SecretScanner } from './secure-api';
import { setSettings } from '../../support/builders';

/**
 * What the generated matrices cannot read from the OpenAPI document, kept as small tables:
 * - KINDS: how a tenant creates a row of each resource kind, and which item paths address it. Every
 *   operation with path parameters is matched to the kind whose item path is its longest prefix.
 * - BODIES: a valid request body per request schema.
 * - REFERENCES: which body and query fields name another row (and of which kind).
 * - expectedRoles: API.md §1's role rules, by path.
 * `coverageGaps()` lists every operation, schema or field these tables do not cover: the specs fail on
 * it, so a new route, body or reference field forces an entry here, and is then tested like the others.
 */

export type Params = Record<string, string>;

export const KIND_NAMES = [
  'leadSource',
  'subsource',
  'leadChannel',
  'lead',
  'campaignType',
  'campaignChannel',
  'campaignStatus',
  'budgetType',
  'campaignTemplate',
  'campaign',
  'milestoneType',
  'milestoneTemplate',
  'leadMilestone',
  'webhookSubscription',
  'attributionRule',
] as const;
export type KindName = (typeof KIND_NAMES)[number];

export const utcDay = (offsetDays = 0) => new Date(Date.now() + offsetDays * 86_400_000).toISOString().slice(0, 10);

export interface Ctx {
  /** A client of the tenant that owns the rows (admin). */
  c: SClient;
  /** Upper-case letters and digits, starting with a letter: unique per created row. */
  tag: string;
  secrets: SecretScanner;
}

export interface Kind {
  /** Item paths (relative to the API base) that address one row of this kind. */
  templates: string[];
  create(ctx: Ctx): Promise<Params>;
  /** The value a body or query field naming a row of this kind carries. */
  ref(p: Params): string | number;
  /** A row every tenant has from its seeded defaults. */
  seeded?: Params;
}

const lead = async ({ c, tag }: Ctx): Promise<Params> => {
  const row = ok(
    await c.post('/leads', {
      lead_code: `${tag}-LEAD`,
      source_code: 'WEBSITE',
      status: 'converted',
      expected_value: 500,
      acquisition_cost: 20,
      created_at: `${utcDay(-6)}T09:00:00.000Z`,
    }),
    201,
  );
  return { id: String(row.id), lead_id: String(row.id), lead_code: `${tag}-LEAD` };
};

export const KINDS: Record<KindName, Kind> = {
  leadSource: {
    templates: ['/lead-sources/{source_code}'],
    async create({ c, tag }) {
      ok(await c.post('/lead-sources', { source_code: `${tag}_SRC`, source_name: `${tag} source`, source_type: 'event', metadata: { owner: tag } }), 201);
      return { source_code: `${tag}_SRC` };
    },
    ref: (p) => p.source_code,
    seeded: { source_code: 'WEBSITE' },
  },
  subsource: {
    templates: ['/lead-sources/{source_code}/subsources/{sub_source_code}'],
    async create({ c, tag }) {
      ok(await c.post('/lead-sources', { source_code: `${tag}_PSRC`, source_name: `${tag} parent`, source_type: 'partner' }), 201);
      ok(await c.post(`/lead-sources/${tag}_PSRC/subsources`, { sub_source_code: `${tag}_SUB`, sub_source_name: `${tag} sub`, cost_per_lead: 7 }), 201);
      ok(await c.post(`/lead-sources/${tag}_PSRC/subsources/${tag}_SUB/costs`, { cost_per_lead: 6, valid_from: utcDay(-30) }), 201);
      return { source_code: `${tag}_PSRC`, sub_source_code: `${tag}_SUB` };
    },
    ref: (p) => p.sub_source_code,
    seeded: { source_code: 'SOCIAL', sub_source_code: 'FACEBOOK' },
  },
  leadChannel: {
    templates: ['/lead-channels/{channel_code}'],
    async create({ c, tag }) {
      ok(await c.post('/lead-channels', { channel_code: `${tag}_LCH`, channel_name: `${tag} channel` }), 201);
      return { channel_code: `${tag}_LCH` };
    },
    ref: (p) => p.channel_code,
    seeded: { channel_code: 'PAID' },
  },
  lead: {
    templates: ['/leads/{id}', '/milestones/{lead_id}'],
    create: lead,
    ref: (p) => Number(p.id),
  },
  campaignType: {
    templates: ['/campaign-types/{type_code}', '/campaigns/analytics/type/{type_code}'],
    async create({ c, tag }) {
      ok(await c.post('/campaign-types', { type_code: `${tag}_CTY`, type_name: `${tag} type`, min_budget: 0, max_budget: 1_000_000 }), 201);
      return { type_code: `${tag}_CTY` };
    },
    ref: (p) => p.type_code,
    seeded: { type_code: 'EMAIL_BLAST' },
  },
  campaignChannel: {
    templates: ['/campaign-channels/{channel_code}', '/campaigns/analytics/channel/{channel_code}'],
    async create({ c, tag, secrets }) {
      ok(await c.post('/campaign-channels', { channel_code: `${tag}_CCH`, channel_name: `${tag} channel`, integration_key: secrets.integrationKey() }), 201);
      return { channel_code: `${tag}_CCH` };
    },
    ref: (p) => p.channel_code,
    seeded: { channel_code: 'EMAIL' },
  },
  campaignStatus: {
    templates: ['/campaign-statuses/{status_code}'],
    async create({ c, tag }) {
      ok(await c.post('/campaign-statuses', { status_code: `${tag}_CST`, status_name: `${tag} status` }), 201);
      return { status_code: `${tag}_CST` };
    },
    ref: (p) => p.status_code,
    seeded: { status_code: 'PAUSED' },
  },
  budgetType: {
    templates: ['/campaign-budget-types/{budget_type_code}'],
    async create({ c, tag }) {
      ok(await c.post('/campaign-budget-types', { budget_type_code: `${tag}_CBT`, budget_type_name: `${tag} budget` }), 201);
      return { budget_type_code: `${tag}_CBT` };
    },
    ref: (p) => p.budget_type_code,
    seeded: { budget_type_code: 'TOTAL' },
  },
  campaignTemplate: {
    templates: ['/campaign-templates/{id}'],
    async create({ c, tag }) {
      const row = ok(
        await c.post('/campaign-templates', { template_name: `${tag} template`, campaign_type_code: 'EMAIL_BLAST', default_channels: ['EMAIL'] }),
        201,
      );
      return { id: String(row.id) };
    },
    ref: (p) => Number(p.id),
  },
  campaign: {
    templates: ['/campaigns/{campaign_code}'],
    async create({ c, tag }) {
      const code = `${tag}_CMP`;
      ok(
        await c.post('/campaigns', {
          campaign_code: code,
          campaign_name: `${tag} campaign`,
          campaign_type_code: 'EMAIL_BLAST',
          start_date: utcDay(-10),
          budget: 1000,
          channels: [{ channel_code: 'EMAIL', allocated_budget: 1000 }],
        }),
        201,
      );
      const metric = {
        channel_code: 'EMAIL',
        metric_date: utcDay(0),
        impressions: 1000,
        clicks: 100,
        leads_generated: 10,
        conversions: 2,
        spend: 250,
        revenue: 900,
      };
      ok(await c.put(`/campaigns/${code}/metrics`, metric), 200, 201);
      return { campaign_code: code };
    },
    ref: (p) => p.campaign_code,
  },
  milestoneType: {
    templates: ['/milestone-types/{type_code}'],
    async create({ c, tag }) {
      ok(await c.post('/milestone-types', { type_code: `${tag}_MTY`, type_name: `${tag} step`, sla_days: 1, typical_duration_days: 2 }), 201);
      return { type_code: `${tag}_MTY` };
    },
    ref: (p) => p.type_code,
    seeded: { type_code: 'CONTACTED' },
  },
  milestoneTemplate: {
    templates: ['/milestone-templates/{id}'],
    async create({ c, tag }) {
      const row = ok(
        await c.post('/milestone-templates', { template_name: `${tag} pipeline`, template_type: 'custom', sequence: ['LEAD_GENERATED', 'CONTACTED'] }),
        201,
      );
      return { id: String(row.id) };
    },
    ref: (p) => Number(p.id),
  },
  leadMilestone: {
    templates: ['/lead-milestones/{id}'],
    async create(ctx) {
      const { id: leadId } = await lead(ctx);
      ok(await ctx.c.post(`/milestones/${leadId}`, { milestone_type_code: 'LEAD_GENERATED', achieved_date: utcDay(-5), notes: `${ctx.tag} first` }), 201);
      const row = ok(await ctx.c.post(`/milestones/${leadId}`, { milestone_type_code: 'CONTACTED', achieved_date: utcDay(0), status: 'in_progress' }), 201);
      return { id: String(row.id), lead_id: leadId };
    },
    ref: (p) => Number(p.id),
  },
  webhookSubscription: {
    templates: ['/webhook-subscriptions/{id}'],
    async create({ c, secrets }) {
      const row = ok(await c.post('/webhook-subscriptions', { url: 'https://203.0.113.10/hooks/sales', event_types: ['lead.created'] }), 201);
      secrets.addLiteral(row.secret, 'a webhook secret');
      return { id: String(row.id) };
    },
    ref: (p) => Number(p.id),
  },
  attributionRule: {
    templates: ['/attribution-rules/{id}'],
    async create({ c, tag }) {
      const row = ok(
        await c.post('/attribution-rules', {
          name: `${tag} rule`,
          priority: 5,
          utm_source: { value: `${tag.toLowerCase()}-source`, match: 'prefix' },
          source_code: 'SOCIAL',
          sub_source_code: 'FACEBOOK',
          channel_code: 'PAID',
          campaign_channel_code: 'EMAIL',
        }),
        201,
      );
      return { id: String(row.id) };
    },
    ref: (p) => Number(p.id),
  },
};

const segments = (path: string) => path.split('/').filter(Boolean);
const isParam = (s: string) => /^\{.+\}$/.test(s);

/**
 * The kind of row an operation addresses: the kind whose item path is the longest prefix of the
 * operation's path (literal segments equal, parameters of the same name), provided it binds every
 * path parameter. `undefined` for operations without path parameters; `null` when nothing matches.
 */
export function kindOf(op: Operation): KindName | undefined | null {
  if (op.params.length === 0) return undefined;
  const path = segments(op.path);
  let best: { kind: KindName; length: number; params: string[] } | undefined;
  for (const kind of KIND_NAMES) {
    for (const template of KINDS[kind].templates) {
      const t = segments(template);
      if (t.length > path.length || !t.every((s, i) => s === path[i])) continue;
      if (!best || t.length > best.length) best = { kind, length: t.length, params: t.filter(isParam).map((s) => s.slice(1, -1)) };
    }
  }
  if (!best || !op.params.every((p) => best!.params.includes(p))) return null;
  return best.kind;
}

/** The item path of a kind that an operation's path starts with (for restore: the row to delete first). */
export function itemPathOf(op: Operation): string | undefined {
  const path = segments(op.path);
  const kind = kindOf(op);
  if (!kind) return undefined;
  return KINDS[kind].templates
    .map(segments)
    .filter((t) => t.length <= path.length && t.every((s, i) => s === path[i]))
    .sort((a, b) => b.length - a.length)
    .map((t) => `/${t.join('/')}`)[0];
}

export interface BodyCtx {
  /** Unique per call: new codes are built from it. */
  tag: string;
  secrets: SecretScanner;
}

/**
 * A valid body per request schema, naming only rows every tenant has (its seeded defaults) and new
 * codes, so that it is valid in any tenant and on any row of the kind its route addresses.
 */
export const BODIES: Record<string, (b: BodyCtx) => Record<string, unknown>> = {
  CreateLeadSourceDto: ({ tag }) => ({ source_code: `${tag}_NSRC`, source_name: 'New source', source_type: 'event' }),
  UpdateLeadSourceDto: () => ({ source_name: 'Renamed source', display_order: 3 }),
  CreateLeadSubsourceDto: ({ tag }) => ({ sub_source_code: `${tag}_NSUB`, sub_source_name: 'New subsource' }),
  UpdateLeadSubsourceDto: () => ({ sub_source_name: 'Renamed subsource', cost_per_lead: 3 }),
  // Three days back: not after the tenant's today in any zone (the matrices' tenants are at UTC−05:00 and UTC+14:00).
  CreateSubsourceCostDto: () => ({ cost_per_lead: 4.5, valid_from: utcDay(-3) }),
  CreateLeadChannelDto: ({ tag }) => ({ channel_code: `${tag}_NLCH`, channel_name: 'New channel' }),
  UpdateLeadChannelDto: () => ({ channel_name: 'Renamed channel' }),
  CreateLeadDto: ({ tag }) => ({ lead_code: `${tag}-NEW`, source_code: 'WEBSITE', expected_value: 10 }),
  BulkCreateLeadsDto: () => ({ leads: [{ source_code: 'WEBSITE' }, { source_code: 'SOCIAL', sub_source_code: 'FACEBOOK' }] }),
  UpdateLeadDto: () => ({ status: 'contacted', expected_value: 42 }),
  TouchDto: () => ({ utm_source: 'newsletter', utm_medium: 'email', landing_page: 'https://example.com/offer' }),
  CreateMilestoneTypeDto: ({ tag }) => ({ type_code: `${tag}_NMTY`, type_name: 'New step' }),
  UpdateMilestoneTypeDto: () => ({ type_name: 'Renamed step', sla_days: 4 }),
  CreateMilestoneTemplateDto: ({ tag }) => ({ template_name: `${tag} new pipeline`, template_type: 'project', sequence: ['LEAD_GENERATED', 'CONVERTED'] }),
  UpdateMilestoneTemplateDto: () => ({ template_name: 'Renamed pipeline' }),
  CreateLeadMilestoneDto: () => ({ milestone_type_code: 'SITE_VISIT', achieved_date: utcDay(0) }),
  UpdateLeadMilestoneDto: () => ({ status: 'completed', outcome: 'positive' }),
  CreateCampaignTypeDto: ({ tag }) => ({ type_code: `${tag}_NCTY`, type_name: 'New type' }),
  UpdateCampaignTypeDto: () => ({ type_name: 'Renamed type' }),
  CreateCampaignChannelDto: ({ tag, secrets }) => ({ channel_code: `${tag}_NCCH`, channel_name: 'New channel', integration_key: secrets.integrationKey() }),
  UpdateCampaignChannelDto: ({ secrets }) => ({ channel_name: 'Renamed channel', integration_key: secrets.integrationKey() }),
  CreateCampaignStatusDto: ({ tag }) => ({ status_code: `${tag}_NCST`, status_name: 'New status' }),
  UpdateCampaignStatusDto: () => ({ status_name: 'Renamed status' }),
  CreateCampaignBudgetTypeDto: ({ tag }) => ({ budget_type_code: `${tag}_NCBT`, budget_type_name: 'New budget type' }),
  UpdateCampaignBudgetTypeDto: () => ({ budget_type_name: 'Renamed budget type' }),
  CreateCampaignTemplateDto: ({ tag }) => ({ template_name: `${tag} new template`, campaign_type_code: 'SOCIAL_ADS', default_channels: ['FACEBOOK'] }),
  UpdateCampaignTemplateDto: () => ({ template_name: 'Renamed template' }),
  InstantiateCampaignDto: ({ tag }) => ({ campaign_code: `${tag}_INST`, campaign_name: 'From a template', start_date: utcDay(0) }),
  CreateCampaignDto: ({ tag }) => ({
    campaign_code: `${tag}_NCMP`,
    campaign_name: 'New campaign',
    campaign_type_code: 'EMAIL_BLAST',
    start_date: utcDay(0),
    channels: [{ channel_code: 'EMAIL', allocated_budget: 10 }],
  }),
  UpdateCampaignDto: () => ({ campaign_name: 'Renamed campaign' }),
  CreateWebhookSubscriptionDto: () => ({ url: 'https://203.0.113.10/hooks/new', event_types: ['lead.created', 'lead.converted'] }),
  UpdateWebhookSubscriptionDto: () => ({ description: 'Renamed subscription', event_types: ['lead.deleted'] }),
  CreateAttributionRuleDto: ({ tag }) => ({
    name: `${tag} new rule`,
    utm_source: { value: 'google', match: 'exact' },
    utm_medium: { value: 'cp', match: 'prefix' },
    source_code: 'SOCIAL',
    sub_source_code: 'LINKEDIN',
    channel_code: 'PAID',
    campaign_channel_code: 'GOOGLE_ADS',
  }),
  UpdateAttributionRuleDto: () => ({ name: 'Renamed rule', priority: 2, utm_campaign: { value: 'spring', match: 'exact' } }),
  AttributionDryRunDto: () => ({ utm_source: 'google', utm_medium: 'cpc', utm_campaign: 'spring' }),
  UpdateTenantSettingsDto: () => ({ week_start: 'sunday' }),
  TransitionCampaignDto: () => ({ status_code: 'ACTIVE' }),
  WriteCampaignMetricDto: () => ({ channel_code: 'EMAIL', metric_date: utcDay(0), impressions: 50, clicks: 5, spend: 12.5 }),
  BulkWriteCampaignMetricsDto: () => ({
    metrics: [
      { channel_code: 'EMAIL', metric_date: utcDay(-1), impressions: 10, clicks: 1 },
      { channel_code: 'EMAIL', metric_date: utcDay(0), leads_generated: 2, conversions: 1, revenue: 30 },
    ],
  }),
};

/** The operation's sample body; {} when BODIES lacks its schema (coverageGaps reports that), so that the other checks still run. */
export function sampleBody(op: Operation, b: BodyCtx): Record<string, unknown> | undefined {
  if (!op.body) return undefined;
  return BODIES[op.body.name]?.(b) ?? {};
}

/** Field names that may name another row: each one must be classified in REFERENCES. */
export const REFERENCE_NAME = /(_code|_codes|_id|_ids)$|^(sequence|default_channels|allowed_transitions)$/;

/**
 * `Schema.field` → what the field holds: `identity` (the code of the row being created: another tenant
 * may well have the same one), or the kind of row it names (which must be a row of the caller's tenant).
 */
export const REFERENCES: Record<string, 'identity' | KindName> = {
  'CreateLeadDto.lead_code': 'identity',
  'UpdateLeadDto.lead_code': 'identity',
  'CreateLeadSourceDto.source_code': 'identity',
  'CreateLeadSubsourceDto.sub_source_code': 'identity',
  'CreateLeadChannelDto.channel_code': 'identity',
  'CreateLeadDto.source_code': 'leadSource',
  'CreateLeadDto.sub_source_code': 'subsource',
  'CreateLeadDto.channel_code': 'leadChannel',
  'CreateLeadDto.campaign_code': 'campaign',
  'UpdateLeadDto.source_code': 'leadSource',
  'UpdateLeadDto.sub_source_code': 'subsource',
  'UpdateLeadDto.channel_code': 'leadChannel',
  'UpdateLeadDto.campaign_code': 'campaign',
  'CreateMilestoneTypeDto.type_code': 'identity',
  'CreateMilestoneTemplateDto.sequence': 'milestoneType',
  'UpdateMilestoneTemplateDto.sequence': 'milestoneType',
  'CreateLeadMilestoneDto.milestone_type_code': 'milestoneType',
  'CreateCampaignTypeDto.type_code': 'identity',
  'CreateCampaignChannelDto.channel_code': 'identity',
  'CreateCampaignStatusDto.status_code': 'identity',
  'CreateCampaignStatusDto.allowed_transitions': 'campaignStatus',
  'UpdateCampaignStatusDto.allowed_transitions': 'campaignStatus',
  'CreateCampaignBudgetTypeDto.budget_type_code': 'identity',
  'CreateCampaignTemplateDto.campaign_type_code': 'campaignType',
  'CreateCampaignTemplateDto.default_channels': 'campaignChannel',
  'CreateCampaignTemplateDto.default_budget_type_code': 'budgetType',
  'UpdateCampaignTemplateDto.campaign_type_code': 'campaignType',
  'UpdateCampaignTemplateDto.default_channels': 'campaignChannel',
  'UpdateCampaignTemplateDto.default_budget_type_code': 'budgetType',
  'CampaignChannelInputDto.channel_code': 'campaignChannel',
  'InstantiateCampaignDto.campaign_code': 'identity',
  'InstantiateCampaignDto.status_code': 'campaignStatus',
  'InstantiateCampaignDto.budget_type_code': 'budgetType',
  'CreateCampaignDto.campaign_code': 'identity',
  'CreateCampaignDto.campaign_type_code': 'campaignType',
  'CreateCampaignDto.status_code': 'campaignStatus',
  'CreateCampaignDto.budget_type_code': 'budgetType',
  'CreateCampaignDto.template_id': 'campaignTemplate',
  'UpdateCampaignDto.campaign_type_code': 'campaignType',
  'UpdateCampaignDto.budget_type_code': 'budgetType',
  'TransitionCampaignDto.status_code': 'campaignStatus',
  'WriteCampaignMetricDto.channel_code': 'campaignChannel',
  'CreateAttributionRuleDto.source_code': 'leadSource',
  'CreateAttributionRuleDto.sub_source_code': 'subsource',
  'CreateAttributionRuleDto.channel_code': 'leadChannel',
  'CreateAttributionRuleDto.campaign_code': 'campaign',
  'CreateAttributionRuleDto.campaign_channel_code': 'campaignChannel',
  'UpdateAttributionRuleDto.source_code': 'leadSource',
  'UpdateAttributionRuleDto.sub_source_code': 'subsource',
  'UpdateAttributionRuleDto.channel_code': 'leadChannel',
  'UpdateAttributionRuleDto.campaign_code': 'campaign',
  'UpdateAttributionRuleDto.campaign_channel_code': 'campaignChannel',
};

/** Query parameters that name rows: the kinds they may name (a name shared by two kinds lists both). */
export const QUERY_REFERENCES: Record<string, KindName[]> = {
  source_code: ['leadSource'],
  sub_source_code: ['subsource'],
  channel_code: ['leadChannel', 'campaignChannel'],
  campaign_code: ['campaign'],
  campaign_type_code: ['campaignType'],
  status_code: ['campaignStatus'],
  type_code: ['campaignType', 'milestoneType'],
  // Ids are per table: a campaign template's id may well be a milestone template id of another tenant.
  template_id: ['milestoneTemplate'],
  // A lead's own external code (queryRefOf: the row's lead_code, not its id).
  lead_code: ['lead'],
};

/**
 * The value a query filter `name` takes to name this row of `kind`: the row's own field of that name
 * when it has one (a lead's `lead_code`), else what names the row elsewhere (KINDS[kind].ref).
 */
export const queryRefOf = (kind: KindName, row: Params, name: string): string | number => row[name] ?? KINDS[kind].ref(row);

/** What the read matrix knows of tenant A before A's rows exist: its tag, from which every code of A's world is made. */
export interface Probe {
  tagA: string;
}

/** The audit log's entity types (AuditLogService callers): a filter by each is a read of the matrix. */
export const AUDIT_ENTITY_TYPES = [
  'lead_source',
  'lead_subsource',
  'subsource_cost',
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
  'attribution_rule',
];

/**
 * Values for the free-text query parameters (no enum, no format, not a reference), chosen to match
 * tenant A's rows: a filter that lets another tenant's rows through then shows them to B. A new
 * free-text parameter without an entry here is a coverage gap.
 */
export const QUERY_VALUES: Record<string, (p: Probe) => string[]> = {
  // A's codes and names all contain its tag; every source's name ends in "source".
  search: ({ tagA }) => [tagA, tagA.toLowerCase(), 'source', '%', '_'],
  entity_type: () => AUDIT_ENTITY_TYPES,
  // A's lead source (buildWorld: the first kind gets the tag's letter A) and a seeded code A writes.
  entity_key: ({ tagA }) => [`${tagA}A_SRC`, 'WEBSITE', 'EMAIL'],
};

type QueryValue = string | number | boolean;

/**
 * The query strings the read matrix sends to a GET, generated from the parameters the document
 * declares: the base page (limit 500), then for each parameter each value that could let more rows
 * through: both booleans, every enum value, each date alone and the dates together (a range that
 * covers the worlds' rows), offsets 0 and 1, a number parameter's minimum and the next value, the
 * free-text values of QUERY_VALUES, and both include_* flags at once. References are handled by the
 * caller (they name a world's rows). Throws on a parameter it has no rule for (coverageGaps too).
 */
export function queryVariants(op: Operation, probe: Probe): Record<string, QueryValue>[] {
  const has = (name: string) => op.query.some((q) => q.name === name);
  const base: Record<string, QueryValue> = has('limit') ? { limit: 500 } : {};
  const variants: Record<string, QueryValue>[] = [base];
  const dates: Record<string, string> = {};
  for (const q of op.query) {
    if (q.name === 'limit' || QUERY_REFERENCES[q.name]) continue;
    const values = queryValuesOf(q, probe);
    if (!values) throw new Error(`${op.key}: no rule for the query parameter ${q.name} (QUERY_VALUES)`);
    for (const value of values) variants.push({ ...base, [q.name]: value });
    if (q.schema.format === 'date') dates[q.name] = values[0] as string;
  }
  if (Object.keys(dates).length > 1) variants.push({ ...base, ...dates });
  if (has('include_inactive') && has('include_deleted')) variants.push({ ...base, include_inactive: true, include_deleted: true });
  if (has('interval') && has('start_date')) variants.push({ interval: 'month', start_date: utcDay(-60), end_date: utcDay(0) });
  return variants;
}

function queryValuesOf(q: QueryParam, probe: Probe): QueryValue[] | undefined {
  const s = q.schema;
  if (QUERY_VALUES[q.name]) return QUERY_VALUES[q.name](probe);
  if (s.enum) return s.enum as QueryValue[];
  if (s.type === 'boolean') return [true, false];
  // Ranges that cover every row the worlds write (from 10 days back to today).
  if (s.format === 'date') return /(^|_)(to|end)(_|$)/.test(q.name) ? [utcDay(1)] : [utcDay(-40)];
  if (q.name === 'offset') return [0, 1];
  if (q.name === 'days') return [366, 1];
  if (s.type === 'number' || s.type === 'integer') return [s.minimum ?? 0, (s.minimum ?? 0) + 1];
  return undefined;
}

/**
 * For each kind whose item path the document can deactivate (POST …/deactivate, or a PATCH of is_active), delete or both: one more row of the
 * tenant made inactive and one soft-deleted, so that include_inactive / include_deleted have rows to
 * show (and to leak). Answers the kinds that got each.
 */
export async function addRetiredRows(ctx: Ctx, doc: ApiDoc): Promise<{ inactive: KindName[]; deleted: KindName[] }> {
  const done = { inactive: [] as KindName[], deleted: [] as KindName[] };
  const hasOp = (method: Method, path: string) => doc.ops.some((o) => o.method === method && o.path === path);
  for (const [i, kind] of KIND_NAMES.entries()) {
    const template = KINDS[kind].templates[0];
    const letter = String.fromCharCode(65 + i);
    const patch = doc.ops.find((o) => o.method === 'PATCH' && o.path === template);
    // The flag is `is_active` on configuration rows, `active` on webhook subscriptions (their contract).
    const flag = ['is_active', 'active'].find((name) => patch?.body && doc.resolve(patch.body.schema).properties?.[name]);
    if (hasOp('POST', `${template}/deactivate`) || flag) {
      const row = await KINDS[kind].create({ ...ctx, tag: `${ctx.tag}I${letter}` });
      const url = fillPath(template, row);
      ok(hasOp('POST', `${template}/deactivate`) ? await ctx.c.post(`${url}/deactivate`) : await ctx.c.patch(url, { [flag!]: false }), 200);
      done.inactive.push(kind);
    }
    if (hasOp('DELETE', template)) {
      const row = await KINDS[kind].create({ ...ctx, tag: `${ctx.tag}D${letter}` });
      ok(await ctx.c.delete(fillPath(template, row)), 204);
      done.deleted.push(kind);
    }
  }
  return done;
}

/** A reference field found in a body schema: where it sits in the body, and its classification key. */
export interface BodyField {
  /** Property path; `*` stands for every element of an array. */
  path: string[];
  key: string;
  schema: Schema;
}

/** Every property of a body schema, nested objects and arrays of objects included. */
export function bodyFields(doc: ApiDoc, name: string, schema: Schema, prefix: string[] = []): BodyField[] {
  const out: BodyField[] = [];
  for (const [prop, raw] of Object.entries(schema.properties ?? {})) {
    const s = doc.resolve(raw);
    out.push({ path: [...prefix, prop], key: `${name}.${prop}`, schema: s });
    const item = s.type === 'array' && s.items ? s.items : undefined;
    if (item?.$ref) out.push(...bodyFields(doc, item.$ref.replace('#/components/schemas/', ''), doc.resolve(item), [...prefix, prop, '*']));
    else if (raw.$ref) out.push(...bodyFields(doc, raw.$ref.replace('#/components/schemas/', ''), s, [...prefix, prop]));
  }
  return out;
}

/** Sets a value at a BodyField path in a copy of the body; `*` applies to each element present. */
export function withField(body: unknown, path: string[], value: unknown): unknown {
  if (path.length === 0) return value;
  const [head, ...rest] = path;
  if (head === '*') return Array.isArray(body) ? body.map((item) => withField(item, rest, value)) : body;
  if (Array.isArray(body) && /^\d+$/.test(head)) return body.map((item, i) => (i === Number(head) ? withField(item, rest, value) : item));
  const obj = (body ?? {}) as Record<string, unknown>;
  // An array of objects the body lacks gets one element to carry the field.
  const current = obj[head] === undefined && rest[0] === '*' ? [{}] : obj[head];
  return { ...obj, [head]: withField(current, rest, value) };
}

// ---------------------------------------------------------------------------------------------
// Roles (API.md §1), by path: never read from the code's own @Roles declarations.

export const ALL_ROLES: Role[] = ['admin', 'manager', 'agent', 'viewer'];
const CONFIGURATION = [
  'lead-sources',
  'lead-channels',
  'milestone-types',
  'milestone-templates',
  'campaign-types',
  'campaign-channels',
  'campaign-statuses',
  'campaign-budget-types',
  'campaign-templates',
];
const FACTS = ['leads', 'milestones', 'lead-milestones'];
const CAMPAIGNS = ['campaigns'];

/**
 * Who may call an operation, per API.md §1: every GET is open to all four roles, except the audit log
 * and webhook subscriptions (admin, every verb); `restore` is admin; writes on configuration need admin or manager; writes on leads and lead
 * milestones admin, manager or agent; writes on campaigns and their metrics admin or manager; writes on
 * attribution rules, and their dry-run, admin (API.md §3).
 * `undefined` when no rule fits the path: the role matrix fails on it.
 */
export function expectedRoles(method: Method, path: string): Role[] | undefined {
  const first = segments(path)[0];
  if (first === 'audit-log' || first === 'webhook-subscriptions') return ['admin'];
  if (method === 'GET') return ALL_ROLES;
  if (first === 'settings') return ['admin'];
  if (/\/restore$/.test(path)) return ['admin'];
  if (first === 'attribution-rules') return ['admin'];
  if (CONFIGURATION.includes(first)) return ['admin', 'manager'];
  if (FACTS.includes(first)) return ['admin', 'manager', 'agent'];
  if (CAMPAIGNS.includes(first)) return ['admin', 'manager'];
  return undefined;
}

/** `include_deleted=true` needs admin (API.md §1) on every route that takes it. */
export const PRIVILEGED_QUERY: Record<string, Role[]> = { include_deleted: ['admin'] };

// ---------------------------------------------------------------------------------------------

/** One row of every kind (and facts that tie them together), owned by the tenant of `ctx.c`. */
export type World = Record<KindName, Params>;

export async function buildWorld(ctx: Ctx): Promise<World> {
  const world = {} as World;
  // Each tenant its own days: a zone where the facts below fall on other days than in UTC (+14:00, or −04:00/−05:00),
  // applied before the facts so that every read after this sees the tenant's days only.
  const zone = ctx.tag.startsWith('B') ? 'America/New_York' : 'Pacific/Kiritimati';
  await setSettings(ctx.c, { time_zone: zone, week_start: ctx.tag.startsWith('B') ? 'sunday' : 'saturday' });
  for (const [i, kind] of KIND_NAMES.entries()) world[kind] = await KINDS[kind].create({ ...ctx, tag: `${ctx.tag}${String.fromCharCode(65 + i)}` });
  // Facts across the private rows, so that analytics by those codes have something to count.
  const lead = ok(
    await ctx.c.post('/leads', {
      source_code: world.subsource.source_code,
      sub_source_code: world.subsource.sub_source_code,
      channel_code: world.leadChannel.channel_code,
      campaign_code: world.campaign.campaign_code,
      status: 'qualified',
      expected_value: 300,
      created_at: `${utcDay(-3)}T12:00:00.000Z`,
    }),
    201,
  );
  ok(await ctx.c.post(`/milestones/${lead.id}`, { milestone_type_code: world.milestoneType.type_code, achieved_date: utcDay(0) }), 201);
  // Touches: a lead that came from one (its codes from a rule, or UNMAPPED), and a later touch of the lead above,
  // so that every attribution model has credits of A's to keep from B.
  ok(
    await ctx.c.post('/leads', {
      touch: { utm_source: `${ctx.tag.toLowerCase()}-visit`, occurred_at: `${utcDay(-2)}T08:00:00.000Z` },
      created_at: `${utcDay(-2)}T09:00:00.000Z`,
    }),
    201,
  );
  ok(await ctx.c.post(`/leads/${lead.id}/touches`, { utm_source: 'newsletter', utm_medium: 'email', occurred_at: `${utcDay(-1)}T10:00:00.000Z` }), 201);
  ok(await ctx.c.post(`/leads`, { source_code: world.leadSource.source_code, status: 'lost' }), 201);
  ok(
    await ctx.c.post(`/campaigns/${world.campaign.campaign_code}/metrics/bulk`, {
      metrics: [{ channel_code: 'EMAIL', metric_date: utcDay(-2), impressions: 7, spend: 3 }],
    }),
    200,
    201,
  );
  const campaignOnPrivateRows = `${ctx.tag}_PCMP`;
  ok(
    await ctx.c.post('/campaigns', {
      campaign_code: campaignOnPrivateRows,
      campaign_name: 'On private rows',
      campaign_type_code: world.campaignType.type_code,
      start_date: utcDay(-4),
      budget: 300,
      channels: [{ channel_code: world.campaignChannel.channel_code, allocated_budget: 300 }],
    }),
    201,
  );
  ok(
    await ctx.c.put(`/campaigns/${campaignOnPrivateRows}/metrics`, {
      channel_code: world.campaignChannel.channel_code,
      metric_date: utcDay(-1),
      impressions: 80,
      clicks: 8,
      spend: 40,
    }),
    200,
    201,
  );
  return world;
}

/** Everything in the tables above that the document needs but the tables lack. */
export function coverageGaps(doc: ApiDoc): string[] {
  const gaps: string[] = [];
  for (const op of doc.ops) {
    const kind = kindOf(op);
    if (kind === null) gaps.push(`${op.key}: no KINDS entry addresses {${op.params.join('}, {')}}`);
    if (op.body && !BODIES[op.body.name]) gaps.push(`${op.key}: no BODIES entry for ${op.body.name}`);
    if (op.body) {
      for (const f of bodyFields(doc, op.body.name, op.body.schema)) {
        if (REFERENCE_NAME.test(f.path[f.path.length - 1]) && !REFERENCES[f.key]) gaps.push(`${op.key}: REFERENCES does not classify ${f.key}`);
      }
    }
    for (const q of op.query) {
      if (REFERENCE_NAME.test(q.name) && !QUERY_REFERENCES[q.name]) gaps.push(`${op.key}: QUERY_REFERENCES does not classify ?${q.name}`);
      else if (q.name !== 'limit' && !QUERY_REFERENCES[q.name] && !queryValuesOf(q, { tagA: 'A' }))
        gaps.push(`${op.key}: QUERY_VALUES has no values for ?${q.name}`);
    }
    if (!expectedRoles(op.method, op.path)) gaps.push(`${op.key}: no role rule of API.md §1 fits this path`);
  }
  return [...new Set(gaps)];
}

/** A tag for new codes: a letter, then upper-case hex. */
let counter = 0;
export const newTag = (prefix = 'T') => `${prefix}${Date.now().toString(36).toUpperCase().slice(-4)}${(counter++).toString(36).toUpperCase()}`;
