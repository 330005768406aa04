import { Client, startTestApi, TestApi } from '../support/app';
import { createLead } from '../support/builders';
import { newTenantId } from '../support/tenants';

describe('leads', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(() => api.close());

  describe('recording', () => {
    it('creates a lead with server defaults and codes, and stamps the stages a status passed', async () => {
      const agent = api.as({ tenant: newTenantId(), role: 'agent', sub: 'ann' });
      const res = await agent.post('/leads', {
        source_code: 'SOCIAL',
        sub_source_code: 'FACEBOOK',
        channel_code: 'PAID',
        status: 'qualified',
        expected_value: 250.5,
        created_at: '2026-03-01T10:00:00Z',
      });
      expect(res.statusCode).toBe(201);
      expect(res.headers.etag).toBe('"1"');
      expect(res.json()).toMatchObject({
        lead_code: null,
        source_code: 'SOCIAL',
        sub_source_code: 'FACEBOOK',
        channel_code: 'PAID',
        campaign_code: null,
        status: 'qualified',
        expected_value: 250.5,
        converted_value: null,
        acquisition_cost: 0,
        created_at: '2026-03-01T10:00:00.000Z',
        contacted_at: '2026-03-01T10:00:00.000Z',
        qualified_at: '2026-03-01T10:00:00.000Z',
        converted_at: null,
        lost_at: null,
        created_by: 'ann',
        version: 1,
      });
    });

    it("defaults acquisition_cost to the subsource's cost_per_lead and converted_value to expected_value", async () => {
      const tenant = newTenantId();
      const admin = api.as({ tenant, role: 'admin' });
      expect((await admin.patch('/lead-sources/SOCIAL/subsources/FACEBOOK', { cost_per_lead: 12.75 })).statusCode).toBe(200);
      const lead = await createLead(admin, { source_code: 'SOCIAL', sub_source_code: 'FACEBOOK', status: 'converted', expected_value: 900 });
      expect(lead.acquisition_cost).toBe(12.75);
      expect(lead.converted_value).toBe(900);
      expect(lead.converted_at).not.toBeNull();
      const explicit = await createLead(admin, { source_code: 'SOCIAL', sub_source_code: 'FACEBOOK', acquisition_cost: 3 });
      expect(explicit.acquisition_cost).toBe(3);
    });

    it('refuses unknown or foreign references with 400 naming the field', async () => {
      const tenant = newTenantId();
      const admin = api.as({ tenant, role: 'admin' });
      const other = api.as({ tenant: newTenantId(), role: 'admin' });
      expect((await other.post('/lead-sources', { source_code: 'OTHER_ONLY', source_name: 'x', source_type: 'event' })).statusCode).toBe(201);
      expect((await other.post('/lead-channels', { channel_code: 'OTHER_CHANNEL', channel_name: 'x' })).statusCode).toBe(201);
      expect((await other.post('/lead-sources/SOCIAL/subsources', { sub_source_code: 'OTHER_SUB', sub_source_name: 'x' })).statusCode).toBe(201);
      expect((await admin.delete('/lead-sources/REFERRAL')).statusCode).toBe(204);

      const cases: [Record<string, unknown>, string][] = [
        [{ source_code: 'NOPE' }, 'source_code'],
        [{ source_code: 'OTHER_ONLY' }, 'source_code'],
        [{ source_code: 'WEBSITE', sub_source_code: 'FACEBOOK' }, 'sub_source_code'],
        [{ source_code: 'SOCIAL', channel_code: 'NOPE' }, 'channel_code'],
        [{ source_code: 'SOCIAL', channel_code: 'OTHER_CHANNEL' }, 'channel_code'],
        [{ source_code: 'SOCIAL', sub_source_code: 'OTHER_SUB' }, 'sub_source_code'],
        [{ source_code: 'REFERRAL' }, 'source_code'], // deleted
        [{ source_code: 'SOCIAL', campaign_code: 'NOPE' }, 'campaign_code'],
        [{ source_code: 'SOCIAL', status: 'won' }, 'status'],
        [{ source_code: 'SOCIAL', expected_value: -1 }, 'expected_value'],
        [{ source_code: 'SOCIAL', created_at: '2026-03-01' }, 'created_at'],
        [{ source_code: 'SOCIAL', created_at: '2026-03-02T00:00:00Z', converted_at: '2026-03-01T00:00:00Z', status: 'converted' }, 'converted_at'],
        [{ source_code: 'SOCIAL', created_at: '2999-01-01T00:00:00Z' }, 'created_at'],
        [{ source_code: 'SOCIAL', tenant_id: 'x' }, 'tenant_id'],
      ];
      for (const [body, field] of cases) {
        const res = await admin.post('/leads', body);
        expect({ body, status: res.statusCode, code: res.json().code }).toEqual({ body, status: 400, code: 'VALIDATION_FAILED' });
        expect(res.json().errors.map((e: { field: string }) => e.field)).toContain(field);
      }
    });

    it("names a campaign of the tenant, filters by its code (deleted campaigns included), and keeps pointing at it after the campaign's delete", async () => {
      const admin = api.as({ tenant: newTenantId(), role: 'admin' });
      const other = api.as({ tenant: newTenantId(), role: 'admin' });
      const campaign = {
        campaign_code: 'SPRING',
        campaign_name: 'Spring',
        campaign_type_code: 'EMAIL_BLAST',
        start_date: '2026-03-01',
        channels: [{ channel_code: 'EMAIL', allocated_budget: 100 }],
      };
      expect((await admin.post('/campaigns', campaign)).statusCode).toBe(201);
      expect((await other.post('/campaigns', { ...campaign, campaign_code: 'FOREIGN' })).statusCode).toBe(201);
      const lead = await createLead(admin, { source_code: 'EMAIL', campaign_code: 'SPRING' });
      expect(lead.campaign_code).toBe('SPRING');
      const foreign = await admin.post('/leads', { source_code: 'EMAIL', campaign_code: 'FOREIGN' });
      expect([foreign.statusCode, foreign.json().errors?.[0]?.field]).toEqual([400, 'campaign_code']);
      await createLead(admin, { source_code: 'EMAIL' });
      expect((await admin.get('/leads', { query: { campaign_code: 'SPRING' } })).json().data.map((l: { id: number }) => l.id)).toEqual([lead.id]);
      expect((await admin.delete('/campaigns/SPRING')).statusCode).toBe(204);
      expect((await admin.get(`/leads/${lead.id}`)).json().campaign_code).toBe('SPRING');
      // The filter matches what the leads show: the deleted campaign and a new one reusing its code.
      const ids = async () => (await admin.get('/leads', { query: { campaign_code: 'SPRING' } })).json().data.map((l: { id: number }) => l.id);
      expect(await ids()).toEqual([lead.id]);
      expect((await admin.post('/campaigns', { ...campaign, start_date: '2026-04-01' })).statusCode).toBe(201);
      const second = await createLead(admin, { source_code: 'EMAIL', campaign_code: 'SPRING' });
      expect(await ids()).toEqual([second.id, lead.id]);
      expect((await other.get('/leads', { query: { campaign_code: 'SPRING' } })).json().total).toBe(0);
      const cleared = await admin.patch(`/leads/${lead.id}`, { campaign_code: null });
      expect([cleared.statusCode, cleared.json().campaign_code]).toEqual([200, null]);
    });

    it('keeps lead_code unique among live leads (409), free again after delete', async () => {
      const admin = api.as({ tenant: newTenantId(), role: 'admin' });
      const first = await createLead(admin, { source_code: 'WEBSITE', lead_code: 'CRM-1' });
      const dup = await admin.post('/leads', { source_code: 'EMAIL', lead_code: 'CRM-1' });
      expect(dup.statusCode).toBe(409);
      // The 409 names the lead that has the code, in words and as a field.
      expect(dup.json()).toMatchObject({ code: 'DUPLICATE_CODE', existing_id: first.id, detail: `lead code CRM-1 is already in use by lead ${first.id}` });
      const second = await createLead(admin, { source_code: 'EMAIL', lead_code: 'CRM-2' });
      const patched = await admin.patch(`/leads/${second.id}`, { lead_code: 'CRM-1' });
      expect([patched.statusCode, patched.json().code, patched.json().existing_id]).toEqual([409, 'DUPLICATE_CODE', first.id]);
      expect((await admin.get(`/leads/${second.id}`)).json()).toMatchObject({ lead_code: 'CRM-2', version: 1 });
      expect((await admin.patch(`/leads/${second.id}`, { lead_code: 'CRM-2', expected_value: 5 })).statusCode).toBe(200); // its own code
      expect((await admin.delete(`/leads/${first.id}`)).statusCode).toBe(204);
      expect((await admin.post('/leads', { source_code: 'EMAIL', lead_code: 'CRM-1' })).statusCode).toBe(201);
    });

    it('finds the live lead with exactly a lead_code: the one a 409 names', async () => {
      const admin = api.as({ tenant: newTenantId(), role: 'admin' });
      const other = api.as({ tenant: newTenantId(), role: 'admin' });
      const crm1 = await createLead(admin, { source_code: 'WEBSITE', lead_code: 'CRM-1' });
      await createLead(admin, { source_code: 'WEBSITE', lead_code: 'CRM-10' });
      const spaced = await createLead(admin, { source_code: 'EMAIL', lead_code: 'A&B 7/x?=%' });
      await createLead(admin, { source_code: 'WEBSITE' });
      await createLead(other, { source_code: 'WEBSITE', lead_code: 'CRM-1' });
      const ids = async (query: Record<string, string>) => (await admin.get('/leads', { query })).json().data.map((l: { id: number }) => l.id);

      expect(await ids({ lead_code: 'CRM-1' })).toEqual([crm1.id]); // not CRM-10, not the other tenant's
      expect(await ids({ lead_code: 'CRM' })).toEqual([]);
      expect(await ids({ lead_code: 'A&B 7/x?=%' })).toEqual([spaced.id]);
      expect(await ids({ lead_code: 'CRM-1', source_code: 'EMAIL' })).toEqual([]);

      const dup = (await admin.post('/leads', { source_code: 'EMAIL', lead_code: 'CRM-1' })).json();
      expect((await admin.get('/leads', { query: { lead_code: 'CRM-1' } })).json().data[0]).toMatchObject({ id: dup.existing_id, lead_code: 'CRM-1' });
      expect((await admin.get(`/leads/${dup.existing_id}`)).json().lead_code).toBe('CRM-1');

      // Live leads only: after the delete the code finds nothing and is free.
      expect((await admin.delete(`/leads/${crm1.id}`)).statusCode).toBe(204);
      expect(await ids({ lead_code: 'CRM-1' })).toEqual([]);

      for (const bad of [' CRM-1', 'x'.repeat(101), '']) {
        const res = await admin.get('/leads', { query: { lead_code: bad } });
        expect([bad, res.statusCode, res.json().errors?.map((e: { field: string }) => e.field)]).toEqual([bad, 400, ['lead_code']]);
      }
    });

    it('finds lead codes exactly, case included, on both engines', async () => {
      const admin = api.as({ tenant: newTenantId(), role: 'admin' });
      const upper = await createLead(admin, { source_code: 'WEBSITE', lead_code: 'CRM-7' });
      const lower = await admin.post('/leads', { source_code: 'WEBSITE', lead_code: 'crm-7' });
      expect(lower.statusCode).toBe(201);
      const find = async (code: string) => (await admin.get('/leads', { query: { lead_code: code } })).json().data.map((l: { id: number }) => l.id);
      expect([await find('crm-7'), await find('CRM-7')]).toEqual([[lower.json().id], [upper.id]]);
    });

    it('stamps stage timestamps once on PATCH and never moves them back', async () => {
      const admin = api.as({ tenant: newTenantId(), role: 'admin' });
      const lead = await createLead(admin, { source_code: 'WEBSITE', created_at: '2026-03-01T00:00:00Z', expected_value: 80 });
      const contacted = await admin.patch(`/leads/${lead.id}`, { status: 'contacted' });
      expect(contacted.statusCode).toBe(200);
      const c = contacted.json();
      expect(c.contacted_at).not.toBeNull();
      expect(c.version).toBe(2);
      expect(contacted.headers.etag).toBe('"2"');
      const converted = (await admin.patch(`/leads/${lead.id}`, { status: 'converted' })).json();
      expect(converted.contacted_at).toBe(c.contacted_at); // first time only
      expect(converted.qualified_at).not.toBeNull();
      expect(converted.converted_value).toBe(80);
      const back = await admin.patch(`/leads/${lead.id}`, { contacted_at: '2026-02-01T00:00:00Z' });
      expect(back.statusCode).toBe(400);
      expect(back.json().errors[0].field).toBe('contacted_at');
      const stale = await admin.patch(`/leads/${lead.id}`, { expected_value: 1 }, { headers: { 'if-match': '"1"' } });
      expect(stale.statusCode).toBe(412);
    });

    it('fills the earlier stages a given later stage timestamp implies, so the funnel never inverts', async () => {
      const admin = api.as({ tenant: newTenantId(), role: 'admin' });
      const created = '2026-03-01T00:00:00.000Z';
      const lead = await createLead(admin, {
        source_code: 'WEBSITE',
        created_at: created,
        qualified_at: '2026-03-04T00:00:00Z',
        converted_at: '2026-03-05T00:00:00Z',
      });
      // Created as new: the implied stages are stamped as a status would stamp them, at created_at.
      expect([lead.status, lead.contacted_at, lead.qualified_at, lead.converted_at]).toEqual([
        'new',
        created,
        '2026-03-04T00:00:00.000Z',
        '2026-03-05T00:00:00.000Z',
      ]);
      const lost = await createLead(admin, { source_code: 'WEBSITE', status: 'lost', created_at: created, converted_at: '2026-03-02T00:00:00Z' });
      expect([lost.contacted_at, lost.qualified_at, lost.lost_at]).toEqual([created, created, created]);
      const perf = (await admin.get('/lead-sources/WEBSITE/performance', { query: { start_date: '2026-03-01', end_date: '2026-03-31' } })).json();
      expect([perf.leads_generated, perf.leads_contacted, perf.leads_qualified, perf.leads_converted]).toEqual([2, 2, 2, 0]);

      // On PATCH, at the time of the write but never after the later stage's time.
      const plain = await createLead(admin, { source_code: 'WEBSITE', created_at: created });
      const patched = (await admin.patch(`/leads/${plain.id}`, { qualified_at: '2026-03-03T00:00:00Z' })).json();
      expect([patched.status, patched.contacted_at, patched.qualified_at]).toEqual(['new', '2026-03-03T00:00:00.000Z', '2026-03-03T00:00:00.000Z']);
    });

    it('refuses stage timestamps more than 5 minutes in the future, naming the field', async () => {
      const admin = api.as({ tenant: newTenantId(), role: 'admin' });
      const soon = new Date(Date.now() + 60_000).toISOString();
      const ok = await admin.post('/leads', { source_code: 'WEBSITE', status: 'contacted', contacted_at: soon });
      expect(ok.statusCode).toBe(201);
      for (const field of ['contacted_at', 'qualified_at', 'converted_at', 'lost_at']) {
        const created = await admin.post('/leads', { source_code: 'WEBSITE', [field]: '9999-12-31T00:00:00Z' });
        expect([field, created.statusCode, created.json().errors?.map((e: { field: string }) => e.field)]).toEqual([field, 400, [field]]);
        const patched = await admin.patch(`/leads/${ok.json().id}`, { [field]: '2999-01-01T00:00:00Z' });
        expect([field, patched.statusCode, patched.json().errors?.map((e: { field: string }) => e.field)]).toEqual([field, 400, [field]]);
      }
      const bulk = await admin.post('/leads/bulk', { leads: [{ source_code: 'WEBSITE' }, { source_code: 'WEBSITE', lost_at: '2999-01-01T00:00:00Z' }] });
      expect([bulk.statusCode, bulk.json().errors.map((e: { field: string }) => e.field)]).toEqual([400, ['leads[1].lost_at']]);
    });

    it('applies concurrent PATCHes without If-Match one after the other, and keeps the counters right', async () => {
      const admin = api.as({ tenant: newTenantId(), role: 'admin' });
      const lead = await createLead(admin, { source_code: 'WEBSITE', expected_value: 0 });
      const results = await Promise.all(
        Array.from({ length: 10 }, (_, i) => admin.patch(`/leads/${lead.id}`, i % 2 ? { status: 'converted' } : { expected_value: i + 1 })),
      );
      expect(results.map((r) => r.statusCode)).toEqual(Array(10).fill(200));
      const final = (await admin.get(`/leads/${lead.id}`)).json();
      expect(final.version).toBe(11);
      const website = (await admin.get('/lead-sources/WEBSITE')).json();
      expect([website.leads_generated, website.conversion_count]).toEqual([1, 1]);
    });

    describe('PATCH of references', () => {
      const campaign = (code: string) => ({
        campaign_code: code,
        campaign_name: code,
        campaign_type_code: 'EMAIL_BLAST',
        start_date: '2026-03-01',
        channels: [{ channel_code: 'EMAIL', allocated_budget: 100 }],
      });
      const counters = async (c: Client, code: string) => {
        const s = (await c.get(`/lead-sources/${code}`)).json();
        return [s.leads_generated, s.conversion_count];
      };

      it('keeps the source of a lead whose source was deleted and its code reused when only the campaign changes', async () => {
        const admin = api.as({ tenant: newTenantId(), role: 'admin' });
        expect((await admin.post('/campaigns', campaign('SPRING'))).statusCode).toBe(201);
        const lead = await createLead(admin, { source_code: 'REFERRAL', status: 'converted', expected_value: 10 });
        expect((await admin.delete('/lead-sources/REFERRAL')).statusCode).toBe(204);
        expect((await admin.post('/lead-sources', { source_code: 'REFERRAL', source_name: 'Referral 2', source_type: 'referral' })).statusCode).toBe(201);
        const res = await admin.patch(`/leads/${lead.id}`, { campaign_code: 'SPRING' });
        expect([res.statusCode, res.json().campaign_code, res.json().source_code]).toEqual([200, 'SPRING', 'REFERRAL']);
        // The lead still counts for the deleted REFERRAL, not the new one.
        expect(await counters(admin, 'REFERRAL')).toEqual([0, 0]);
        expect((await admin.get('/lead-sources/analytics/performance', { query: { start_date: '2026-01-01', end_date: '2026-12-31' } })).statusCode).toBe(200);
        // Naming the source it already holds keeps it too; naming another live one moves it.
        const same = await admin.patch(`/leads/${lead.id}`, { source_code: 'REFERRAL', expected_value: 11 });
        expect(same.statusCode).toBe(200);
        expect(await counters(admin, 'REFERRAL')).toEqual([0, 0]);
        expect((await admin.patch(`/leads/${lead.id}`, { source_code: 'EMAIL' })).statusCode).toBe(200);
        expect(await counters(admin, 'EMAIL')).toEqual([1, 1]);
        // Back to REFERRAL now means the live one: the deleted row is no longer what the lead holds.
        expect((await admin.patch(`/leads/${lead.id}`, { source_code: 'REFERRAL' })).statusCode).toBe(200);
        expect(await counters(admin, 'REFERRAL')).toEqual([1, 1]);
      });

      it('does not re-check a deleted channel or subsource the lead holds when another field is patched', async () => {
        const admin = api.as({ tenant: newTenantId(), role: 'admin' });
        expect((await admin.post('/campaigns', campaign('SPRING'))).statusCode).toBe(201);
        const lead = await createLead(admin, { source_code: 'SOCIAL', sub_source_code: 'FACEBOOK', channel_code: 'PAID' });
        expect((await admin.delete('/lead-channels/PAID')).statusCode).toBe(204);
        const byCampaign = await admin.patch(`/leads/${lead.id}`, { campaign_code: 'SPRING' });
        expect([byCampaign.statusCode, byCampaign.json().channel_code, byCampaign.json().campaign_code]).toEqual([200, 'PAID', 'SPRING']);
        // Naming the deleted channel it already holds is accepted (nothing changes); a new deleted one is not.
        expect((await admin.patch(`/leads/${lead.id}`, { channel_code: 'PAID' })).statusCode).toBe(200);
        expect((await admin.delete('/lead-channels/ORGANIC')).statusCode).toBe(204);
        const gone = await admin.patch(`/leads/${lead.id}`, { channel_code: 'ORGANIC' });
        expect([gone.statusCode, gone.json().errors?.map((e: { field: string }) => e.field)]).toEqual([400, ['channel_code']]);

        expect((await admin.delete('/lead-sources/SOCIAL')).statusCode).toBe(204); // cascades to FACEBOOK
        const byChannel = await admin.patch(`/leads/${lead.id}`, { channel_code: 'DIRECT' });
        expect([byChannel.statusCode, byChannel.json().source_code, byChannel.json().sub_source_code, byChannel.json().channel_code]).toEqual([
          200,
          'SOCIAL',
          'FACEBOOK',
          'DIRECT',
        ]);
        const same = await admin.patch(`/leads/${lead.id}`, { source_code: 'SOCIAL', sub_source_code: 'FACEBOOK', campaign_code: 'SPRING' });
        expect([same.statusCode, same.json().sub_source_code]).toEqual([200, 'FACEBOOK']);
        const other = await admin.patch(`/leads/${lead.id}`, { sub_source_code: 'LINKEDIN' });
        expect([other.statusCode, other.json().errors?.map((e: { field: string }) => e.field)]).toEqual([400, ['sub_source_code']]);
      });

      it('keeps a campaign the lead holds after its delete, and refuses a new deleted one', async () => {
        const admin = api.as({ tenant: newTenantId(), role: 'admin' });
        for (const code of ['SPRING', 'AUTUMN']) expect((await admin.post('/campaigns', campaign(code))).statusCode).toBe(201);
        const lead = await createLead(admin, { source_code: 'EMAIL', campaign_code: 'SPRING' });
        expect((await admin.delete('/campaigns/SPRING')).statusCode).toBe(204);
        expect((await admin.delete('/campaigns/AUTUMN')).statusCode).toBe(204);
        const same = await admin.patch(`/leads/${lead.id}`, { campaign_code: 'SPRING', channel_code: 'DIRECT' });
        expect([same.statusCode, same.json().campaign_code, same.json().channel_code]).toEqual([200, 'SPRING', 'DIRECT']);
        const gone = await admin.patch(`/leads/${lead.id}`, { campaign_code: 'AUTUMN' });
        expect([gone.statusCode, gone.json().errors?.map((e: { field: string }) => e.field)]).toEqual([400, ['campaign_code']]);
      });
    });

    it('answers 404 for a missing, malformed or foreign lead id', async () => {
      const admin = api.as({ tenant: newTenantId(), role: 'admin' });
      const other = api.as({ tenant: newTenantId(), role: 'admin' });
      const lead = await createLead(admin, { source_code: 'WEBSITE' });
      for (const path of [`/leads/999999`, `/leads/abc`, `/leads/0`]) expect((await admin.get(path)).statusCode).toBe(404);
      // The id as it was written, not as a number made of it.
      expect((await admin.get('/leads/abc')).json().detail).toBe('lead "abc" not found');
      expect((await admin.get('/leads/999999')).json().detail).toBe('lead 999999 not found');
      // Other spellings of the lead's id are not its id: not hexadecimal, signed, padded or exponent forms.
      for (const spelling of [`0x${lead.id.toString(16)}`, `+${lead.id}`, `%20${lead.id}`, `${lead.id}%20`, `${lead.id}.0`, `0${lead.id}`]) {
        const res = await admin.get(`/leads/${spelling}`);
        expect([spelling, res.statusCode, res.json().detail]).toEqual([spelling, 404, `lead ${JSON.stringify(decodeURIComponent(spelling))} not found`]);
      }
      expect((await other.get(`/leads/${lead.id}`)).statusCode).toBe(404);
      expect((await other.patch(`/leads/${lead.id}`, { status: 'lost' })).statusCode).toBe(404);
      expect((await other.delete(`/leads/${lead.id}`)).statusCode).toBe(404);
      expect((await other.get('/leads')).json().total).toBe(0);
    });

    it('lets agents write leads and refuses viewers', async () => {
      const tenant = newTenantId();
      expect((await api.as({ tenant, role: 'viewer' }).post('/leads', { source_code: 'WEBSITE' })).statusCode).toBe(403);
      expect((await api.as({ tenant, role: 'agent' }).post('/leads', { source_code: 'WEBSITE' })).statusCode).toBe(201);
      expect((await api.as({ tenant, role: 'viewer' }).get('/leads')).json().total).toBe(1);
    });

    it('filters the list by codes, status and creation days, newest first', async () => {
      const admin = api.as({ tenant: newTenantId(), role: 'admin' });
      await createLead(admin, { source_code: 'WEBSITE', created_at: '2026-03-01T08:00:00Z' });
      await createLead(admin, { source_code: 'SOCIAL', sub_source_code: 'FACEBOOK', created_at: '2026-03-02T08:00:00Z', status: 'lost' });
      await createLead(admin, { source_code: 'SOCIAL', channel_code: 'PAID', created_at: '2026-03-03T23:59:59Z' });
      const codes = async (query: Record<string, string>) =>
        (await admin.get('/leads', { query })).json().data.map((l: { created_at: string }) => l.created_at.slice(0, 10));
      expect(await codes({})).toEqual(['2026-03-03', '2026-03-02', '2026-03-01']);
      expect(await codes({ source_code: 'SOCIAL' })).toEqual(['2026-03-03', '2026-03-02']);
      expect(await codes({ source_code: 'SOCIAL', sub_source_code: 'FACEBOOK' })).toEqual(['2026-03-02']);
      expect(await codes({ channel_code: 'PAID' })).toEqual(['2026-03-03']);
      expect(await codes({ status: 'lost' })).toEqual(['2026-03-02']);
      expect(await codes({ created_from: '2026-03-02', created_to: '2026-03-03' })).toEqual(['2026-03-03', '2026-03-02']);
      expect(await codes({ source_code: 'NOPE' })).toEqual([]);
      expect((await admin.get('/leads', { query: { sub_source_code: 'FACEBOOK' } })).statusCode).toBe(400);
    });
  });

  describe('bulk', () => {
    it('stores every lead of a valid batch', async () => {
      const admin = api.as({ tenant: newTenantId(), role: 'admin' });
      const leads = Array.from({ length: 250 }, (_, i) => ({ source_code: i % 2 ? 'WEBSITE' : 'EMAIL', lead_code: `B-${i}` }));
      const res = await admin.post('/leads/bulk', { leads });
      expect(res.statusCode).toBe(201);
      expect(res.json().created).toBe(250);
      expect(res.json().data[7].lead_code).toBe('B-7');
      expect((await admin.get('/leads')).json().total).toBe(250);
      const sources = (await admin.get('/lead-sources')).json().data;
      expect(sources.find((s: { source_code: string }) => s.source_code === 'WEBSITE').leads_generated).toBe(125);
    });

    it('stores nothing when any row is bad, and names every bad row by index', async () => {
      const admin = api.as({ tenant: newTenantId(), role: 'admin' });
      await createLead(admin, { source_code: 'WEBSITE', lead_code: 'TAKEN' });
      const leads = [
        { source_code: 'WEBSITE' },
        { source_code: 'NOPE' },
        { source_code: 'WEBSITE', expected_value: 'a lot' },
        { source_code: 'WEBSITE', lead_code: 'TAKEN' },
        { source_code: 'WEBSITE', lead_code: 'TWICE' },
        { source_code: 'WEBSITE', lead_code: 'TWICE' },
      ];
      const res = await admin.post('/leads/bulk', { leads });
      expect(res.statusCode).toBe(400);
      const fields = res.json().errors.map((e: { field: string }) => e.field);
      expect(fields).toEqual(expect.arrayContaining(['leads[1].source_code', 'leads[2].expected_value', 'leads[3].lead_code', 'leads[5].lead_code']));
      expect(fields.some((f: string) => f.startsWith('leads[0]'))).toBe(false);
      expect((await admin.get('/leads')).json().total).toBe(1);
    });

    it('finds taken codes anywhere in a large batch (codes are looked up a slice at a time)', async () => {
      const admin = api.as({ tenant: newTenantId(), role: 'admin' });
      const first = await admin.post('/leads/bulk', { leads: Array.from({ length: 350 }, (_, i) => ({ source_code: 'WEBSITE', lead_code: `L-${i}` })) });
      expect(first.statusCode).toBe(201);
      // 350 new codes, then three already taken: the first, one in the middle and the last of the stored ones.
      const leads = [
        ...Array.from({ length: 350 }, (_, i) => ({ source_code: 'EMAIL', lead_code: `M-${i}` })),
        { source_code: 'EMAIL', lead_code: 'L-0' },
        { source_code: 'EMAIL', lead_code: 'L-170' },
        { source_code: 'EMAIL', lead_code: 'L-349' },
      ];
      const res = await admin.post('/leads/bulk', { leads });
      expect(res.statusCode).toBe(400);
      expect(
        res
          .json()
          .errors.map((e: { field: string }) => e.field)
          .sort(),
      ).toEqual(['leads[350].lead_code', 'leads[351].lead_code', 'leads[352].lead_code']);
      expect((await admin.get('/leads', { query: { limit: 1 } })).json().total).toBe(350);
    });

    it('refuses an empty batch and one of 5,001 leads', async () => {
      const admin = api.as({ tenant: newTenantId(), role: 'admin' });
      expect((await admin.post('/leads/bulk', { leads: [] })).statusCode).toBe(400);
      const many = Array.from({ length: 5001 }, () => ({ source_code: 'WEBSITE' }));
      expect((await admin.post('/leads/bulk', { leads: many })).statusCode).toBe(400);
    });
  });
});
