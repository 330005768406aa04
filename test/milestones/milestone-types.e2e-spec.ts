import { Client, startTestApi, TestApi } from '../support/app';
import { newTenantId } from '../support/tenants';
import { ok } from '../support/responses';

const DEFAULT_CODES = ['LEAD_GENERATED', 'CONTACTED', 'SITE_VISIT', 'PROPOSAL_SENT', 'CONVERTED'];

describe('milestone types', () => {
  let api: TestApi;
  let admin: Client;
  beforeAll(async () => {
    api = await startTestApi();
  });
  beforeEach(() => {
    admin = api.as({ tenant: newTenantId(), role: 'admin' });
  });
  afterAll(() => api.close());

  it('seeds the five default types and the Standard Sales Pipeline for a new tenant', async () => {
    const types = ok(await admin.get('/milestone-types')).data;
    expect(types.map((t: { type_code: string }) => t.type_code)).toEqual(DEFAULT_CODES);
    expect(types[0]).toMatchObject({ type_name: 'Lead generated', is_mandatory: true, created_by: 'system', version: 1 });
    const templates = ok(await admin.get('/milestone-templates')).data;
    expect(templates).toHaveLength(1);
    expect(templates[0]).toMatchObject({
      template_name: 'Standard Sales Pipeline',
      template_type: 'standard',
      is_default: true,
      is_active: true,
      sequence: DEFAULT_CODES,
      estimated_days: types.reduce((s: number, t: { typical_duration_days: number | null }) => s + (t.typical_duration_days ?? 0), 0),
    });
  });

  it('creates a type with the server defaults and answers it with its ETag', async () => {
    const res = await admin.post('/milestone-types', { type_code: 'DEMO', type_name: 'Demo' });
    const demo = ok(res, 201);
    expect(res.headers.etag).toBe('"1"');
    expect(demo).toMatchObject({
      type_code: 'DEMO',
      type_name: 'Demo',
      category: 'action',
      description: null,
      display_order: 0,
      is_active: true,
      is_required: false,
      is_mandatory: false,
      typical_duration_days: null,
      sla_days: null,
      allows_attachment: true,
      allows_location: true,
      allows_notes: true,
      metadata: {},
      created_by: 'admin-user',
    });
    expect(ok(await admin.get('/milestone-types/DEMO')).id).toBe(demo.id);
  });

  it('lists by display_order, then type_name, and hides inactive types unless asked', async () => {
    ok(await admin.post('/milestone-types', { type_code: 'ZED', type_name: 'Aardvark', display_order: 2 }), 201);
    ok(await admin.post('/milestone-types', { type_code: 'OFF', type_name: 'Off', display_order: 0, is_active: false }), 201);
    const codes = (q = {}) => admin.get('/milestone-types', { query: q }).then((r) => ok(r).data.map((t: { type_code: string }) => t.type_code));
    expect(await codes()).toEqual(['LEAD_GENERATED', 'CONTACTED', 'ZED', 'SITE_VISIT', 'PROPOSAL_SENT', 'CONVERTED']);
    expect(await codes({ include_inactive: true })).toEqual(['LEAD_GENERATED', 'OFF', 'CONTACTED', 'ZED', 'SITE_VISIT', 'PROPOSAL_SENT', 'CONVERTED']);
    expect(await codes({ is_active: false })).toEqual(['OFF']);
  });

  it.each([
    [{ type_code: 'X', type_name: 'X', sla_days: -1 }, 'sla_days'],
    [{ type_code: 'X', type_name: 'X', typical_duration_days: 1.5 }, 'typical_duration_days'],
    [{ type_code: 'X', type_name: 'X', category: 'other' }, 'category'],
    [{ type_code: 'x', type_name: 'X' }, 'type_code'],
    [{ type_code: 'X', type_name: '' }, 'type_name'],
    [{ type_code: 'X', type_name: 'X', allows_notes: 'yes' }, 'allows_notes'],
    [{ type_code: 'X', type_name: 'X', color_hex: 'red' }, 'color_hex'],
    [{ type_code: 'X', type_name: 'X', unknown: 1 }, 'unknown'],
  ])('refuses %j (400 naming %s)', async (body, field) => {
    const res = await admin.post('/milestone-types', body);
    expect(res.statusCode).toBe(400);
    expect(res.json().errors.map((e: { field: string }) => e.field)).toContain(field);
  });

  it('refuses a code in use (409) and frees it after delete; restore refuses a reused code', async () => {
    expect((await admin.post('/milestone-types', { type_code: 'CONTACTED', type_name: 'Again' })).statusCode).toBe(409);
    expect((await admin.delete('/milestone-types/CONTACTED')).statusCode).toBe(204);
    expect((await admin.get('/milestone-types/CONTACTED')).statusCode).toBe(404);
    ok(await admin.post('/milestone-types', { type_code: 'CONTACTED', type_name: 'Again' }), 201);
    expect((await admin.post('/milestone-types/CONTACTED/restore')).json().code).toBe('DUPLICATE_CODE');
  });

  it('patches partially with If-Match; the code cannot change; null clears nullable fields', async () => {
    const first = await admin.patch('/milestone-types/SITE_VISIT', { sla_days: 5, description: 'On site' }, { headers: { 'if-match': '"1"' } });
    expect(ok(first)).toMatchObject({ sla_days: 5, description: 'On site', type_name: 'Site visit', version: 2 });
    expect((await admin.patch('/milestone-types/SITE_VISIT', { sla_days: 6 }, { headers: { 'if-match': '"1"' } })).statusCode).toBe(412);
    expect(ok(await admin.patch('/milestone-types/SITE_VISIT', { sla_days: null }))).toMatchObject({ sla_days: null, version: 3 });
    expect((await admin.patch('/milestone-types/SITE_VISIT', { type_code: 'OTHER' })).statusCode).toBe(400);
    expect((await admin.patch('/milestone-types/SITE_VISIT', { allows_notes: null })).statusCode).toBe(400);
  });

  it('deactivates, activates, deletes and restores (admin only) with audit entries', async () => {
    expect(ok(await admin.post('/milestone-types/CONVERTED/deactivate'))).toMatchObject({ is_active: false });
    expect(ok(await admin.post('/milestone-types/CONVERTED/activate'))).toMatchObject({ is_active: true });
    expect((await admin.delete('/milestone-types/CONVERTED')).statusCode).toBe(204);
    const listed = ok(await admin.get('/milestone-types', { query: { include_deleted: true } })).data;
    expect(listed.find((t: { type_code: string }) => t.type_code === 'CONVERTED').deleted_at).toEqual(expect.any(String));
    expect(ok(await admin.post('/milestone-types/CONVERTED/restore'))).toMatchObject({ type_code: 'CONVERTED', is_active: true });
    const audit = ok(await admin.get('/audit-log', { query: { entity_type: 'milestone_type', entity_key: 'CONVERTED' } })).data;
    // Seeded defaults are not audited as a user's create; every later write is.
    expect(audit.map((a: { action: string }) => a.action)).toEqual(['restore', 'delete', 'activate', 'deactivate']);
  });

  it('lets managers write, agents and viewers only read; restore and include_deleted need an admin', async () => {
    const tenant = newTenantId();
    const as = (role: 'admin' | 'manager' | 'agent' | 'viewer') => api.as({ tenant, role });
    expect((await as('manager').post('/milestone-types', { type_code: 'M', type_name: 'M' })).statusCode).toBe(201);
    expect((await as('agent').post('/milestone-types', { type_code: 'A', type_name: 'A' })).statusCode).toBe(403);
    expect((await as('viewer').patch('/milestone-types/M', { type_name: 'V' })).statusCode).toBe(403);
    expect((await as('viewer').get('/milestone-types/M')).statusCode).toBe(200);
    expect((await as('manager').delete('/milestone-types/M')).statusCode).toBe(204);
    expect((await as('manager').post('/milestone-types/M/restore')).statusCode).toBe(403);
    expect((await as('manager').get('/milestone-types', { query: { include_deleted: true } })).statusCode).toBe(403);
    expect((await as('admin').post('/milestone-types/M/restore')).statusCode).toBe(200);
  });
});
