import { startTestApi, TestApi } from '../support/app';
import { newTenantId } from '../support/tenants';
import { aCampaign, createCampaign, expectStatus, fields, putMetric } from './campaign-builders';

/** Campaigns: create, read, PATCH, delete/restore, the status workflow and the editing lock (API.md §5). */
describe('campaigns', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(() => api.close());

  const admin = () => api.as({ tenant: newTenantId(), role: 'admin', sub: 'alice' });

  describe('create and read', () => {
    it('creates in the initial status with server defaults, and reads it back', async () => {
      const a = admin();
      const res = await a.post('/campaigns', aCampaign({ channels: [{ channel_code: 'FACEBOOK', allocated_budget: 120.5 }, { channel_code: 'EMAIL' }] }));
      expect(res.statusCode).toBe(201);
      expect(res.headers.etag).toBe('"1"');
      const created = res.json();
      expect(created).toEqual({
        id: expect.any(Number),
        campaign_code: 'SPRING',
        campaign_name: 'Spring campaign',
        campaign_type_code: 'EMAIL_BLAST',
        status_code: 'DRAFT',
        budget_type_code: null,
        budget: null,
        start_date: '2026-03-01',
        end_date: null,
        // In the channels' display order.
        channels: [
          { channel_code: 'EMAIL', allocated_budget: 0 },
          { channel_code: 'FACEBOOK', allocated_budget: 120.5 },
        ],
        target_audience: {},
        kpis: [],
        template_id: null,
        total_spent: 0,
        total_leads: 0,
        total_conversions: 0,
        total_revenue: 0,
        created_at: expect.any(String),
        updated_at: expect.any(String),
        created_by: 'alice',
        updated_by: 'alice',
        version: 1,
      });
      expect(expectStatus(await a.get('/campaigns/SPRING'), 200)).toEqual(created);
      expect((await a.post('/campaigns', aCampaign())).json().code).toBe('DUPLICATE_CODE');
      expect((await a.get('/campaigns/NOPE')).statusCode).toBe(404);
    });

    it('refuses bad references, dates, duplicate channels and unknown fields, naming each field (400)', async () => {
      const a = admin();
      await a.post('/campaign-types/SEO_CAMPAIGN/deactivate');
      const res = await a.post(
        '/campaigns',
        aCampaign({
          campaign_type_code: 'SEO_CAMPAIGN',
          status_code: 'LIVE',
          budget_type_code: 'NOPE',
          end_date: '2026-02-28',
          channels: [{ channel_code: 'EMAIL' }, { channel_code: 'EMAIL' }, { channel_code: 'TIKTOK' }],
          template_id: 999999,
        }),
      );
      expect(fields(res)).toEqual([
        'campaign_type_code',
        'status_code',
        'budget_type_code',
        'channels[2].channel_code',
        'channels[1].channel_code',
        'template_id',
        'end_date',
      ]);
      expect(fields(await a.post('/campaigns', aCampaign({ start_date: '2026-02-30' })))).toEqual(['start_date']);
      expect(fields(await a.post('/campaigns', aCampaign({ total_spent: 5 })))).toEqual(['total_spent']);
      expect(fields(await a.post('/campaigns', aCampaign({ channels: [{ channel_code: 'EMAIL', allocated_budget: -1 }] })))).toEqual([
        'channels[0].allocated_budget',
      ]);
      expect(fields(await a.post('/campaigns', aCampaign({ target_audience: [1] })))).toEqual(['target_audience']);
    });

    it("keeps the budget within its type's min and max (400), edges included", async () => {
      const a = admin();
      await a.patch('/campaign-types/EMAIL_BLAST', { min_budget: 1000, max_budget: 5000 });
      expect(fields(await a.post('/campaigns', aCampaign({ budget: 999.99 })))).toEqual(['budget']);
      expect(fields(await a.post('/campaigns', aCampaign({ budget: 5000.01 })))).toEqual(['budget']);
      expectStatus(await a.post('/campaigns', aCampaign({ campaign_code: 'LOW', budget: 1000 })), 201);
      expectStatus(await a.post('/campaigns', aCampaign({ campaign_code: 'HIGH', budget: 5000 })), 201);
      expectStatus(await a.post('/campaigns', aCampaign({ campaign_code: 'UNSET' })), 201); // no budget, nothing to check
      // Changing the budget or the type re-checks it; other changes do not.
      expect(fields(await a.patch('/campaigns/LOW', { budget: 10 }))).toEqual(['budget']);
      await a.patch('/campaign-types/SOCIAL_ADS', { max_budget: 2000 });
      expect(fields(await a.patch('/campaigns/HIGH', { campaign_type_code: 'SOCIAL_ADS' }))).toEqual(['budget']);
      await a.patch('/campaign-types/EMAIL_BLAST', { max_budget: 4000 });
      expectStatus(await a.patch('/campaigns/HIGH', { campaign_name: 'Still 5000' }), 200);
    });

    it('lists newest start first, with filters by type, status and channel', async () => {
      const a = admin();
      await createCampaign(a, { campaign_code: 'A', start_date: '2026-01-01', channels: [{ channel_code: 'EMAIL' }] });
      await createCampaign(a, { campaign_code: 'B', start_date: '2026-03-01', campaign_type_code: 'SOCIAL_ADS', channels: [{ channel_code: 'FACEBOOK' }] });
      await createCampaign(a, {
        campaign_code: 'C',
        start_date: '2026-02-01',
        status_code: 'ACTIVE',
        channels: [{ channel_code: 'EMAIL' }, { channel_code: 'FACEBOOK' }],
      });
      const list = (query: Record<string, string | number> = {}) =>
        a.get('/campaigns', { query }).then((r) => expectStatus(r, 200).data.map((c: any) => c.campaign_code));
      expect(await list()).toEqual(['B', 'C', 'A']);
      expect(await list({ campaign_type_code: 'EMAIL_BLAST' })).toEqual(['C', 'A']);
      expect(await list({ status_code: 'ACTIVE' })).toEqual(['C']);
      expect(await list({ channel_code: 'FACEBOOK' })).toEqual(['B', 'C']);
      expect(await list({ channel_code: 'GOOGLE_ADS' })).toEqual([]);
      expect(await list({ limit: 1, offset: 1 })).toEqual(['C']);
      const page = expectStatus(await a.get('/campaigns', { query: { limit: 2 } }), 200);
      expect(page).toMatchObject({ total: 3, limit: 2, offset: 0 });
      expect(page.data[1].channels.map((c: any) => c.channel_code)).toEqual(['EMAIL', 'FACEBOOK']);
    });
  });

  it('keeps /campaigns/analytics/... apart from a campaign coded ANALYTICS', async () => {
    const a = admin();
    await createCampaign(a, { campaign_code: 'ANALYTICS', channels: [{ channel_code: 'EMAIL' }] });
    expect(expectStatus(await a.get('/campaigns/ANALYTICS'), 200).campaign_code).toBe('ANALYTICS');
    expect(expectStatus(await a.get('/campaigns/ANALYTICS/metrics'), 200).total).toBe(0);
    expect(expectStatus(await a.get('/campaigns/analytics/types'), 200).data).toHaveLength(3);
    expect(expectStatus(await a.get('/campaigns/analytics/channel/EMAIL/performance'), 200).channel_code).toBe('EMAIL');
    expect((await a.get('/campaigns/analytics')).statusCode).toBe(404); // lower case names no campaign
  });

  describe('PATCH', () => {
    it('changes fields partially, replaces the channel set, and is audited', async () => {
      const a = admin();
      await createCampaign(a, {
        budget: 900,
        channels: [
          { channel_code: 'EMAIL', allocated_budget: 100 },
          { channel_code: 'FACEBOOK', allocated_budget: 200 },
        ],
      });
      const patched = expectStatus(
        await a.patch(
          '/campaigns/SPRING',
          {
            campaign_name: 'Renamed',
            end_date: '2026-03-31',
            channels: [
              { channel_code: 'FACEBOOK', allocated_budget: 250 },
              { channel_code: 'GOOGLE_ADS', allocated_budget: 50 },
            ],
          },
          { headers: { 'if-match': '"1"' } },
        ),
        200,
      );
      expect(patched).toMatchObject({
        campaign_name: 'Renamed',
        budget: 900,
        end_date: '2026-03-31',
        channels: [
          { channel_code: 'FACEBOOK', allocated_budget: 250 },
          { channel_code: 'GOOGLE_ADS', allocated_budget: 50 },
        ],
        version: 2,
      });
      expect((await a.patch('/campaigns/SPRING', { campaign_name: 'x' }, { headers: { 'if-match': '"1"' } })).statusCode).toBe(412);
      expect(fields(await a.patch('/campaigns/SPRING', { end_date: '2026-02-01' }))).toEqual(['end_date']);
      expect(fields(await a.patch('/campaigns/SPRING', { campaign_code: 'OTHER' }))).toEqual(['campaign_code']);
      expect(fields(await a.patch('/campaigns/SPRING', { status_code: 'ACTIVE' }))).toEqual(['status_code']);
      expect(fields(await a.patch('/campaigns/SPRING', { campaign_name: null }))).toEqual(['campaign_name']);
      const audit = expectStatus(await a.get('/audit-log', { query: { entity_type: 'campaign', entity_key: 'SPRING' } }), 200).data;
      expect(audit[0]).toMatchObject({
        action: 'update',
        changes: {
          campaign_name: ['Spring campaign', 'Renamed'],
          end_date: [null, '2026-03-31'],
          channels: [
            [
              { channel_code: 'EMAIL', allocated_budget: 100 },
              { channel_code: 'FACEBOOK', allocated_budget: 200 },
            ],
            [
              { channel_code: 'FACEBOOK', allocated_budget: 250 },
              { channel_code: 'GOOGLE_ADS', allocated_budget: 50 },
            ],
          ],
        },
      });
    });

    it('keeps a channel the campaign already has even when it was deactivated since', async () => {
      const a = admin();
      await createCampaign(a, { channels: [{ channel_code: 'EMAIL' }] });
      await a.post('/campaign-channels/EMAIL/deactivate');
      expectStatus(await a.patch('/campaigns/SPRING', { channels: [{ channel_code: 'EMAIL', allocated_budget: 5 }] }), 200);
      await a.post('/campaign-channels/FACEBOOK/deactivate');
      expect(fields(await a.patch('/campaigns/SPRING', { channels: [{ channel_code: 'EMAIL' }, { channel_code: 'FACEBOOK' }] }))).toEqual([
        'channels[1].channel_code',
      ]);
    });
  });

  describe('status transitions', () => {
    it('follows allowed_transitions, audited as "transition"', async () => {
      const a = admin();
      await createCampaign(a);
      const to = (status: string) => a.post('/campaigns/SPRING/transition', { status_code: status });
      expect(expectStatus(await to('ACTIVE'), 200)).toMatchObject({ status_code: 'ACTIVE', version: 2 });
      expect(expectStatus(await to('PAUSED'), 200).status_code).toBe('PAUSED');
      expect(expectStatus(await to('ACTIVE'), 200).status_code).toBe('ACTIVE');
      expect(expectStatus(await to('COMPLETED'), 200).status_code).toBe('COMPLETED');
      const audit = expectStatus(await a.get('/audit-log', { query: { entity_type: 'campaign', entity_key: 'SPRING' } }), 200).data;
      expect(audit.map((e: any) => e.action)).toEqual(['transition', 'transition', 'transition', 'transition', 'create']);
      expect(audit[0].changes).toEqual({ status_code: ['ACTIVE', 'COMPLETED'] });
    });

    it('refuses moves that are not listed, staying put, and any way out of a final status (409)', async () => {
      const a = admin();
      await createCampaign(a);
      const to = (status: string) => a.post('/campaigns/SPRING/transition', { status_code: status });
      const skip = await to('COMPLETED');
      expect(skip.statusCode).toBe(409);
      expect(skip.json()).toMatchObject({ code: 'CONFLICT', detail: 'DRAFT → COMPLETED is not allowed; DRAFT allows ACTIVE' });
      expect((await to('DRAFT')).json().code).toBe('CONFLICT');
      expectStatus(await to('ACTIVE'), 200);
      expectStatus(await to('COMPLETED'), 200);
      for (const status of ['ACTIVE', 'PAUSED', 'DRAFT']) expect((await to(status)).json().code).toBe('CONFLICT');
      expect((await to('ACTIVE')).json().detail).toBe('COMPLETED is a final status: no transition leaves it');
      expect((await to('COMPLETED')).json().detail).toBe('The campaign is already in status COMPLETED');
      expect(expectStatus(await a.get('/campaigns/SPRING'), 200).status_code).toBe('COMPLETED');
    });

    it('reads an empty allowed_transitions as any non-initial status', async () => {
      const a = admin();
      expectStatus(await a.post('/campaign-statuses', { status_code: 'REVIEW', status_name: 'Review' }), 201);
      await createCampaign(a, { status_code: 'REVIEW' });
      expect((await a.post('/campaigns/SPRING/transition', { status_code: 'DRAFT' })).json().code).toBe('CONFLICT');
      expect(expectStatus(await a.post('/campaigns/SPRING/transition', { status_code: 'COMPLETED' }), 200).status_code).toBe('COMPLETED');
    });

    it('names an unknown or inactive target (400), honours If-Match (412), and needs a campaign writer', async () => {
      const tenant = newTenantId();
      const a = api.as({ tenant, role: 'admin' });
      await createCampaign(a);
      expect(fields(await a.post('/campaigns/SPRING/transition', { status_code: 'LAUNCHED' }))).toEqual(['status_code']);
      await a.post('/campaign-statuses/ACTIVE/deactivate');
      expect(fields(await a.post('/campaigns/SPRING/transition', { status_code: 'ACTIVE' }))).toEqual(['status_code']);
      await a.post('/campaign-statuses/ACTIVE/activate');
      expect((await a.post('/campaigns/SPRING/transition', { status_code: 'ACTIVE' }, { headers: { 'if-match': '"9"' } })).statusCode).toBe(412);
      expect((await api.as({ tenant, role: 'agent' }).post('/campaigns/SPRING/transition', { status_code: 'ACTIVE' })).statusCode).toBe(403);
      expectStatus(await api.as({ tenant, role: 'manager' }).post('/campaigns/SPRING/transition', { status_code: 'ACTIVE' }), 200);
    });
    it("keeps a deleted status in other statuses' lists without blocking their PATCH, and refuses it as a target (400)", async () => {
      const a = admin();
      await createCampaign(a);
      expectStatus(await a.post('/campaigns/SPRING/transition', { status_code: 'ACTIVE' }), 200);
      expect((await a.delete('/campaign-statuses/PAUSED')).statusCode).toBe(204);
      // ACTIVE still lists PAUSED; an unrelated PATCH of ACTIVE (or one keeping the held code) is fine.
      const renamed = expectStatus(await a.patch('/campaign-statuses/ACTIVE', { status_name: 'Running' }), 200);
      expect(renamed).toMatchObject({ status_name: 'Running', allowed_transitions: ['PAUSED', 'COMPLETED'] });
      expectStatus(await a.patch('/campaign-statuses/ACTIVE', { allowed_transitions: ['COMPLETED', 'PAUSED'] }), 200);
      // A code that is new to the list must name a live status.
      const added = await a.patch('/campaign-statuses/DRAFT', { allowed_transitions: ['ACTIVE', 'PAUSED'] });
      expect(fields(added)).toEqual(['allowed_transitions']);
      expect(added.json().detail).toContain('no campaign status PAUSED');
      // The deleted code names no live status: the move is refused and the campaign stays ACTIVE.
      const move = await a.post('/campaigns/SPRING/transition', { status_code: 'PAUSED' });
      expect(fields(move)).toEqual(['status_code']);
      expect(move.json().detail).toContain('no campaign status PAUSED');
      expect(expectStatus(await a.get('/campaigns/SPRING'), 200).status_code).toBe('ACTIVE');
    });
  });

  describe('the editing lock', () => {
    it('refuses PATCH and metric writes while the status has allows_editing false (409), and lifts with the status', async () => {
      const a = admin();
      await a.patch('/campaign-statuses/PAUSED', { allows_editing: false });
      await createCampaign(a, { channels: [{ channel_code: 'EMAIL' }] });
      await putMetric(a, 'SPRING', { channel_code: 'EMAIL', metric_date: '2026-03-01', impressions: 10 });
      await a.post('/campaigns/SPRING/transition', { status_code: 'ACTIVE' });
      expectStatus(await a.post('/campaigns/SPRING/transition', { status_code: 'PAUSED' }), 200);

      const patch = await a.patch('/campaigns/SPRING', { campaign_name: 'x' });
      expect(patch.statusCode).toBe(409);
      expect(patch.json()).toMatchObject({ code: 'CONFLICT', detail: expect.stringContaining('does not allow editing') });
      expect((await a.put('/campaigns/SPRING/metrics', { channel_code: 'EMAIL', metric_date: '2026-03-02' })).json().code).toBe('CONFLICT');
      expect((await a.post('/campaigns/SPRING/metrics/bulk', { metrics: [{ channel_code: 'EMAIL', metric_date: '2026-03-02' }] })).json().code).toBe(
        'CONFLICT',
      );
      // Nothing was written; reading is fine; the way out of the locked status is open.
      expect(expectStatus(await a.get('/campaigns/SPRING/metrics'), 200).total).toBe(1);
      expectStatus(await a.post('/campaigns/SPRING/transition', { status_code: 'ACTIVE' }), 200);
      expectStatus(await a.patch('/campaigns/SPRING', { campaign_name: 'Editable again' }), 200);
      await putMetric(a, 'SPRING', { channel_code: 'EMAIL', metric_date: '2026-03-02' });
    });

    it('applies to a campaign created directly in a locked status', async () => {
      const a = admin();
      await a.patch('/campaign-statuses/COMPLETED', { allows_editing: false });
      await createCampaign(a, { status_code: 'COMPLETED', channels: [{ channel_code: 'EMAIL' }] });
      expect((await a.patch('/campaigns/SPRING', { kpis: ['x'] })).statusCode).toBe(409);
      expect((await a.put('/campaigns/SPRING/metrics', { channel_code: 'EMAIL', metric_date: '2026-03-02' })).statusCode).toBe(409);
      // Deleting is not editing.
      expect((await a.delete('/campaigns/SPRING')).statusCode).toBe(204);
    });
  });

  describe('delete and restore', () => {
    it('soft-deletes, frees the code, and restores (admin) unless the code was reused', async () => {
      const tenant = newTenantId();
      const a = api.as({ tenant, role: 'admin' });
      const manager = api.as({ tenant, role: 'manager' });
      await createCampaign(a, { channels: [{ channel_code: 'EMAIL', allocated_budget: 10 }] });
      await putMetric(a, 'SPRING', { channel_code: 'EMAIL', metric_date: '2026-03-01', spend: 5 });
      expect((await a.delete('/campaigns/SPRING', { headers: { 'if-match': '"3"' } })).statusCode).toBe(412);
      expect((await manager.delete('/campaigns/SPRING')).statusCode).toBe(204);
      expect((await a.get('/campaigns/SPRING')).statusCode).toBe(404);
      expect((await a.get('/campaigns/SPRING/metrics')).statusCode).toBe(404);
      expect(expectStatus(await a.get('/campaigns'), 200).total).toBe(0);
      expect((await manager.get('/campaigns', { query: { include_deleted: true } })).statusCode).toBe(403);
      expect(expectStatus(await a.get('/campaigns', { query: { include_deleted: true } }), 200).data[0].deleted_at).toEqual(expect.any(String));

      expect((await manager.post('/campaigns/SPRING/restore')).statusCode).toBe(403);
      const restored = expectStatus(await a.post('/campaigns/SPRING/restore'), 200);
      expect(restored).toMatchObject({ channels: [{ channel_code: 'EMAIL', allocated_budget: 10 }], total_spent: 5 });
      expect(restored).not.toHaveProperty('deleted_at');

      await a.delete('/campaigns/SPRING');
      await createCampaign(a);
      expect((await a.post('/campaigns/SPRING/restore')).json().code).toBe('DUPLICATE_CODE');
      expect((await a.post('/campaigns/NEVER/restore')).statusCode).toBe(404);
    });
  });

  describe('concurrent writes', () => {
    it('queue on the campaign: PATCHes without If-Match all succeed, a transition happens once', async () => {
      const a = admin();
      await createCampaign(a, { channels: [{ channel_code: 'EMAIL' }] });
      const patches = await Promise.all(Array.from({ length: 8 }, (_, i) => a.patch('/campaigns/SPRING', { campaign_name: `Name ${i}` })));
      expect(patches.map((r) => r.statusCode)).toEqual(Array(8).fill(200));
      expect(expectStatus(await a.get('/campaigns/SPRING'), 200).version).toBe(9);
      const moves = await Promise.all([1, 2, 3].map(() => a.post('/campaigns/SPRING/transition', { status_code: 'ACTIVE' })));
      expect(moves.map((r) => r.statusCode).sort()).toEqual([200, 409, 409]);
    });

    it('let a delete race metric writes without a server error', async () => {
      const a = admin();
      await createCampaign(a, { channels: [{ channel_code: 'EMAIL' }] });
      const results = await Promise.all([
        ...Array.from({ length: 6 }, (_, i) => a.put('/campaigns/SPRING/metrics', { channel_code: 'EMAIL', metric_date: `2026-03-0${i + 1}`, spend: 1 })),
        a.delete('/campaigns/SPRING'),
        ...Array.from({ length: 6 }, (_, i) => a.patch('/campaigns/SPRING', { kpis: [`k${i}`] })),
      ]);
      for (const r of results) expect([200, 201, 204, 404]).toContain(r.statusCode);
      expect((await a.get('/campaigns/SPRING')).statusCode).toBe(404);
    });

    it('restore a deleted campaign once when restores race: its metrics count once in the analytics', async () => {
      const a = admin();
      await createCampaign(a, { channels: [{ channel_code: 'EMAIL' }] });
      await putMetric(a, 'SPRING', { channel_code: 'EMAIL', metric_date: '2026-03-02', leads_generated: 10, conversions: 2, spend: 12.5 });
      const range = { query: { start_date: '2026-03-01', end_date: '2026-03-31' } };
      const types = async () => expectStatus(await a.get('/campaigns/analytics/types', range), 200).data;
      const before = await types();
      expect(before.find((t: any) => t.type_code === 'EMAIL_BLAST')).toMatchObject({ total_spent: 12.5, total_leads: 10, total_conversions: 2 });
      expectStatus(await a.delete('/campaigns/SPRING'), 204);
      const restores = await Promise.all(Array.from({ length: 8 }, () => a.post('/campaigns/SPRING/restore')));
      // One restore brings it back; the others find no deleted campaign left (404), as a later restore would.
      expect(restores.map((r) => r.statusCode).sort()).toEqual([200, ...Array(7).fill(404)]);
      expect(await types()).toEqual(before);
      const audit = expectStatus(await a.get('/audit-log', { query: { entity_type: 'campaign', entity_key: 'SPRING' } }), 200).data;
      const entries = audit.filter((e: any) => e.action === 'restore');
      expect(entries).toHaveLength(1);
      // Before is the deleted campaign: the entry shows deleted_at going back to null, not a create.
      expect(entries[0].changes.deleted_at).toEqual([expect.any(String), null]);
    });

    it('keep one initial status when two are promoted at once', async () => {
      const a = admin();
      for (const code of ['ONE', 'TWO', 'THREE']) expectStatus(await a.post('/campaign-statuses', { status_code: code, status_name: code }), 201);
      const results = await Promise.all(['ONE', 'TWO', 'THREE'].map((code) => a.patch(`/campaign-statuses/${code}`, { is_initial: true })));
      expect(results.map((r) => r.statusCode)).toEqual([200, 200, 200]);
      const initials = expectStatus(await a.get('/campaign-statuses'), 200).data.filter((s: any) => s.is_initial);
      expect(initials).toHaveLength(1);
    });

    it('promote a status while the initial one is being edited: every write succeeds, one initial remains', async () => {
      const a = admin();
      expectStatus(await a.post('/campaign-statuses', { status_code: 'ONE', status_name: 'One' }), 201);
      const results = await Promise.all([
        ...Array.from({ length: 4 }, (_, i) => a.patch('/campaign-statuses/DRAFT', { status_name: `Draft ${i}` })),
        a.patch('/campaign-statuses/ONE', { is_initial: true }),
        ...Array.from({ length: 4 }, (_, i) => a.patch('/campaign-statuses/DRAFT', { description: `d${i}` })),
      ]);
      // An edit that runs after the promotion finds DRAFT no longer initial: it still succeeds.
      expect(results.map((r) => r.statusCode)).toEqual(Array(9).fill(200));
      const initials = expectStatus(await a.get('/campaign-statuses'), 200).data.filter((s: any) => s.is_initial);
      expect(initials.map((s: any) => s.status_code)).toEqual(['ONE']);
    });
  });

  describe('roles', () => {
    it('lets admins and managers write campaigns; agents and viewers read', async () => {
      const tenant = newTenantId();
      const manager = api.as({ tenant, role: 'manager' });
      const agent = api.as({ tenant, role: 'agent' });
      const viewer = api.as({ tenant, role: 'viewer' });
      await createCampaign(manager, { channels: [{ channel_code: 'EMAIL' }] });
      expect((await agent.post('/campaigns', aCampaign({ campaign_code: 'X' }))).statusCode).toBe(403);
      expect((await viewer.patch('/campaigns/SPRING', { campaign_name: 'x' })).statusCode).toBe(403);
      expect((await agent.put('/campaigns/SPRING/metrics', { channel_code: 'EMAIL', metric_date: '2026-03-01' })).statusCode).toBe(403);
      expect((await agent.post('/campaigns/SPRING/metrics/bulk', { metrics: [] })).statusCode).toBe(403);
      expect((await viewer.delete('/campaigns/SPRING')).statusCode).toBe(403);
      expectStatus(await viewer.get('/campaigns/SPRING'), 200);
      expectStatus(await agent.get('/campaigns/SPRING/metrics'), 200);
      expectStatus(await viewer.get('/campaigns/analytics/types'), 200);
    });
  });

  describe('for the leads module', () => {
    it('answers which codes are live campaigns of the tenant, and the codes of ids, deleted included', async () => {
      const { CampaignsService } = await import('../../src/campaigns/campaigns.service');
      const { TenantContext } = await import('../../src/tenancy/tenant-context');
      const tenant = newTenantId();
      const a = api.as({ tenant, role: 'admin' });
      const live = await createCampaign(a, { campaign_code: 'LIVE' });
      const gone = await createCampaign(a, { campaign_code: 'GONE' });
      await a.delete('/campaigns/GONE');
      const other = await createCampaign(admin(), { campaign_code: 'LIVE' });
      const service = api.app.get(CampaignsService);
      const asTenant = <T>(work: () => Promise<T>) => api.app.get(TenantContext).runAs({ tenantId: tenant, userId: 'leads', role: 'admin' }, work);
      expect(await asTenant(() => service.idsByCodes(['LIVE', 'GONE', 'NOPE']))).toEqual(new Map([['LIVE', live.id]]));
      expect(await asTenant(() => service.codesByIds([live.id, gone.id, other.id]))).toEqual(
        new Map([
          [live.id, 'LIVE'],
          [gone.id, 'GONE'],
        ]),
      );
      expect((await asTenant(() => service.findLiveByCode('LIVE')))?.id).toBe(live.id);
      expect(await asTenant(() => service.findLiveByCode('GONE'))).toBeNull();
    });
  });
});
