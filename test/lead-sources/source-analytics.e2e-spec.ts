import { Client, startTestApi, TestApi } from '../support/app';
import { createLead } from '../support/builders';
import { newTenantId } from '../support/tenants';

/**
 * One hand-worked fixture for every lead-source figure (API.md §3). Range: 2026-03-01 … 2026-03-31.
 *
 *  #  source/sub          created (UTC)          status       expected  converted  cost  in range
 *  1  WEBSITE             03-01 00:00:00         converted    1000      (1000)     50    yes (first instant)
 *  2  WEBSITE             03-10 12:00:00         qualified     500                 20    yes
 *  3  WEBSITE             03-31 23:59:59         lost          300                 30    yes (last second)
 *  4  WEBSITE             02-28 23:59:59         converted     999                 99    no (a second early)
 *  5  WEBSITE             04-01 00:00:00         new             1                  1    no
 *  6  SOCIAL/FACEBOOK     03-05 00:00:00         converted     200       400      (10)   yes, closed in 4.5 days
 *  7  SOCIAL/FACEBOOK     03-06 00:00:00         contacted     100                (10)   yes
 *  8  SOCIAL/LINKEDIN     03-07 00:00:00         new             0                 (0)   yes
 *  9  SOCIAL              03-08 00:00:00         negotiation    50                  5    yes
 * 10  WEBSITE             03-15                  converted    7777                 77    deleted: never counts
 * 11  WEBSITE (other tenant) 03-15               converted    8888                 88    other tenant: never counts
 * Lead 1 closes in 2 days (converted_at 03-03). FACEBOOK's cost_per_lead is 10, LINKEDIN's 0.
 */
describe('lead-source analytics', () => {
  let api: TestApi;
  let admin: Client;
  const range = { start_date: '2026-03-01', end_date: '2026-03-31' };

  beforeAll(async () => {
    api = await startTestApi();
    const tenant = newTenantId();
    admin = api.as({ tenant, role: 'admin' });
    // 10 from the beginning: the back-dated leads below take the cost in force on their day (a PATCH would start it today).
    await admin.post('/lead-sources/SOCIAL/subsources/FACEBOOK/costs', { cost_per_lead: 10, valid_from: null });
    await createLead(admin, {
      source_code: 'WEBSITE',
      created_at: '2026-03-01T00:00:00Z',
      status: 'converted',
      expected_value: 1000,
      converted_at: '2026-03-03T00:00:00Z',
      acquisition_cost: 50,
    });
    await createLead(admin, { source_code: 'WEBSITE', created_at: '2026-03-10T12:00:00Z', status: 'qualified', expected_value: 500, acquisition_cost: 20 });
    await createLead(admin, { source_code: 'WEBSITE', created_at: '2026-03-31T23:59:59Z', status: 'lost', expected_value: 300, acquisition_cost: 30 });
    await createLead(admin, { source_code: 'WEBSITE', created_at: '2026-02-28T23:59:59Z', status: 'converted', expected_value: 999, acquisition_cost: 99 });
    await createLead(admin, { source_code: 'WEBSITE', created_at: '2026-04-01T00:00:00Z', expected_value: 1, acquisition_cost: 1 });
    await createLead(admin, {
      source_code: 'SOCIAL',
      sub_source_code: 'FACEBOOK',
      created_at: '2026-03-05T00:00:00Z',
      status: 'converted',
      expected_value: 200,
      converted_value: 400,
      converted_at: '2026-03-09T12:00:00Z',
    });
    await createLead(admin, {
      source_code: 'SOCIAL',
      sub_source_code: 'FACEBOOK',
      created_at: '2026-03-06T00:00:00Z',
      status: 'contacted',
      expected_value: 100,
    });
    await createLead(admin, { source_code: 'SOCIAL', sub_source_code: 'LINKEDIN', created_at: '2026-03-07T00:00:00Z' });
    await createLead(admin, { source_code: 'SOCIAL', created_at: '2026-03-08T00:00:00Z', status: 'negotiation', expected_value: 50, acquisition_cost: 5 });
    const deleted = await createLead(admin, {
      source_code: 'WEBSITE',
      created_at: '2026-03-15T00:00:00Z',
      status: 'converted',
      expected_value: 7777,
      acquisition_cost: 77,
    });
    expect((await admin.delete(`/leads/${deleted.id}`)).statusCode).toBe(204);
    await createLead(api.as({ tenant: newTenantId(), role: 'admin' }), {
      source_code: 'WEBSITE',
      created_at: '2026-03-15T00:00:00Z',
      status: 'converted',
      expected_value: 8888,
      acquisition_cost: 88,
    });
  });
  afterAll(() => api.close());

  const WEBSITE = {
    source_code: 'WEBSITE',
    source_name: 'Website',
    leads_generated: 3, // 1, 2, 3
    leads_contacted: 2, // 1 (converted passes contacted), 2 (qualified passes contacted); 3 is lost only
    leads_qualified: 2, // 1, 2
    leads_converted: 1,
    leads_lost: 1,
    conversion_rate: 33.33, // 1/3
    qualification_rate: 66.67, // 2/3
    average_days_to_close: 2, // 03-01 → 03-03
    total_value: 1800, // 1000 + 500 + 300
    revenue: 1000, // converted_value defaults to expected_value
    total_cost: 100, // 50 + 20 + 30
    cost_per_lead: 33.33, // 100/3
    cost_per_conversion: 100,
    roi: 900, // (1000 − 100) / 100 × 100
    sub_sources: [],
  };
  const FACEBOOK = {
    sub_source_code: 'FACEBOOK',
    sub_source_name: 'Facebook',
    leads_generated: 2,
    leads_contacted: 2,
    leads_qualified: 1,
    leads_converted: 1,
    leads_lost: 0,
    conversion_rate: 50,
    qualification_rate: 50,
    average_days_to_close: 4.5,
    total_value: 300,
    revenue: 400,
    total_cost: 20,
    cost_per_lead: 10,
    cost_per_conversion: 20,
    roi: 1900, // (400 − 20) / 20 × 100
  };
  const LINKEDIN = {
    sub_source_code: 'LINKEDIN',
    sub_source_name: 'LinkedIn',
    leads_generated: 1,
    leads_contacted: 0,
    leads_qualified: 0,
    leads_converted: 0,
    leads_lost: 0,
    conversion_rate: 0,
    qualification_rate: 0,
    average_days_to_close: null, // no conversion
    total_value: 0,
    revenue: 0,
    total_cost: 0,
    cost_per_lead: 0,
    cost_per_conversion: null,
    roi: null, // cost 0
  };
  const SOCIAL = {
    source_code: 'SOCIAL',
    source_name: 'Social',
    leads_generated: 4, // 6, 7, 8, 9
    leads_contacted: 3, // 6, 7, 9
    leads_qualified: 2, // 6, 9 (negotiation passes qualified)
    leads_converted: 1,
    leads_lost: 0,
    conversion_rate: 25,
    qualification_rate: 50,
    average_days_to_close: 4.5,
    total_value: 350, // 200 + 100 + 0 + 50
    revenue: 400,
    total_cost: 25, // 10 + 10 + 0 + 5
    cost_per_lead: 6.25,
    cost_per_conversion: 25,
    roi: 1500, // (400 − 25) / 25 × 100
    sub_sources: [FACEBOOK, LINKEDIN],
  };
  const empty = (code: string, name: string) => ({
    source_code: code,
    source_name: name,
    leads_generated: 0,
    leads_contacted: 0,
    leads_qualified: 0,
    leads_converted: 0,
    leads_lost: 0,
    conversion_rate: null,
    qualification_rate: null,
    average_days_to_close: null,
    total_value: 0,
    revenue: 0,
    total_cost: 0,
    cost_per_lead: null,
    cost_per_conversion: null,
    roi: null,
    sub_sources: [],
  });
  /** The seeded UNMAPPED source, with no leads: its one subsource UNMAPPED has none either. */
  const figures = Object.fromEntries(Object.entries(empty('', '')).filter(([key]) => !['source_code', 'source_name', 'sub_sources'].includes(key)));
  const UNMAPPED = { ...empty('UNMAPPED', 'Unmapped'), sub_sources: [{ sub_source_code: 'UNMAPPED', sub_source_name: 'Unmapped', ...figures }] };

  it('answers one source with its subsources', async () => {
    const res = await admin.get('/lead-sources/SOCIAL/performance', { query: range });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ ...SOCIAL, ...range });
    expect((await admin.get('/lead-sources/WEBSITE/performance', { query: range })).json()).toEqual({ ...WEBSITE, ...range });
  });

  it('answers one subsource', async () => {
    const res = await admin.get('/lead-sources/SOCIAL/subsources/FACEBOOK/performance', { query: range });
    expect(res.json()).toEqual({ source_code: 'SOCIAL', ...FACEBOOK, ...range });
  });

  it('answers every source, most leads first, zero rows included', async () => {
    const res = await admin.get('/lead-sources/analytics/performance', { query: range });
    expect(res.json()).toEqual({ ...range, data: [SOCIAL, WEBSITE, empty('EMAIL', 'Email'), empty('REFERRAL', 'Referral'), UNMAPPED] });
  });

  it('answers weekly trends, zero-filled, weeks starting on Monday', async () => {
    const res = await admin.get('/lead-sources/analytics/trends', { query: { ...range, interval: 'week' } });
    const weeks = ['2026-02-23', '2026-03-02', '2026-03-09', '2026-03-16', '2026-03-23', '2026-03-30'];
    const row = (date: string, code: string, name: string, leads: number, conversions: number, revenue: number) => ({
      date,
      source_code: code,
      source_name: name,
      leads_generated: leads,
      conversions,
      revenue,
    });
    const expected = weeks.flatMap((w) => [
      row(w, 'SOCIAL', 'Social', w === '2026-03-02' ? 4 : 0, w === '2026-03-02' ? 1 : 0, w === '2026-03-02' ? 400 : 0),
      row(w, 'WEBSITE', 'Website', ['2026-02-23', '2026-03-09', '2026-03-30'].includes(w) ? 1 : 0, w === '2026-02-23' ? 1 : 0, w === '2026-02-23' ? 1000 : 0),
    ]);
    expect(res.json()).toEqual({ ...range, interval: 'week', data: expected });
  });

  it('answers daily and monthly trends for one source', async () => {
    const point = (date: string, leads: number, conversions: number, revenue: number) => ({
      date,
      source_code: 'WEBSITE',
      source_name: 'Website',
      leads_generated: leads,
      conversions,
      revenue,
    });
    const daily = (
      await admin.get('/lead-sources/analytics/trends', { query: { start_date: '2026-03-30', end_date: '2026-04-01', source_code: 'WEBSITE' } })
    ).json();
    expect(daily).toEqual({
      start_date: '2026-03-30',
      end_date: '2026-04-01',
      interval: 'day',
      data: [point('2026-03-30', 0, 0, 0), point('2026-03-31', 1, 0, 0), point('2026-04-01', 1, 0, 0)], // lead 3 (lost), lead 5 (new)
    });
    const monthly = (
      await admin.get('/lead-sources/analytics/trends', {
        query: { start_date: '2026-02-01', end_date: '2026-04-30', interval: 'month', source_code: 'WEBSITE' },
      })
    ).json();
    expect(monthly.data).toEqual([
      point('2026-02-01', 1, 1, 999), // lead 4, converted at its expected_value
      point('2026-03-01', 3, 1, 1000), // leads 1, 2, 3; lead 1 converted
      point('2026-04-01', 1, 0, 0), // lead 5
    ]);
  });

  // Ranges that are not whole months read the daily rows (partial months) and the monthly ones.
  it('answers ranges of partial months, alone and around a whole month', async () => {
    // 03-05 … 03-10: days only. WEBSITE has lead 2 alone; SOCIAL all four of its leads.
    const days = { start_date: '2026-03-05', end_date: '2026-03-10' };
    const WEBSITE_DAYS = {
      ...WEBSITE,
      leads_generated: 1,
      leads_contacted: 1,
      leads_qualified: 1,
      leads_converted: 0,
      leads_lost: 0,
      conversion_rate: 0,
      qualification_rate: 100,
      average_days_to_close: null,
      total_value: 500,
      revenue: 0,
      total_cost: 20,
      cost_per_lead: 20,
      cost_per_conversion: null,
      roi: -100, // (0 − 20) / 20 × 100
    };
    expect((await admin.get('/lead-sources/WEBSITE/performance', { query: days })).json()).toEqual({ ...WEBSITE_DAYS, ...days });
    expect((await admin.get('/lead-sources/SOCIAL/performance', { query: days })).json()).toEqual({ ...SOCIAL, ...days });
    expect((await admin.get('/lead-sources/SOCIAL/subsources/FACEBOOK/performance', { query: days })).json()).toEqual({
      source_code: 'SOCIAL',
      ...FACEBOOK,
      ...days,
    });
    expect((await admin.get('/lead-sources/analytics/performance', { query: days })).json()).toEqual({
      ...days,
      data: [SOCIAL, WEBSITE_DAYS, empty('EMAIL', 'Email'), empty('REFERRAL', 'Referral'), UNMAPPED],
    });

    // 02-28 … 04-01: a day of February, the whole of March, a day of April. WEBSITE: leads 1 … 5.
    const around = { start_date: '2026-02-28', end_date: '2026-04-01' };
    const WEBSITE_AROUND = {
      ...WEBSITE,
      leads_generated: 5,
      leads_contacted: 3, // 1, 2, 4
      leads_qualified: 3, // 1, 2, 4
      leads_converted: 2, // 1, 4
      leads_lost: 1,
      conversion_rate: 40,
      qualification_rate: 60,
      average_days_to_close: 1, // (2 + 0) / 2: lead 4 was converted when recorded
      total_value: 2800, // 1000 + 500 + 300 + 999 + 1
      revenue: 1999, // 1000 + 999
      total_cost: 200, // 50 + 20 + 30 + 99 + 1
      cost_per_lead: 40,
      cost_per_conversion: 100,
      roi: 899.5, // (1999 − 200) / 200 × 100
    };
    expect((await admin.get('/lead-sources/WEBSITE/performance', { query: around })).json()).toEqual({ ...WEBSITE_AROUND, ...around });
    expect((await admin.get('/lead-sources/analytics/performance', { query: around })).json()).toEqual({
      ...around,
      data: [WEBSITE_AROUND, SOCIAL, empty('EMAIL', 'Email'), empty('REFERRAL', 'Referral'), UNMAPPED],
    });
  });

  it('keeps the all-time counters on sources and subsources', async () => {
    const sources = (await admin.get('/lead-sources')).json().data;
    const website = sources.find((s: { source_code: string }) => s.source_code === 'WEBSITE');
    expect([website.leads_generated, website.conversion_count, website.conversion_rate]).toEqual([5, 2, 40]); // 1,2,3,4,5; 1 and 4
    const fb = (await admin.get('/lead-sources/SOCIAL/subsources/FACEBOOK')).json();
    expect([fb.leads_generated, fb.conversion_count, fb.conversion_rate, fb.total_cost, fb.last_activity_date]).toEqual([2, 1, 50, 20, '2026-03-06']);
  });

  it('follows updates and deletes of leads', async () => {
    const tenant = newTenantId();
    const c = api.as({ tenant, role: 'admin' });
    const l = await createLead(c, { source_code: 'EMAIL', created_at: '2026-03-02T00:00:00Z', expected_value: 10, acquisition_cost: 4 });
    await c.patch(`/leads/${l.id}`, { status: 'converted', converted_value: 30, converted_at: '2026-03-04T00:00:00Z' });
    let email = (await c.get('/lead-sources/EMAIL/performance', { query: range })).json();
    expect([email.leads_converted, email.revenue, email.average_days_to_close, email.roi]).toEqual([1, 30, 2, 650]);
    await c.patch(`/leads/${l.id}`, { source_code: 'WEBSITE' });
    email = (await c.get('/lead-sources/EMAIL/performance', { query: range })).json();
    expect(email.leads_generated).toBe(0);
    expect((await c.get('/lead-sources/WEBSITE/performance', { query: range })).json().leads_converted).toBe(1);
    await c.delete(`/leads/${l.id}`);
    expect((await c.get('/lead-sources/WEBSITE/performance', { query: range })).json().leads_generated).toBe(0);
    const sources = (await c.get('/lead-sources')).json().data;
    expect(sources.every((s: { leads_generated: number }) => s.leads_generated === 0)).toBe(true);
  });

  it("still counts a deleted source's leads under its code in the all-sources answer", async () => {
    const tenant = newTenantId();
    const c = api.as({ tenant, role: 'admin' });
    await createLead(c, { source_code: 'REFERRAL', created_at: '2026-03-02T00:00:00Z' });
    expect((await c.delete('/lead-sources/REFERRAL')).statusCode).toBe(204);
    const all = (await c.get('/lead-sources/analytics/performance', { query: range })).json();
    expect(all.data[0]).toMatchObject({ source_code: 'REFERRAL', leads_generated: 1 });
    expect((await c.get('/lead-sources/REFERRAL/performance', { query: range })).statusCode).toBe(404);
    const trends = (
      await c.get('/lead-sources/analytics/trends', { query: { start_date: '2026-03-02', end_date: '2026-03-03', source_code: 'REFERRAL' } })
    ).json();
    const point = (date: string, leads: number) => ({
      date,
      source_code: 'REFERRAL',
      source_name: 'Referral',
      leads_generated: leads,
      conversions: 0,
      revenue: 0,
    });
    expect(trends.data).toEqual([point('2026-03-02', 1), point('2026-03-03', 0)]);
  });

  /**
   * A source deleted and its code reused: REFERRAL (old, subsource WORD) gets leads A and B, is
   * deleted, and a new REFERRAL "Referral Two" with a new WORD "Word Two" gets lead C.
   *  A  old REFERRAL/WORD  03-02 10:00  converted (03-04 10:00, 2 days)   expected 100            cost 10
   *  B  old REFERRAL       03-09 00:00  new                               expected  50            cost  5
   *  C  new REFERRAL/WORD  03-03 00:00  converted (03-07 00:00, 4 days)   expected 200, conv. 300 cost 20
   * One REFERRAL row covers the three; WORD covers A and C.
   */
  it('merges a deleted source with the live one that reused its code, in every figure and filter', async () => {
    const c = api.as({ tenant: newTenantId(), role: 'admin' });
    const word = (name: string) => c.post('/lead-sources/REFERRAL/subsources', { sub_source_code: 'WORD', sub_source_name: name });
    expect((await word('Word of mouth')).statusCode).toBe(201);
    await createLead(c, {
      source_code: 'REFERRAL',
      sub_source_code: 'WORD',
      created_at: '2026-03-02T10:00:00Z',
      status: 'converted',
      converted_at: '2026-03-04T10:00:00Z',
      expected_value: 100,
      acquisition_cost: 10,
    });
    await createLead(c, { source_code: 'REFERRAL', created_at: '2026-03-09T00:00:00Z', expected_value: 50, acquisition_cost: 5 });
    expect((await c.delete('/lead-sources/REFERRAL')).statusCode).toBe(204);
    expect((await c.post('/lead-sources', { source_code: 'REFERRAL', source_name: 'Referral Two', source_type: 'referral' })).statusCode).toBe(201);
    expect((await word('Word Two')).statusCode).toBe(201);
    await createLead(c, {
      source_code: 'REFERRAL',
      sub_source_code: 'WORD',
      created_at: '2026-03-03T00:00:00Z',
      status: 'converted',
      converted_at: '2026-03-07T00:00:00Z',
      expected_value: 200,
      converted_value: 300,
      acquisition_cost: 20,
    });

    const WORD = {
      sub_source_code: 'WORD',
      sub_source_name: 'Word Two', // the live row's name
      leads_generated: 2, // A, C
      leads_contacted: 2,
      leads_qualified: 2,
      leads_converted: 2,
      leads_lost: 0,
      conversion_rate: 100,
      qualification_rate: 100,
      average_days_to_close: 3, // (2 + 4) / 2
      total_value: 300, // 100 + 200
      revenue: 400, // 100 + 300
      total_cost: 30,
      cost_per_lead: 15,
      cost_per_conversion: 15,
      roi: 1233.33, // (400 − 30) / 30 × 100
    };
    const REFERRAL = {
      source_code: 'REFERRAL',
      source_name: 'Referral Two',
      leads_generated: 3, // A, B, C
      leads_contacted: 2, // A, C
      leads_qualified: 2,
      leads_converted: 2,
      leads_lost: 0,
      conversion_rate: 66.67, // 2/3
      qualification_rate: 66.67,
      average_days_to_close: 3,
      total_value: 350, // 100 + 50 + 200
      revenue: 400,
      total_cost: 35, // 10 + 5 + 20
      cost_per_lead: 11.67, // 35/3
      cost_per_conversion: 17.5, // 35/2
      roi: 1042.86, // (400 − 35) / 35 × 100
      sub_sources: [WORD],
    };
    const all = (await c.get('/lead-sources/analytics/performance', { query: range })).json();
    expect(all.data.filter((r: { source_code: string }) => r.source_code === 'REFERRAL')).toEqual([REFERRAL]);
    expect(all.data.map((r: { source_code: string }) => r.source_code)).toEqual(['REFERRAL', 'EMAIL', 'SOCIAL', 'UNMAPPED', 'WEBSITE']);
    expect((await c.get('/lead-sources/REFERRAL/performance', { query: range })).json()).toEqual({ ...REFERRAL, ...range });
    expect((await c.get('/lead-sources/REFERRAL/subsources/WORD/performance', { query: range })).json()).toEqual({
      source_code: 'REFERRAL',
      ...WORD,
      ...range,
    });

    const weeks = ['2026-02-23', '2026-03-02', '2026-03-09', '2026-03-16', '2026-03-23', '2026-03-30'];
    const trend = (name: string) =>
      weeks.map((date) => ({
        date,
        source_code: 'REFERRAL',
        source_name: name,
        leads_generated: date === '2026-03-02' ? 2 : date === '2026-03-09' ? 1 : 0, // A, C; B
        conversions: date === '2026-03-02' ? 2 : 0,
        revenue: date === '2026-03-02' ? 400 : 0,
      }));
    for (const query of [
      { ...range, interval: 'week' },
      { ...range, interval: 'week', source_code: 'REFERRAL' },
    ]) {
      expect((await c.get('/lead-sources/analytics/trends', { query })).json()).toEqual({ ...range, interval: 'week', data: trend('Referral Two') });
    }
    // A range where only the deleted row has leads (B) is still named by the live row.
    const onlyB = (await c.get('/lead-sources/analytics/trends', { query: { start_date: '2026-03-09', end_date: '2026-03-09' } })).json();
    expect(onlyB.data).toEqual([{ date: '2026-03-09', source_code: 'REFERRAL', source_name: 'Referral Two', leads_generated: 1, conversions: 0, revenue: 0 }]);
    const ids = async (query: Record<string, string>) =>
      (await c.get('/leads', { query })).json().data.map((l: { created_at: string }) => l.created_at.slice(0, 10));
    expect(await ids({ source_code: 'REFERRAL' })).toEqual(['2026-03-09', '2026-03-03', '2026-03-02']);
    expect(await ids({ source_code: 'REFERRAL', sub_source_code: 'WORD' })).toEqual(['2026-03-03', '2026-03-02']);

    // Both deleted: the code still answers trends and counts in every source's figures, under the
    // most recently deleted row's name; the single-source route addresses live sources only.
    expect((await c.delete('/lead-sources/REFERRAL')).statusCode).toBe(204);
    const trends = await c.get('/lead-sources/analytics/trends', { query: { ...range, interval: 'week', source_code: 'REFERRAL' } });
    expect([trends.statusCode, trends.json().data]).toEqual([200, trend('Referral Two')]);
    const after = (await c.get('/lead-sources/analytics/performance', { query: range })).json();
    expect(after.data[0]).toEqual({ ...REFERRAL, sub_sources: [{ ...WORD, sub_source_name: 'Word Two' }] });
    expect((await c.get('/lead-sources/REFERRAL/performance', { query: range })).statusCode).toBe(404);
    expect((await c.get('/lead-sources/analytics/trends', { query: { ...range, source_code: 'NEVER' } })).statusCode).toBe(404);
  });

  it('validates date ranges', async () => {
    const bad: Record<string, string>[] = [
      { start_date: '2026-03-02', end_date: '2026-03-01' },
      { start_date: '2026-02-30' },
      { days: '0' },
      { days: '367' },
      { days: '7', start_date: '2026-03-01' },
      { interval: 'year' },
    ];
    for (const query of bad) {
      const res = await admin.get('/lead-sources/analytics/trends', { query });
      expect({ query, status: res.statusCode }).toEqual({ query, status: 400 });
    }
    const res = await admin.get('/lead-sources/analytics/performance', { query: { days: '7' } });
    expect(res.statusCode).toBe(200);
    expect(res.json().end_date).toBe(new Date().toISOString().slice(0, 10));
  });
});
