import { DataSource } from 'typeorm';
import { startTestApi, TestApi } from '../support/app';
import { newTenantId } from '../support/tenants';
import { CampaignChannelsService } from '../../src/campaigns/campaign-channels.service';
import { TenantContext } from '../../src/tenancy/tenant-context';
import { expectStatus, fields } from './campaign-builders';

/** The four campaign vocabularies (API.md §5): defaults, the shared CRUD rules, and each one's own rules. */
describe('campaign configuration', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(() => api.close());

  const admin = () => api.as({ tenant: newTenantId(), role: 'admin' });
  const codes = (body: { data: Record<string, unknown>[] }, field: string) => body.data.map((r) => r[field]);

  describe('tenant defaults (API.md §2)', () => {
    it('seeds types, channels, statuses and budget types in display order', async () => {
      const a = admin();
      expect(codes(expectStatus(await a.get('/campaign-types'), 200), 'type_code')).toEqual(['EMAIL_BLAST', 'SOCIAL_ADS', 'SEO_CAMPAIGN']);
      expect(codes(expectStatus(await a.get('/campaign-channels'), 200), 'channel_code')).toEqual(['EMAIL', 'FACEBOOK', 'GOOGLE_ADS']);
      expect(codes(expectStatus(await a.get('/campaign-budget-types'), 200), 'budget_type_code')).toEqual(['TOTAL', 'PER_CHANNEL', 'VARIABLE']);
      const statuses = expectStatus(await a.get('/campaign-statuses'), 200).data;
      expect(statuses.map((s: any) => [s.status_code, s.is_initial, s.is_final, s.allows_editing, s.allowed_transitions])).toEqual([
        ['DRAFT', true, false, true, ['ACTIVE']],
        ['ACTIVE', false, false, true, ['PAUSED', 'COMPLETED']],
        ['PAUSED', false, false, true, ['ACTIVE', 'COMPLETED']],
        ['COMPLETED', false, true, true, []],
      ]);
      const email = expectStatus(await a.get('/campaign-channels/EMAIL'), 200);
      expect(email).toMatchObject({ is_default: true, integration_key_set: false, integration_key_last4: null, integration_data: {}, created_by: 'system' });
    });

    it('orders by display_order, then name', async () => {
      const a = admin();
      await a.post('/campaign-types', { type_code: 'ZED', type_name: 'Aardvark', display_order: 0 });
      await a.post('/campaign-types', { type_code: 'WEBINAR', type_name: 'Webinar', display_order: 1 });
      // display_order 0: EMAIL_BLAST "Email blast" and ZED "Aardvark" → name decides.
      expect(codes(expectStatus(await a.get('/campaign-types'), 200), 'type_code')).toEqual(['ZED', 'EMAIL_BLAST', 'SOCIAL_ADS', 'WEBINAR', 'SEO_CAMPAIGN']);
    });
  });

  describe.each([
    ['/campaign-types', 'type_code', 'type_name'],
    ['/campaign-channels', 'channel_code', 'channel_name'],
    ['/campaign-statuses', 'status_code', 'status_name'],
    ['/campaign-budget-types', 'budget_type_code', 'budget_type_name'],
  ])('%s: the shared rules', (path, codeField, nameField) => {
    it('creates, reads, patches with If-Match, deactivates, activates, deletes and restores', async () => {
      const a = admin();
      const created = expectStatus(await a.post(path, { [codeField]: 'NEW_ONE', [nameField]: 'New one' }), 201);
      expect(created).toMatchObject({ [codeField]: 'NEW_ONE', is_active: true, version: 1 });
      expect(expectStatus(await a.get(`${path}/NEW_ONE`), 200).id).toBe(created.id);
      expect((await a.post(path, { [codeField]: 'NEW_ONE', [nameField]: 'Again' })).json().code).toBe('DUPLICATE_CODE');

      expect((await a.patch(`${path}/NEW_ONE`, { [nameField]: 'x' }, { headers: { 'if-match': '"7"' } })).statusCode).toBe(412);
      const patched = expectStatus(await a.patch(`${path}/NEW_ONE`, { [nameField]: 'Renamed' }, { headers: { 'if-match': '"1"' } }), 200);
      expect(patched).toMatchObject({ [nameField]: 'Renamed', version: 2 });
      expect((await a.patch(`${path}/NEW_ONE`, { [codeField]: 'OTHER' })).statusCode).toBe(400); // codes are immutable

      expect(expectStatus(await a.post(`${path}/NEW_ONE/deactivate`), 200).is_active).toBe(false);
      expect(codes(expectStatus(await a.get(path), 200), codeField)).not.toContain('NEW_ONE');
      expect(codes(expectStatus(await a.get(path, { query: { include_inactive: true } }), 200), codeField)).toContain('NEW_ONE');
      expect(expectStatus(await a.post(`${path}/NEW_ONE/activate`), 200).is_active).toBe(true);

      expect((await a.delete(`${path}/NEW_ONE`)).statusCode).toBe(204);
      expect((await a.get(`${path}/NEW_ONE`)).statusCode).toBe(404);
      const withDeleted = expectStatus(await a.get(path, { query: { include_deleted: true } }), 200).data;
      expect(withDeleted.find((r: any) => r[codeField] === 'NEW_ONE').deleted_at).toEqual(expect.any(String));
      expect(expectStatus(await a.post(`${path}/NEW_ONE/restore`), 200)[codeField]).toBe('NEW_ONE');

      // A reused code blocks the restore of the old row.
      expect((await a.delete(`${path}/NEW_ONE`)).statusCode).toBe(204);
      expectStatus(await a.post(path, { [codeField]: 'NEW_ONE', [nameField]: 'Reused' }), 201);
      expect((await a.post(`${path}/NEW_ONE/restore`)).json().code).toBe('DUPLICATE_CODE');
    });

    it('lets managers write, keeps restore and include_deleted for admins, and GETs for everyone', async () => {
      const tenant = newTenantId();
      const manager = api.as({ tenant, role: 'manager' });
      const agent = api.as({ tenant, role: 'agent' });
      const viewer = api.as({ tenant, role: 'viewer' });
      expectStatus(await manager.post(path, { [codeField]: 'MGR', [nameField]: 'By a manager' }), 201);
      expect((await agent.post(path, { [codeField]: 'AGT', [nameField]: 'x' })).statusCode).toBe(403);
      expect((await viewer.patch(`${path}/MGR`, { [nameField]: 'x' })).statusCode).toBe(403);
      expect((await agent.delete(`${path}/MGR`)).statusCode).toBe(403);
      expectStatus(await viewer.get(`${path}/MGR`), 200);
      expect((await manager.delete(`${path}/MGR`)).statusCode).toBe(204);
      expect((await manager.post(`${path}/MGR/restore`)).statusCode).toBe(403);
      expect((await manager.get(path, { query: { include_deleted: true } })).statusCode).toBe(403);
    });

    it('refuses unknown fields and bad codes', async () => {
      const a = admin();
      expect(fields(await a.post(path, { [codeField]: 'lower', [nameField]: 'x' }))).toEqual([codeField]);
      expect(fields(await a.post(path, { [codeField]: 'OK', [nameField]: 'x', version: 9 }))).toEqual(['version']);
      expect((await a.get(`${path}/not-a-code`)).statusCode).toBe(404);
    });
  });

  describe('campaign types: budget guidelines', () => {
    it('holds min ≤ recommended ≤ max on create and after merging a PATCH', async () => {
      const a = admin();
      const ok = expectStatus(
        await a.post('/campaign-types', { type_code: 'WEBINAR', type_name: 'Webinar', min_budget: 100, recommended_budget: 500, max_budget: 1000 }),
        201,
      );
      expect(ok).toMatchObject({ min_budget: 100, recommended_budget: 500, max_budget: 1000, metadata: {} });
      expect(fields(await a.post('/campaign-types', { type_code: 'A', type_name: 'a', min_budget: 10, max_budget: 5 }))).toEqual(['max_budget']);
      expect(fields(await a.post('/campaign-types', { type_code: 'B', type_name: 'b', min_budget: 10, recommended_budget: 5 }))).toEqual([
        'recommended_budget',
      ]);
      // The PATCH alone is fine; merged with the stored max (1000) it is not.
      expect(fields(await a.patch('/campaign-types/WEBINAR', { recommended_budget: 1500 }))).toEqual(['recommended_budget']);
      expect(fields(await a.patch('/campaign-types/WEBINAR', { min_budget: 2000 }))).toEqual(expect.arrayContaining(['max_budget']));
      expectStatus(await a.patch('/campaign-types/WEBINAR', { max_budget: null, recommended_budget: 1500 }), 200);
      expect(fields(await a.post('/campaign-types', { type_code: 'C', type_name: 'c', min_budget: -1 }))).toEqual(['min_budget']);
    });
  });

  describe('campaign statuses: the workflow rules', () => {
    it('keeps exactly one initial status: setting one clears the other, audited', async () => {
      const a = admin();
      const review = expectStatus(await a.post('/campaign-statuses', { status_code: 'REVIEW', status_name: 'Review', is_initial: true }), 201);
      expect(review.is_initial).toBe(true);
      const initials = () =>
        a.get('/campaign-statuses').then((r) =>
          r
            .json()
            .data.filter((s: any) => s.is_initial)
            .map((s: any) => s.status_code),
        );
      expect(await initials()).toEqual(['REVIEW']);
      expectStatus(await a.patch('/campaign-statuses/DRAFT', { is_initial: true }), 200);
      expect(await initials()).toEqual(['DRAFT']);
      const audit = expectStatus(await a.get('/audit-log', { query: { entity_type: 'campaign_status', entity_key: 'REVIEW' } }), 200).data;
      expect(audit[0]).toMatchObject({ action: 'update', changes: { is_initial: [true, false] } });
    });

    it('refuses to leave the tenant without an active initial status (409)', async () => {
      const a = admin();
      expect((await a.patch('/campaign-statuses/DRAFT', { is_initial: false })).json().code).toBe('CONFLICT');
      expect((await a.patch('/campaign-statuses/DRAFT', { is_active: false })).json().code).toBe('CONFLICT');
      expect((await a.post('/campaign-statuses/DRAFT/deactivate')).json().code).toBe('CONFLICT');
      expect((await a.delete('/campaign-statuses/DRAFT')).json().code).toBe('CONFLICT');
      expect(expectStatus(await a.get('/campaign-statuses/DRAFT'), 200).is_initial).toBe(true);
    });

    it('refuses contradictions and unknown transition codes (400)', async () => {
      const a = admin();
      const post = (body: object) => a.post('/campaign-statuses', { status_code: 'X', status_name: 'X', ...body });
      expect(fields(await post({ is_initial: true, is_final: true }))).toEqual(['is_final']);
      expect(fields(await post({ is_final: true, allowed_transitions: ['ACTIVE'] }))).toEqual(['allowed_transitions']);
      expect(fields(await post({ allowed_transitions: ['X'] }))).toEqual(['allowed_transitions']);
      expect(fields(await post({ is_initial: true, is_active: false }))).toEqual(['is_active']);
      const unknown = await post({ allowed_transitions: ['ACTIVE', 'NOPE', 'GONE'] });
      expect(unknown.json()).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ field: 'allowed_transitions' }] });
      expect(unknown.json().detail).toContain('NOPE, GONE');
      expect(fields(await post({ allowed_transitions: ['ACTIVE', 'ACTIVE'] }))).toEqual(['allowed_transitions']);
      expect(expectStatus(await post({ allowed_transitions: ['ACTIVE'] }), 201).allows_editing).toBe(true);
    });
  });

  describe('campaign channels: the write-only integration key', () => {
    const KEY = 'sk_live_9f8e7d6c5b4a3210';

    it('shows the last four characters as a person counts them: an emoji with a skin tone is one, never cut', async () => {
      const a = api.as({ tenant: newTenantId(), role: 'admin' });
      const family = '\u{1F468}\u200D\u{1F469}\u200D\u{1F467}\u200D\u{1F466}';
      const created = await a.post('/campaign-channels', {
        channel_code: 'EMOJI',
        channel_name: 'Emoji',
        integration_key: `key-0042\u{1F44D}\u{1F3FD}${family}`,
      });
      expect(created.statusCode).toBe(201);
      expect(created.json().integration_key_last4).toBe(`42\u{1F44D}\u{1F3FD}${family}`);
      const read = await a.get('/campaign-channels/EMOJI');
      expect(read.json().integration_key_last4).toBe(`42\u{1F44D}\u{1F3FD}${family}`);
    });

    it('stores only a sealed form, shows only set/last4, and keeps it out of the audit log', async () => {
      const tenant = newTenantId();
      const a = api.as({ tenant, role: 'admin' });
      const created = await a.post('/campaign-channels', { channel_code: 'TIKTOK', channel_name: 'TikTok', integration_key: KEY });
      expect(created.statusCode).toBe(201);
      expect(created.json()).toMatchObject({ integration_key_set: true, integration_key_last4: '3210' });
      expect(created.body).not.toContain(KEY);
      expect(created.json()).not.toHaveProperty('integration_key');

      // The stored column holds the sealed form, never the key (nor a recognisable part of it).
      const ds = api.app.get(DataSource);
      const [row] = await ds.query('SELECT integration_key_sealed AS sealed FROM tenant_campaign_channels WHERE tenant_id = ? AND channel_code = ?', [
        tenant,
        'TIKTOK',
      ]);
      expect(row.sealed).toMatch(/^v1\./);
      expect(row.sealed).not.toContain(KEY);
      expect(row.sealed).not.toContain('sk_live');
      expect(Buffer.from(row.sealed, 'utf8').includes(Buffer.from(KEY))).toBe(false);

      // Rotating the key: a fresh IV, a different sealed value; the clear key opens only inside the service.
      expectStatus(await a.patch('/campaign-channels/TIKTOK', { integration_key: 'another-key-0000' }), 200);
      const [rotated] = await ds.query('SELECT integration_key_sealed AS sealed FROM tenant_campaign_channels WHERE tenant_id = ? AND channel_code = ?', [
        tenant,
        'TIKTOK',
      ]);
      expect(rotated.sealed).not.toBe(row.sealed);
      const service = api.app.get(CampaignChannelsService);
      const tenancy = api.app.get(TenantContext);
      expect(await tenancy.runAs({ tenantId: tenant, userId: 'test', role: 'admin' }, () => service.revealIntegrationKey('TIKTOK'))).toBe('another-key-0000');

      // Removing it.
      expect(expectStatus(await a.patch('/campaign-channels/TIKTOK', { integration_key: null }), 200)).toMatchObject({
        integration_key_set: false,
        integration_key_last4: null,
      });

      const audit = await a.get('/audit-log', { query: { entity_type: 'campaign_channel', entity_key: 'TIKTOK' } });
      expect(audit.statusCode).toBe(200);
      expect(audit.body).not.toContain(KEY);
      expect(audit.body).not.toContain('another-key-0000');
      expect(audit.body).not.toContain('integration_key"');
      expect(audit.json().data.map((e: any) => e.action)).toEqual(['update', 'update', 'create']);
      expect(audit.json().data[1].changes).toEqual({
        integration_key_last4: ['3210', '0000'],
        integration_key_updated_at: [created.json().integration_key_updated_at, expect.any(String)],
      });
    });

    it('shows when the key was last set or removed, so a rotation keeping the last four characters is visible', async () => {
      const a = admin();
      const bare = expectStatus(await a.post('/campaign-channels', { channel_code: 'TIKTOK', channel_name: 'TikTok' }), 201);
      expect(bare.integration_key_updated_at).toBeNull();
      // Removing a key that was never set changes nothing.
      expect(expectStatus(await a.patch('/campaign-channels/TIKTOK', { integration_key: null }), 200).version).toBe(1);

      const first = expectStatus(await a.patch('/campaign-channels/TIKTOK', { integration_key: KEY }), 200);
      expect(first).toMatchObject({ integration_key_set: true, integration_key_last4: '3210', version: 2 });
      expect(Date.parse(first.integration_key_updated_at)).toBeGreaterThanOrEqual(Date.parse(first.created_at));
      await new Promise((resolve) => setTimeout(resolve, 5));
      const rotated = expectStatus(await a.patch('/campaign-channels/TIKTOK', { integration_key: 'rotated-key-3210' }), 200);
      expect(rotated).toMatchObject({ integration_key_last4: '3210', version: 3 });
      expect(Date.parse(rotated.integration_key_updated_at)).toBeGreaterThan(Date.parse(first.integration_key_updated_at));
      expect(expectStatus(await a.get('/campaign-channels/TIKTOK'), 200).integration_key_updated_at).toBe(rotated.integration_key_updated_at);

      const audit = expectStatus(await a.get('/audit-log', { query: { entity_type: 'campaign_channel', entity_key: 'TIKTOK' } }), 200).data;
      expect(audit[0]).toMatchObject({ action: 'update' });
      expect(audit[0].changes).toEqual({ integration_key_updated_at: [first.integration_key_updated_at, rotated.integration_key_updated_at] });

      await new Promise((resolve) => setTimeout(resolve, 5));
      const removed = expectStatus(await a.patch('/campaign-channels/TIKTOK', { integration_key: null }), 200);
      expect(removed).toMatchObject({ integration_key_set: false, integration_key_last4: null });
      expect(Date.parse(removed.integration_key_updated_at)).toBeGreaterThan(Date.parse(rotated.integration_key_updated_at));
      // Not writable: the field is the server's.
      expect(fields(await a.patch('/campaign-channels/TIKTOK', { integration_key_updated_at: null }))).toEqual(['integration_key_updated_at']);
    });

    it('does not open under another tenant (the sealed value is bound to its tenant)', async () => {
      const alice = newTenantId();
      const bob = newTenantId();
      expectStatus(
        await api.as({ tenant: alice, role: 'admin' }).post('/campaign-channels', { channel_code: 'X', channel_name: 'X', integration_key: KEY }),
        201,
      );
      expectStatus(await api.as({ tenant: bob, role: 'admin' }).post('/campaign-channels', { channel_code: 'X', channel_name: 'X' }), 201);
      const ds = api.app.get(DataSource);
      const where = 'WHERE tenant_id = ? AND channel_code = ?';
      const [row] = await ds.query(`SELECT integration_key_sealed AS sealed FROM tenant_campaign_channels ${where}`, [alice, 'X']);
      await ds.query(`UPDATE tenant_campaign_channels SET integration_key_sealed = ? ${where}`, [row.sealed, bob, 'X']);
      const service = api.app.get(CampaignChannelsService);
      const tenancy = api.app.get(TenantContext);
      await expect(tenancy.runAs({ tenantId: bob, userId: 'test', role: 'admin' }, () => service.revealIntegrationKey('X'))).rejects.toThrow(
        'does not authenticate',
      );
    });

    it('is documented as write-only: in the create/update schemas, absent from the response schema', async () => {
      const doc = (await api.raw().get('/docs-json')).json();
      const schemas = doc.components.schemas;
      expect(schemas.CreateCampaignChannelDto.properties.integration_key).toMatchObject({ writeOnly: true, minLength: 8 });
      expect(schemas.UpdateCampaignChannelDto.properties.integration_key).toBeDefined();
      expect(Object.keys(schemas.CampaignChannelResponseDto.properties)).toEqual(
        expect.arrayContaining(['integration_key_set', 'integration_key_last4', 'integration_key_updated_at']),
      );
      expect(schemas.CampaignChannelResponseDto.properties.integration_key_updated_at).toMatchObject({ format: 'date-time', nullable: true, readOnly: true });
      expect(schemas.CampaignChannelResponseDto.properties.integration_key).toBeUndefined();
      for (const path of [
        '/api/v1/customization/campaign-channels/{channel_code}',
        '/api/v1/customization/campaigns/{campaign_code}/transition',
        '/api/v1/customization/campaigns/{campaign_code}/metrics/bulk',
        '/api/v1/customization/campaign-templates/{id}/instantiate',
        '/api/v1/customization/campaigns/analytics/trends',
      ]) {
        expect(doc.paths[path]).toBeDefined();
      }
    });

    it('refuses keys shorter than 8 characters and never echoes a refused key', async () => {
      const a = admin();
      const res = await a.post('/campaign-channels', { channel_code: 'SHORT', channel_name: 'Short', integration_key: 'abc1234' });
      expect(fields(res)).toEqual(['integration_key']);
      expect(res.body).not.toContain('abc1234');
    });
  });
});
