import { Client, startTestApi, TestApi } from '../support/app';
import { fieldsOf } from '../support/problems';
import { ok } from '../support/responses';
import { newTenantId } from '../support/tenants';

// The largest bodies of every resource (5,000-lead bulks, 16 KiB texts): up to 226 s a test on
// MariaDB and 78 s on SQLite on two busy cores, where one even passed 180 s.
jest.setTimeout(900_000);

/**
 * The largest body every write route accepts, sent to the real app on the engine under test: every
 * string at its longest, every list at its longest, every JSON object at 16 KiB serialized, every
 * number at its maximum. The DTO validators are the limits; whatever they accept must be stored
 * (2xx), answered back as sent, and audited (the audit entry holds the before and after of every
 * field, so it is the largest value a write stores). Strings are made of one character repeated: a
 * 4-byte UTF-8 character (what a VARCHAR or TEXT column holds least of), then a character JSON
 * escapes: in text a quote (two bytes in an audit entry; text refuses control characters), in JSON
 * objects a control character (six bytes: what a JSON column holds least of).
 *
 * On SQLite nothing has a byte limit; on MySQL/MariaDB a TEXT column holds 65,535 bytes, and a value
 * past its column's size must never be a 500.
 */
const MONEY_MAX = 999_999_999_999;
const COUNT_MAX = 2_147_483_647;
const ORDER_MAX = 1_000_000;

/** [name, the filler of text fields, the filler of JSON objects]. */
const FILLERS: [string, string, string][] = [
  ['4-byte characters', '\u{1F600}', '\u{1F600}'],
  ['characters JSON escapes (quotes in text, control characters in JSON objects)', '"', '\u0001'],
];
/** Document URLs are URLs whatever the variant: a quote is not allowed in one. */
const URL_FILL = '\u{1F600}';

/** `n` characters: `head` (ASCII, to tell bodies apart) then the filler. */
const text = (n: number, fill: string, head = '') => head + fill.repeat(n - [...head].length);

/** A 50-character code, distinct per `i` and `tag`. */
const code = (tag: string, i = 0) => `${tag}${String(i).padStart(3, '0')}`.padEnd(50, 'Z').slice(0, 50);

/** A JSON object whose serialization is exactly `bytes` bytes of UTF-8 (16 KiB: the largest accepted). */
function jsonObject(fill: string, tag: string, bytes = 16 * 1024): Record<string, unknown> {
  const out: Record<string, string> = { tag };
  const size = () => Buffer.byteLength(JSON.stringify(out), 'utf8');
  out.v = '';
  const unit = Buffer.byteLength(JSON.stringify(fill), 'utf8') - 2;
  while (size() + unit <= bytes) out.v += fill;
  while (size() < bytes) out.v += 'x';
  if (size() !== bytes) throw new Error(`jsonObject: ${size()} bytes`);
  return out;
}

/** Every sent field (but the `except` ones) comes back as sent. */
function expectEcho(answer: Record<string, unknown>, sent: Record<string, unknown>, except: string[] = []) {
  for (const [key, value] of Object.entries(sent)) {
    if (except.includes(key)) continue;
    expect({ [key]: answer[key] }).toEqual({ [key]: value });
  }
}

describe.each(FILLERS)('the largest accepted bodies, in %s', (_name, fill, jsonFill) => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(() => api.close());

  let c: Client;
  beforeEach(() => {
    c = api.as({ tenant: newTenantId('big'), role: 'admin', sub: 'u'.repeat(128) });
  });

  /** The newest audit entry of a row: its action, and each listed field's after-value as sent. */
  async function expectAudited(entityType: string, key: string | number, action: string, sent: Record<string, unknown>, fields: string[]) {
    const [entry] = ok(await c.get('/audit-log', { query: { entity_type: entityType, entity_key: String(key), limit: 1 } })).data;
    expect(entry).toMatchObject({ action, entity_type: entityType, entity_key: String(key) });
    for (const f of fields) expect({ [f]: entry.changes[f]?.[1] }).toEqual({ [f]: sent[f] });
  }

  /** The descriptive fields every configuration row has, at their longest. */
  const described = (tag: string) => ({ description: text(2000, fill, tag), icon: text(100, fill, tag) });

  it('lead sources, subsources and lead channels: create, replace every field, delete and restore', async () => {
    const source = {
      source_code: code('SRC'),
      source_name: text(100, fill, 'n1'),
      source_type: 'partner',
      ...described('d1'),
      color_hex: '#ABCDEF',
      display_order: ORDER_MAX,
      is_active: true,
      is_default: true,
      metadata: jsonObject(jsonFill, 'm1'),
    };
    expectEcho(ok(await c.post('/lead-sources', source), 201), source);
    await expectAudited('lead_source', source.source_code, 'create', source, ['source_name', 'description', 'metadata']);
    const { source_code: sourceCode, ...rest } = source;
    const patch = { ...rest, source_name: text(100, fill, 'n2'), ...described('d2'), metadata: jsonObject(jsonFill, 'm2'), is_default: false };
    expectEcho(ok(await c.patch(`/lead-sources/${sourceCode}`, patch)), patch);
    await expectAudited('lead_source', sourceCode, 'update', patch, ['source_name', 'description', 'icon', 'metadata']);

    const sub = {
      sub_source_code: code('SUB'),
      sub_source_name: text(100, fill, 's1'),
      ...described('d3'),
      display_order: ORDER_MAX,
      is_active: true,
      cost_per_lead: MONEY_MAX,
      metadata: jsonObject(jsonFill, 'm3'),
    };
    expectEcho(ok(await c.post(`/lead-sources/${sourceCode}/subsources`, sub), 201), sub);
    const subKey = `${sourceCode}/${sub.sub_source_code}`;
    await expectAudited('lead_subsource', subKey, 'create', sub, ['sub_source_name', 'description', 'metadata']);
    const { sub_source_code: subCode, ...subRest } = sub;
    const subPatch = {
      ...subRest,
      sub_source_name: text(100, fill, 's2'),
      ...described('d4'),
      cost_per_lead: MONEY_MAX - 0.01,
      metadata: jsonObject(jsonFill, 'm4'),
    };
    expectEcho(ok(await c.patch(`/lead-sources/${sourceCode}/subsources/${subCode}`, subPatch)), subPatch);
    await expectAudited('lead_subsource', subKey, 'update', subPatch, ['sub_source_name', 'description', 'metadata']);

    // A delete cascades (source and subsource entries hold their whole rows); a restore brings both back.
    ok(await c.delete(`/lead-sources/${sourceCode}`), 204);
    await expectAudited('lead_subsource', subKey, 'delete', {}, []);
    expectEcho(ok(await c.post(`/lead-sources/${sourceCode}/restore`)), patch);
    await expectAudited('lead_source', sourceCode, 'restore', {}, []);

    const channel = { channel_code: code('LCH'), channel_name: text(100, fill, 'c1'), ...described('d5'), display_order: ORDER_MAX, is_active: true };
    expectEcho(ok(await c.post('/lead-channels', channel), 201), channel);
    const { channel_code: channelCode, ...channelRest } = channel;
    const channelPatch = { ...channelRest, channel_name: text(100, fill, 'c2'), ...described('d6') };
    expectEcho(ok(await c.patch(`/lead-channels/${channelCode}`, channelPatch)), channelPatch);
    await expectAudited('lead_channel', channelCode, 'update', channelPatch, ['channel_name', 'description', 'icon']);
  });

  it('leads: a single lead, a PATCH of every field, and 5,000 leads in one bulk', async () => {
    ok(await c.post('/lead-sources', { source_code: code('SRC'), source_name: 'Source', source_type: 'event' }), 201);
    ok(await c.post(`/lead-sources/${code('SRC')}/subsources`, { sub_source_code: code('SUB'), sub_source_name: 'Sub' }), 201);
    ok(await c.post('/lead-channels', { channel_code: code('LCH'), channel_name: 'Channel' }), 201);
    ok(await c.post('/campaign-channels', { channel_code: code('CCH'), channel_name: 'Channel' }), 201);
    ok(await c.post('/campaigns', { campaign_code: code('CMP'), campaign_name: 'Campaign', campaign_type_code: 'EMAIL_BLAST', start_date: '2026-01-01' }), 201);
    const lead = (i: number) => ({
      lead_code: `${String(i).padStart(5, '0')}${'~'.repeat(95)}`,
      source_code: code('SRC'),
      sub_source_code: code('SUB'),
      channel_code: code('LCH'),
      campaign_code: code('CMP'),
      status: 'converted',
      expected_value: MONEY_MAX,
      converted_value: MONEY_MAX,
      acquisition_cost: MONEY_MAX,
      created_at: '2026-01-02T03:04:05.678Z',
      contacted_at: '2026-01-03T03:04:05.678Z',
      qualified_at: '2026-01-04T03:04:05.678Z',
      converted_at: '2026-01-05T03:04:05.678Z',
      lost_at: '2026-01-06T03:04:05.678Z',
    });
    const one = lead(99_999);
    const created = ok(await c.post('/leads', one), 201);
    expectEcho(created, one);
    await expectAudited('lead', created.id, 'create', one, ['lead_code', 'expected_value', 'converted_at']);
    const { created_at: _fixed, ...patch } = { ...lead(99_998), status: 'lost', expected_value: MONEY_MAX - 0.01 };
    expectEcho(ok(await c.patch(`/leads/${created.id}`, patch)), patch);
    await expectAudited('lead', created.id, 'update', patch, ['lead_code', 'status', 'expected_value']);

    const leads = Array.from({ length: 5000 }, (_, i) => lead(i));
    const bulk = ok(await c.post('/leads/bulk', { leads }), 201);
    expect(bulk.created).toBe(5000);
    bulk.data.forEach((answer: Record<string, unknown>, i: number) => expectEcho(answer, leads[i]));
    await expectAudited('lead', bulk.data[4999].id, 'create', leads[4999], ['lead_code', 'acquisition_cost']);
  });

  it('milestone types and templates: 50 types of 50-character codes, a template of all 50, replaced', async () => {
    const types = Array.from({ length: 50 }, (_, i) => code('MT', i));
    for (const [i, typeCode] of types.entries()) {
      const type = {
        type_code: typeCode,
        type_name: text(100, fill, `t${i}`),
        category: 'decision',
        ...described(`d${i}`),
        color_hex: '#123456',
        display_order: ORDER_MAX,
        is_active: true,
        is_required: true,
        is_mandatory: true,
        typical_duration_days: 3650,
        sla_days: 3650,
        allows_attachment: true,
        allows_location: true,
        allows_notes: true,
        metadata: jsonObject(jsonFill, `m${i}`),
      };
      expectEcho(ok(await c.post('/milestone-types', type), 201), type);
      if (i > 0) continue;
      const { type_code: _code, ...rest } = type;
      const patch = { ...rest, type_name: text(100, fill, 'T'), ...described('D'), metadata: jsonObject(jsonFill, 'M') };
      expectEcho(ok(await c.patch(`/milestone-types/${typeCode}`, patch)), patch);
      await expectAudited('milestone_type', typeCode, 'update', patch, ['type_name', 'description', 'metadata']);
    }
    const template = {
      template_name: text(100, fill, 'p1'),
      template_type: 'custom',
      description: text(2000, fill, 'p1'),
      is_active: true,
      is_default: true,
      sequence: types,
      estimated_days: 100_000,
    };
    const stored = ok(await c.post('/milestone-templates', template), 201);
    expectEcho(stored, template);
    await expectAudited('milestone_template', stored.id, 'create', template, ['template_name', 'description', 'sequence']);
    const patch = { ...template, template_name: text(100, fill, 'p2'), description: text(2000, fill, 'p2'), sequence: [...types].reverse() };
    expectEcho(ok(await c.patch(`/milestone-templates/${stored.id}`, patch)), patch);
    await expectAudited('milestone_template', stored.id, 'update', patch, ['template_name', 'description', 'sequence']);
  });

  it('lead milestones: notes, location, 20 documents of 2,000 characters and metadata; a PATCH of every editable field', async () => {
    // A document URL has at most 2,000 characters and (validator's isURL) at most 2,084 UTF-16 units.
    const url = (head: string) => {
      let out = head;
      while ([...out].length < 2000 && out.length + URL_FILL.length <= 2084) out += URL_FILL;
      return out;
    };
    const leadId = ok(await c.post('/leads', { source_code: 'WEBSITE', created_at: '2026-01-01T00:00:00Z' }), 201).id;
    const milestone = {
      milestone_type_code: 'SITE_VISIT',
      achieved_date: '9998-12-31',
      achieved_time: '23:59:59',
      status: 'completed',
      notes: text(5000, fill, 'n1'),
      location_latitude: -89.999999,
      location_longitude: 179.999999,
      location_name: text(200, fill, 'l1'),
      duration_minutes: 1_000_000,
      outcome: 'positive',
      follow_up_required: true,
      follow_up_date: '9998-12-31',
      document_urls: Array.from({ length: 20 }, (_, i) => url(`https://docs.example.com/${String(i).padStart(2, '0')}/`)),
      metadata: jsonObject(jsonFill, 'm1'),
    };
    const stored = ok(await c.post(`/milestones/${leadId}`, milestone), 201);
    expectEcho(stored, milestone, ['milestone_type_code']);
    expect(stored.type_code).toBe('SITE_VISIT');
    await expectAudited('lead_milestone', stored.id, 'create', milestone, ['notes', 'document_urls', 'metadata']);
    const patch = {
      achieved_date: '9998-12-30',
      achieved_time: '00:00:01',
      status: 'in_progress',
      outcome: 'negative',
      notes: text(5000, fill, 'n2'),
      follow_up_required: false,
      follow_up_date: '1900-01-01',
    };
    expectEcho(ok(await c.patch(`/lead-milestones/${stored.id}`, patch)), patch);
    await expectAudited('lead_milestone', stored.id, 'update', patch, ['notes', 'status']);
    ok(await c.delete(`/lead-milestones/${stored.id}`), 204);
    await expectAudited('lead_milestone', stored.id, 'delete', {}, []);
  });

  it('campaign types, channels, statuses and budget types at their largest', async () => {
    const type = {
      type_code: code('CT'),
      type_name: text(100, fill, 'y1'),
      ...described('d1'),
      color_hex: '#FEDCBA',
      display_order: ORDER_MAX,
      is_active: true,
      is_default: true,
      typical_duration_days: 3660,
      min_budget: 0,
      max_budget: MONEY_MAX,
      recommended_budget: MONEY_MAX,
      metadata: jsonObject(jsonFill, 'm1'),
    };
    expectEcho(ok(await c.post('/campaign-types', type), 201), type);
    const { type_code: typeCode, ...typeRest } = type;
    const typePatch = {
      ...typeRest,
      type_name: text(100, fill, 'y2'),
      ...described('d2'),
      recommended_budget: MONEY_MAX - 0.01,
      metadata: jsonObject(jsonFill, 'm2'),
    };
    expectEcho(ok(await c.patch(`/campaign-types/${typeCode}`, typePatch)), typePatch);
    await expectAudited('campaign_type', typeCode, 'update', typePatch, ['type_name', 'description', 'metadata']);

    const channel = {
      channel_code: code('CC'),
      channel_name: text(100, fill, 'h1'),
      ...described('d3'),
      display_order: ORDER_MAX,
      is_active: true,
      is_default: true,
      average_cpl: MONEY_MAX,
      average_cpm: MONEY_MAX,
      average_roi: MONEY_MAX,
      integration_key: text(2048, fill, 'k1'),
      integration_data: jsonObject(jsonFill, 'i1'),
    };
    const storedChannel = ok(await c.post('/campaign-channels', channel), 201);
    expectEcho(storedChannel, channel, ['integration_key']);
    expect(storedChannel).toMatchObject({ integration_key_set: true, integration_key_last4: fill.repeat(4) });
    const { channel_code: channelCode, ...channelRest } = channel;
    const channelPatch = {
      ...channelRest,
      channel_name: text(100, fill, 'h2'),
      ...described('d4'),
      integration_key: text(2048, fill, 'k2'),
      integration_data: jsonObject(jsonFill, 'i2'),
    };
    expectEcho(ok(await c.patch(`/campaign-channels/${channelCode}`, channelPatch)), channelPatch, ['integration_key']);
    await expectAudited('campaign_channel', channelCode, 'update', channelPatch, ['channel_name', 'description', 'integration_data']);

    // 50 statuses of 50-character codes; the first may move to every other one.
    const statuses = Array.from({ length: 50 }, (_, i) => code('ST', i));
    for (const [i, statusCode] of [...statuses.entries()].reverse()) {
      const status = {
        status_code: statusCode,
        status_name: text(100, fill, `s${i}`),
        description: text(2000, fill, `s${i}`),
        color_hex: '#000000',
        display_order: ORDER_MAX,
        is_active: true,
        is_initial: false,
        is_final: false,
        allows_editing: true,
        allowed_transitions: i === 0 ? statuses.slice(1) : [],
      };
      expectEcho(ok(await c.post('/campaign-statuses', status), 201), status);
    }
    const statusPatch = { status_name: text(100, fill, 'S'), description: text(2000, fill, 'S'), allowed_transitions: statuses.slice(1).reverse() };
    expectEcho(ok(await c.patch(`/campaign-statuses/${statuses[0]}`, statusPatch)), statusPatch);
    await expectAudited('campaign_status', statuses[0], 'update', statusPatch, ['status_name', 'description', 'allowed_transitions']);

    const budgetType = {
      budget_type_code: code('BT'),
      budget_type_name: text(100, fill, 'b1'),
      description: text(2000, fill, 'b1'),
      display_order: ORDER_MAX,
      is_active: true,
    };
    expectEcho(ok(await c.post('/campaign-budget-types', budgetType), 201), budgetType);
    const budgetPatch = { budget_type_name: text(100, fill, 'b2'), description: text(2000, fill, 'b2') };
    expectEcho(ok(await c.patch(`/campaign-budget-types/${budgetType.budget_type_code}`, budgetPatch)), budgetPatch);
    await expectAudited('campaign_budget_type', budgetType.budget_type_code, 'update', budgetPatch, ['budget_type_name', 'description']);
  });

  it('campaign templates and campaigns: 50 channels, 16 KiB audiences and 50 KPIs, replaced; instantiation; metrics', async () => {
    const typeCode = code('CT');
    ok(await c.post('/campaign-types', { type_code: typeCode, type_name: 'Type', max_budget: MONEY_MAX }), 201);
    ok(await c.post('/campaign-budget-types', { budget_type_code: code('BT'), budget_type_name: 'Budget' }), 201);
    const channels = Array.from({ length: 50 }, (_, i) => code('CC', i));
    for (const channelCode of channels) ok(await c.post('/campaign-channels', { channel_code: channelCode, channel_name: 'Channel' }), 201);
    const kpis = (tag: string) => Array.from({ length: 50 }, (_, i) => text(100, fill, `${tag}${i}`));

    const template = {
      template_name: text(100, fill, 'p1'),
      campaign_type_code: typeCode,
      description: text(2000, fill, 'p1'),
      default_channels: channels,
      default_budget: MONEY_MAX,
      default_budget_type_code: code('BT'),
      default_duration_days: 3660,
      target_audience: jsonObject(jsonFill, 'a1'),
      kpis: kpis('k1'),
      is_active: true,
      is_default: true,
    };
    const storedTemplate = ok(await c.post('/campaign-templates', template), 201);
    expectEcho(storedTemplate, template);
    await expectAudited('campaign_template', storedTemplate.id, 'create', template, ['description', 'target_audience', 'kpis']);
    const templatePatch = {
      ...template,
      template_name: text(100, fill, 'p2'),
      description: text(2000, fill, 'p2'),
      default_channels: [...channels].reverse(),
      default_budget: MONEY_MAX - 0.01,
      target_audience: jsonObject(jsonFill, 'a2'),
      kpis: kpis('k2'),
    };
    expectEcho(ok(await c.patch(`/campaign-templates/${storedTemplate.id}`, templatePatch)), templatePatch);
    await expectAudited('campaign_template', storedTemplate.id, 'update', templatePatch, ['description', 'target_audience', 'kpis', 'default_channels']);

    const campaign = {
      campaign_code: code('CMP', 1),
      campaign_name: text(100, fill, 'c1'),
      campaign_type_code: typeCode,
      status_code: 'DRAFT',
      budget_type_code: code('BT'),
      budget: MONEY_MAX,
      start_date: '1900-01-01',
      end_date: '9998-12-31',
      channels: channels.map((channel_code) => ({ channel_code, allocated_budget: MONEY_MAX })),
      target_audience: jsonObject(jsonFill, 'a3'),
      kpis: kpis('k3'),
    };
    expectEcho(ok(await c.post('/campaigns', campaign), 201), campaign);
    await expectAudited('campaign', campaign.campaign_code, 'create', campaign, ['campaign_name', 'target_audience', 'kpis', 'channels']);
    // The PATCH of issue 15: a 16 KiB target_audience and 50 KPIs replaced, with everything else.
    const { campaign_code: campaignCode, status_code: _status, ...rest } = campaign;
    const patch = {
      ...rest,
      campaign_name: text(100, fill, 'c2'),
      budget: MONEY_MAX - 0.01,
      channels: [...channels].reverse().map((channel_code) => ({ channel_code, allocated_budget: MONEY_MAX - 0.01 })),
      target_audience: jsonObject(jsonFill, 'a4'),
      kpis: kpis('k4'),
    };
    const patched = ok(await c.patch(`/campaigns/${campaignCode}`, patch));
    expectEcho(patched, patch, ['channels']);
    expect(new Set(patched.channels.map(JSON.stringify))).toEqual(new Set(patch.channels.map((ch) => JSON.stringify(ch))));
    await expectAudited('campaign', campaignCode, 'update', patch, ['campaign_name', 'target_audience', 'kpis']);

    const instantiated = {
      campaign_code: code('CMP', 2),
      campaign_name: text(100, fill, 'c3'),
      start_date: '1900-01-01',
      end_date: '9998-12-31',
      budget: MONEY_MAX,
      budget_type_code: code('BT'),
      channels: channels.map((channel_code) => ({ channel_code, allocated_budget: MONEY_MAX })),
      target_audience: jsonObject(jsonFill, 'a5'),
      kpis: kpis('k5'),
    };
    expectEcho(ok(await c.post(`/campaign-templates/${storedTemplate.id}/instantiate`, instantiated), 201), instantiated);
    await expectAudited('campaign', instantiated.campaign_code, 'create', instantiated, ['target_audience', 'kpis']);

    // Metrics at their largest: every count at its maximum; money as large as the campaign's totals
    // allow (at most 9,999,999,999,999.99 over all its rows).
    const row = {
      channel_code: channels[0],
      metric_date: '9998-12-31',
      impressions: COUNT_MAX,
      clicks: COUNT_MAX,
      leads_generated: COUNT_MAX,
      conversions: COUNT_MAX,
      spend: MONEY_MAX,
      revenue: MONEY_MAX,
    };
    expectEcho(ok(await c.put(`/campaigns/${campaignCode}/metrics`, row), 201), row);
    await expectAudited('campaign_metric', `${campaignCode}/${row.channel_code}/${row.metric_date}`, 'create', row, ['impressions', 'spend']);
    const money = 1_999_999_999.99;
    const rows = channels.flatMap((channel_code) =>
      Array.from({ length: 100 }, (_, d) => ({
        channel_code,
        metric_date: new Date(Date.UTC(2026, 0, 1 + d)).toISOString().slice(0, 10),
        impressions: COUNT_MAX,
        clicks: COUNT_MAX,
        leads_generated: COUNT_MAX,
        conversions: COUNT_MAX,
        spend: money,
        revenue: money,
      })),
    );
    expect(ok(await c.post(`/campaigns/${instantiated.campaign_code}/metrics/bulk`, { metrics: rows }))).toMatchObject({ written: 5000, created: 5000 });
    const last = rows[4999];
    await expectAudited('campaign_metric', `${instantiated.campaign_code}/${last.channel_code}/${last.metric_date}`, 'create', last, ['clicks', 'revenue']);

    expect(ok(await c.post(`/campaigns/${campaignCode}/transition`, { status_code: 'ACTIVE' }))).toMatchObject({ status_code: 'ACTIVE' });
    await expectAudited('campaign', campaignCode, 'transition', { status_code: 'ACTIVE' }, ['status_code']);
    ok(await c.delete(`/campaigns/${campaignCode}`), 204);
    await expectAudited('campaign', campaignCode, 'delete', {}, []);
    expectEcho(ok(await c.post(`/campaigns/${campaignCode}/restore`)), patch, ['channels']);
    await expectAudited('campaign', campaignCode, 'restore', {}, []);
  });
});

/**
 * Lengths count code points, as the database does: a variation selector (U+FE0F) is a character, so a
 * string one character over the limit is refused even when most of it is variation selectors
 * (class-validator's Length and MaxLength count them as nothing).
 */
describe('lengths past the limit, in code points', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(() => api.close());

  const over = (limit: number, head = 'a') => head + '\uFE0F'.repeat(limit + 1 - head.length);

  it('refuses a KPI, an integration key and a document URL one character too long', async () => {
    const c = api.as({ tenant: newTenantId(), role: 'admin' });
    const kpi = await c.post('/campaigns', {
      campaign_code: 'C',
      campaign_name: 'C',
      campaign_type_code: 'EMAIL_BLAST',
      start_date: '2026-01-01',
      kpis: [over(100)],
    });
    expect([kpi.statusCode, fieldsOf(kpi)]).toEqual([400, ['kpis']]);
    const key = await c.post('/campaign-channels', { channel_code: 'X', channel_name: 'X', integration_key: over(2048, 'secret') });
    expect([key.statusCode, fieldsOf(key)]).toEqual([400, ['integration_key']]);
    const leadId = ok(await c.post('/leads', { source_code: 'WEBSITE', created_at: '2026-01-01T00:00:00Z' }), 201).id;
    const doc = await c.post(`/milestones/${leadId}`, {
      milestone_type_code: 'SITE_VISIT',
      achieved_date: '2026-01-02',
      document_urls: [over(2000, 'https://a.example/')],
    });
    expect([doc.statusCode, fieldsOf(doc)]).toEqual([400, ['document_urls']]);
  });
});
