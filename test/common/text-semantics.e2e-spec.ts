import { startTestApi, TestApi } from '../support/app';
import { ok } from '../support/responses';
import { newTenantId } from '../support/tenants';

/**
 * One documented meaning for text, the same answers on SQLite and on MySQL/MariaDB (docs/conventions.md, "Text,
 * codes and order"): codes and lead codes compare and sort by bytes; `search` ignores case and accents;
 * audit filters are exact; names sort by their normalized key, then code, then id. Every expectation
 * here is the same on both engines: run this file with TEST_DATABASE_URL too.
 */

interface Row {
  id: number;
  [field: string]: unknown;
}

/** Every code-addressed configuration list, with what a create needs. */
const CONFIG = [
  { path: '/lead-sources', code: 'source_code', name: 'source_name', extra: { source_type: 'event' } },
  { path: '/lead-sources/SOCIAL/subsources', code: 'sub_source_code', name: 'sub_source_name', extra: {} },
  { path: '/lead-channels', code: 'channel_code', name: 'channel_name', extra: {} },
  { path: '/milestone-types', code: 'type_code', name: 'type_name', extra: {} },
  { path: '/campaign-types', code: 'type_code', name: 'type_name', extra: {} },
  { path: '/campaign-channels', code: 'channel_code', name: 'channel_name', extra: {} },
  { path: '/campaign-statuses', code: 'status_code', name: 'status_name', extra: {} },
  { path: '/campaign-budget-types', code: 'budget_type_code', name: 'budget_type_name', extra: {} },
];

/** Names in the order their keys sort by bytes: digits, `_`, letters (case and accents ignored), then U+FFFD, then emoji. */
const NAMES_IN_ORDER = ['10', '_x', 'apple', 'Éclair', 'Zebra', '\uFFFD', '\u{1F600}'];
/** Codes in byte order: digits before upper-case letters before `_` (MariaDB's default collation puts `_` first). */
const CODES_IN_ORDER = ['A1', 'A10', 'A_1'];

/** A fixed shuffle, so that insertion order never explains the answer. */
const shuffled = <T>(items: T[]) => [...items].sort((a, b) => String(a).length - String(b).length || (String(a) < String(b) ? 1 : -1));

describe('text: one meaning on every engine', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(() => api.close());

  describe.each(CONFIG)('$path', ({ path, code, name, extra }) => {
    it('orders by display_order, then the name as its key (case and accents ignored, bytes), then the code as bytes, then id', async () => {
      const admin = api.as({ tenant: newTenantId(), role: 'admin' });
      // Same display order, different names.
      const byName = shuffled(NAMES_IN_ORDER).map((n) => ({ n, c: `N${NAMES_IN_ORDER.indexOf(n)}_X` }));
      for (const { n, c } of byName) ok(await admin.post(path, { [code]: c, [name]: n, display_order: 7, ...extra }), 201);
      // Same display order, names equal once normalized: the code decides, by bytes.
      const sameName = ['Same', 'SÂME', 'same'];
      for (const [i, c] of shuffled(CODES_IN_ORDER).entries()) ok(await admin.post(path, { [code]: c, [name]: sameName[i], display_order: 8, ...extra }), 201);

      const list = ok(await admin.get(path, { query: { limit: 500 } })).data as Row[];
      expect(list.filter((r) => r.display_order === 7).map((r) => r[name])).toEqual(NAMES_IN_ORDER);
      expect(list.filter((r) => r.display_order === 8).map((r) => r[code])).toEqual(CODES_IN_ORDER);
      // The same page holds the same rows.
      const at = list.findIndex((r) => r.display_order === 7);
      const page = ok(await admin.get(path, { query: { limit: 3, offset: at + 2 } })).data as Row[];
      expect(page.map((r) => r[name])).toEqual(NAMES_IN_ORDER.slice(2, 5));
    });
  });

  describe.each([
    { path: '/milestone-templates', extra: { template_type: 'custom', sequence: ['LEAD_GENERATED', 'CONVERTED'] } },
    { path: '/campaign-templates', extra: { campaign_type_code: 'EMAIL_BLAST' } },
  ])('$path', ({ path, extra }) => {
    it('orders by is_default desc, then the name as its key, then id', async () => {
      const admin = api.as({ tenant: newTenantId(), role: 'admin' });
      const ids = new Map<number, string>();
      for (const n of shuffled(NAMES_IN_ORDER)) ids.set(ok(await admin.post(path, { template_name: n, ...extra }), 201).id, n);
      // Equal keys: the older first.
      const first = ok(await admin.post(path, { template_name: 'same', ...extra }), 201).id;
      const second = ok(await admin.post(path, { template_name: 'SAME', ...extra }), 201).id;
      const list = ok(await admin.get(path, { query: { limit: 500 } })).data as Row[];
      expect(list.filter((r) => ids.has(r.id)).map((r) => r.template_name)).toEqual(NAMES_IN_ORDER);
      expect(list.filter((r) => r.id === first || r.id === second).map((r) => r.id)).toEqual([first, second]);
    });
  });

  it('orders analytics ties by code, as bytes (sources, campaign types and channels, milestone types)', async () => {
    const admin = api.as({ tenant: newTenantId(), role: 'admin' });
    const today = new Date().toISOString().slice(0, 10);
    for (const c of shuffled(CODES_IN_ORDER)) {
      ok(await admin.post('/lead-sources', { source_code: c, source_name: 'Tie', source_type: 'event' }), 201);
      ok(await admin.post('/leads', { source_code: c }), 201);
      ok(await admin.post('/campaign-types', { type_code: c, type_name: 'Tie' }), 201);
      ok(await admin.post('/campaign-channels', { channel_code: c, channel_name: 'Tie' }), 201);
      ok(await admin.post('/milestone-types', { type_code: c, type_name: 'Tie' }), 201);
    }
    const ours = (codes: unknown[]) => codes.filter((c) => CODES_IN_ORDER.includes(String(c)));
    const sources = ok(await admin.get('/lead-sources/analytics/performance', { query: { days: 1 } })).data as Row[];
    expect(ours(sources.map((r) => r.source_code))).toEqual(CODES_IN_ORDER);
    const trends = ok(await admin.get('/lead-sources/analytics/trends', { query: { days: 1 } })).data as Row[];
    expect(ours(trends.filter((r) => r.date === today).map((r) => r.source_code))).toEqual(CODES_IN_ORDER);
    const types = ok(await admin.get('/campaigns/analytics/types')).data as Row[];
    expect(ours(types.map((r) => r.type_code))).toEqual(CODES_IN_ORDER);
    const channels = ok(await admin.get('/campaigns/analytics/channels')).data as Row[];
    expect(ours(channels.map((r) => r.channel_code))).toEqual(CODES_IN_ORDER);
    const completion = ok(await admin.get('/milestones/analytics/completion')).details as Row[];
    expect(ours(completion.map((r) => r.type_code))).toEqual(CODES_IN_ORDER);
  });

  it('lists campaigns of one start date by code, as bytes', async () => {
    const admin = api.as({ tenant: newTenantId(), role: 'admin' });
    for (const c of shuffled(CODES_IN_ORDER)) {
      ok(await admin.post('/campaigns', { campaign_code: c, campaign_name: 'Tie', campaign_type_code: 'EMAIL_BLAST', start_date: '2026-03-01' }), 201);
    }
    expect(ok(await admin.get('/campaigns')).data.map((r: Row) => r.campaign_code)).toEqual(CODES_IN_ORDER);
  });

  it('searches sources ignoring case and accents, full-width forms included', async () => {
    const admin = api.as({ tenant: newTenantId(), role: 'admin' });
    const sources: [string, string][] = [
      ['CAFE_ACCENT', 'Café'],
      ['CAFE_PLAIN', 'cafe'],
      ['FULL_WIDTH', 'ＡＢＣ'],
      ['DESSERT', 'Crème brûlée'],
      ['LIGATURE', 'ﬁrst ﬂoor'],
    ];
    for (const [c, n] of sources) ok(await admin.post('/lead-sources', { source_code: c, source_name: n, source_type: 'event' }), 201);
    const search = async (q: string) => (ok(await admin.get('/lead-sources', { query: { search: q } })).data as Row[]).map((r) => r.source_code).sort();
    expect(await search('cafe')).toEqual(['CAFE_ACCENT', 'CAFE_PLAIN']);
    expect(await search('CAFÉ')).toEqual(['CAFE_ACCENT', 'CAFE_PLAIN']);
    expect(await search('Cafe\u0301')).toEqual(['CAFE_ACCENT', 'CAFE_PLAIN']);
    expect(await search('abc')).toEqual(['FULL_WIDTH']);
    expect(await search('ＡＢＣ')).toEqual(['FULL_WIDTH']);
    expect(await search('BRULEE')).toEqual(['DESSERT']);
    expect(await search('first floor')).toEqual(['LIGATURE']);
    // Codes too, in any case and width.
    expect(await search('full_')).toEqual(['FULL_WIDTH']);
    expect(await search('ｄｅｓｓｅｒｔ')).toEqual(['DESSERT']);
    expect(await search('cafe_')).toEqual(['CAFE_ACCENT', 'CAFE_PLAIN']);
    expect(await search('cafex')).toEqual([]);
  });

  it('keeps lead codes exact and case-sensitive: CRM-1 and crm-1 are two leads', async () => {
    const admin = api.as({ tenant: newTenantId(), role: 'admin' });
    const upper = ok(await admin.post('/leads', { source_code: 'WEBSITE', lead_code: 'CRM-1' }), 201);
    const lower = ok(await admin.post('/leads', { source_code: 'WEBSITE', lead_code: 'crm-1' }), 201);
    expect([upper.lead_code, lower.lead_code]).toEqual(['CRM-1', 'crm-1']);
    const taken = await admin.post('/leads', { source_code: 'WEBSITE', lead_code: 'CRM-1' });
    expect([taken.statusCode, taken.json().code]).toEqual([409, 'DUPLICATE_CODE']);
    // A PATCH to a code that differs only in case from another lead's is a new code.
    const other = ok(await admin.post('/leads', { source_code: 'WEBSITE', lead_code: 'Crm-2' }), 201);
    expect(ok(await admin.patch(`/leads/${other.id}`, { lead_code: 'CRM-2' })).lead_code).toBe('CRM-2');

    // A bulk holding both cases stores both; the same code twice is the contract's 400 naming the row.
    const both = ok(
      await admin.post('/leads/bulk', {
        leads: [
          { source_code: 'EMAIL', lead_code: 'B-x' },
          { source_code: 'EMAIL', lead_code: 'b-X' },
        ],
      }),
      201,
    );
    expect(both.data.map((l: Row) => l.lead_code)).toEqual(['B-x', 'b-X']);
    const twice = await admin.post('/leads/bulk', {
      leads: [
        { source_code: 'EMAIL', lead_code: 'T-1' },
        { source_code: 'EMAIL', lead_code: 'T-1' },
      ],
    });
    expect([twice.statusCode, twice.json().code]).toEqual([400, 'VALIDATION_FAILED']);
    expect(twice.json().errors.map((e: { field: string }) => e.field)).toEqual(['leads[1].lead_code']);
    const againTaken = await admin.post('/leads/bulk', { leads: [{ source_code: 'EMAIL', lead_code: 'crm-1' }] });
    expect(againTaken.json().errors.map((e: { field: string }) => e.field)).toEqual(['leads[0].lead_code']);

    const codes = (ok(await admin.get('/leads', { query: { limit: 500 } })).data as Row[]).map((l) => l.lead_code).sort();
    expect(codes).toEqual(['B-x', 'CRM-1', 'CRM-2', 'b-X', 'crm-1']);
  });

  it('filters the audit log exactly: entity_type and entity_key are case-sensitive', async () => {
    const admin = api.as({ tenant: newTenantId(), role: 'admin' });
    ok(await admin.post('/lead-sources', { source_code: 'AUDITED', source_name: 'Audited', source_type: 'event' }), 201);
    const count = async (query: Record<string, string>) => ok(await admin.get('/audit-log', { query })).total;
    expect(await count({ entity_type: 'lead_source', entity_key: 'AUDITED' })).toBe(1);
    expect(await count({ entity_type: 'lead_source' })).toBe(1);
    expect(await count({ entity_type: 'LEAD_SOURCE' })).toBe(0);
    expect(await count({ entity_type: 'Lead_source', entity_key: 'AUDITED' })).toBe(0);
    expect(await count({ entity_key: 'audited' })).toBe(0);
    expect(await count({ entity_key: 'AUDITÉD' })).toBe(0);
  });
});
