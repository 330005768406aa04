import { Client, startTestApi, TestApi } from '../support/app';
import { newTenantId, numberAhead } from '../support/tenants';
import { ok } from '../support/responses';

describe('milestone templates', () => {
  let api: TestApi;
  let admin: Client;
  let tenant: string;
  beforeAll(async () => {
    api = await startTestApi();
  });
  beforeEach(() => {
    tenant = newTenantId();
    admin = api.as({ tenant, role: 'admin' });
  });
  afterAll(() => api.close());

  const standardId = async () => ok(await admin.get('/milestone-templates')).data[0].id as number;

  it('creates a template; estimated_days defaults to Σ typical_duration_days of the sequence', async () => {
    // Defaults: CONTACTED 2, SITE_VISIT 7; DEMO has none (counts 0).
    ok(await admin.post('/milestone-types', { type_code: 'DEMO', type_name: 'Demo' }), 201);
    const res = await admin.post('/milestone-templates', { template_name: 'Quick', template_type: 'custom', sequence: ['CONTACTED', 'DEMO', 'SITE_VISIT'] });
    expect(ok(res, 201)).toMatchObject({
      template_name: 'Quick',
      template_type: 'custom',
      description: null,
      is_active: true,
      is_default: false,
      sequence: ['CONTACTED', 'DEMO', 'SITE_VISIT'],
      estimated_days: 9,
      version: 1,
    });
    expect(res.headers.etag).toBe('"1"');
    const explicit = ok(
      await admin.post('/milestone-templates', { template_name: 'Set', template_type: 'custom', sequence: ['CONTACTED'], estimated_days: 40 }),
      201,
    );
    expect(explicit.estimated_days).toBe(40);
  });

  it('refuses a sequence with unknown, deleted, foreign or repeated codes, naming them', async () => {
    ok(await api.as({ tenant: newTenantId(), role: 'admin' }).post('/milestone-types', { type_code: 'THEIRS', type_name: 'Theirs' }), 201);
    ok(await admin.delete('/milestone-types/PROPOSAL_SENT'), 204);
    const res = await admin.post('/milestone-templates', {
      template_name: 'Bad',
      template_type: 'custom',
      sequence: ['CONTACTED', 'NOPE', 'PROPOSAL_SENT', 'THEIRS', 'CONTACTED'],
    });
    expect(res.statusCode).toBe(400);
    const body = res.json();
    expect(body.code).toBe('VALIDATION_FAILED');
    expect(body.errors).toEqual([
      { field: 'sequence', message: 'sequence repeats CONTACTED' },
      { field: 'sequence', message: 'sequence names unknown milestone types: NOPE, PROPOSAL_SENT, THEIRS' },
    ]);
  });

  it('names malformed codes along with the repeated and unknown ones', async () => {
    const long = `A${'B'.repeat(60)}`;
    for (const write of [
      (sequence: unknown[]) => admin.post('/milestone-templates', { template_name: 'Bad', template_type: 'custom', sequence }),
      async (sequence: unknown[]) => {
        const id = ok(await admin.post('/milestone-templates', { template_name: 'Fine', template_type: 'custom', sequence: ['CONTACTED'] }), 201).id;
        return admin.patch(`/milestone-templates/${id}`, { sequence });
      },
    ]) {
      const res = await write(['CONTACTED', 'lower', '', 'SITE VISIT', long, 'lower', 'NOPE', 'CONTACTED']);
      expect(res.statusCode).toBe(400);
      expect(res.json().code).toBe('VALIDATION_FAILED');
      expect(res.json().errors).toEqual([
        {
          field: 'sequence',
          message: `sequence has malformed codes (a code matches ^[A-Z][A-Z0-9_]{0,49}$): "lower", "", "SITE VISIT", "${long.slice(0, 57)}..."`,
        },
        { field: 'sequence', message: 'sequence repeats CONTACTED' },
        { field: 'sequence', message: 'sequence names unknown milestone types: NOPE' },
      ]);
    }
    // The shape is still the DTO's: an array of 1..50 strings.
    for (const sequence of [['CONTACTED', 7], 'CONTACTED', []]) {
      const res = await admin.post('/milestone-templates', { template_name: 'Bad', template_type: 'custom', sequence });
      expect(res.statusCode).toBe(400);
      expect(res.json().errors.map((e: { field: string }) => e.field)).toContain('sequence');
    }
  });

  it('accepts an inactive (live) type in a sequence', async () => {
    ok(await admin.post('/milestone-types/CONVERTED/deactivate'), 200);
    ok(await admin.post('/milestone-templates', { template_name: 'T', template_type: 'project', sequence: ['CONVERTED'] }), 201);
  });

  it.each([
    [{ template_name: 'T', template_type: 'custom', sequence: [] }, 'sequence'],
    [{ template_name: 'T', template_type: 'custom', sequence: Array.from({ length: 51 }, (_, i) => `C${i}`) }, 'sequence'],
    [{ template_name: 'T', template_type: 'custom', sequence: ['lower'] }, 'sequence'],
    [{ template_name: 'T', template_type: 'custom' }, 'sequence'],
    [{ template_name: 'T', template_type: 'other', sequence: ['CONTACTED'] }, 'template_type'],
    [{ template_type: 'custom', sequence: ['CONTACTED'] }, 'template_name'],
    [{ template_name: 'T', template_type: 'custom', sequence: ['CONTACTED'], estimated_days: -1 }, 'estimated_days'],
  ])('refuses %j (400 naming %s)', async (body, field) => {
    const res = await admin.post('/milestone-templates', body);
    expect(res.statusCode).toBe(400);
    expect(res.json().errors.map((e: { field: string }) => e.field)).toContain(field);
  });

  it('keeps at most one default per template_type: setting one clears the others', async () => {
    const standard = await standardId();
    const second = ok(
      await admin.post('/milestone-templates', { template_name: 'Second', template_type: 'standard', is_default: true, sequence: ['CONTACTED'] }),
      201,
    );
    expect(ok(await admin.get(`/milestone-templates/${standard}`))).toMatchObject({ is_default: false, version: 2 });
    // Another type's default is untouched by it.
    const project = ok(
      await admin.post('/milestone-templates', { template_name: 'Project', template_type: 'project', is_default: true, sequence: ['CONTACTED'] }),
      201,
    );
    expect(ok(await admin.get(`/milestone-templates/${second.id}`)).is_default).toBe(true);
    // PATCH is_default back on the first.
    expect(ok(await admin.patch(`/milestone-templates/${standard}`, { is_default: true })).is_default).toBe(true);
    expect(ok(await admin.get(`/milestone-templates/${second.id}`)).is_default).toBe(false);
    // Moving the project default into standard makes it the standard default.
    expect(ok(await admin.patch(`/milestone-templates/${project.id}`, { template_type: 'standard' })).is_default).toBe(true);
    const defaults = ok(await admin.get('/milestone-templates', { query: { template_type: 'standard' } })).data.filter(
      (t: { is_default: boolean }) => t.is_default,
    );
    expect(defaults.map((t: { id: number }) => t.id)).toEqual([project.id]);
    const audit = ok(await admin.get('/audit-log', { query: { entity_type: 'milestone_template', entity_key: String(standard) } })).data;
    expect(audit.map((a: { action: string; changes: object }) => [a.action, a.changes])).toEqual([
      ['update', { is_default: [true, false] }],
      ['update', { is_default: [false, true] }],
      ['update', { is_default: [true, false] }],
    ]);
  });

  it('keeps one default per type under concurrent writes, and concurrent PATCHes without If-Match all apply', async () => {
    const created = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        admin.post('/milestone-templates', { template_name: `p${i}`, template_type: 'standard', is_default: true, sequence: ['CONTACTED'] }),
      ),
    );
    expect(created.map((r) => r.statusCode)).toEqual([201, 201, 201, 201, 201, 201]);
    const flips = await Promise.all(created.map((r) => admin.patch(`/milestone-templates/${r.json().id}`, { is_default: true })));
    expect(flips.map((r) => r.statusCode)).toEqual([200, 200, 200, 200, 200, 200]);
    const standard = ok(await admin.get('/milestone-templates', { query: { template_type: 'standard' } })).data;
    expect(standard).toHaveLength(7);
    expect(standard.filter((t: { is_default: boolean }) => t.is_default)).toHaveLength(1);
  });

  it('filters by template_type and orders defaults first, then by name', async () => {
    const post = (template_name: string, template_type: string, is_default = false) =>
      admin.post('/milestone-templates', { template_name, template_type, is_default, sequence: ['CONTACTED'] }).then((r) => ok(r, 201));
    await post('b-campaign', 'campaign');
    await post('a-campaign', 'campaign');
    await post('z-campaign', 'campaign', true);
    await post('another standard', 'standard');
    const names = (q = {}) => admin.get('/milestone-templates', { query: q }).then((r) => ok(r).data.map((t: { template_name: string }) => t.template_name));
    expect(await names({ template_type: 'campaign' })).toEqual(['z-campaign', 'a-campaign', 'b-campaign']);
    // Names in one case: SQLite compares bytes, MySQL's collation ignores case.
    expect(await names()).toEqual(['Standard Sales Pipeline', 'z-campaign', 'a-campaign', 'another standard', 'b-campaign']);
    expect((await admin.get('/milestone-templates', { query: { template_type: 'bogus' } })).statusCode).toBe(400);
  });

  it('patches partially: a new sequence is checked and re-estimated; null estimated_days asks for the default', async () => {
    const id = await standardId();
    expect(ok(await admin.patch(`/milestone-templates/${id}`, { estimated_days: 99 }))).toMatchObject({ estimated_days: 99, version: 2 });
    expect(ok(await admin.patch(`/milestone-templates/${id}`, { template_name: 'Renamed' }))).toMatchObject({ template_name: 'Renamed', estimated_days: 99 });
    expect(ok(await admin.patch(`/milestone-templates/${id}`, { sequence: ['SITE_VISIT', 'CONVERTED'] }))).toMatchObject({ estimated_days: 21 });
    expect(ok(await admin.patch(`/milestone-templates/${id}`, { estimated_days: 5 })).estimated_days).toBe(5);
    expect(ok(await admin.patch(`/milestone-templates/${id}`, { estimated_days: null })).estimated_days).toBe(21);
    expect((await admin.patch(`/milestone-templates/${id}`, { sequence: ['SITE_VISIT', 'GONE'] })).json().errors).toEqual([
      { field: 'sequence', message: 'sequence names unknown milestone types: GONE' },
    ]);
    expect((await admin.patch(`/milestone-templates/${id}`, { template_name: null })).statusCode).toBe(400);
    expect((await admin.patch(`/milestone-templates/${id}`, { is_default: false }, { headers: { 'if-match': '"1"' } })).statusCode).toBe(412);
  });

  it('writes nothing for a PATCH that changes nothing', async () => {
    const id = await standardId();
    const current = ok(await admin.get(`/milestone-templates/${id}`));
    const same = ok(await admin.patch(`/milestone-templates/${id}`, { template_name: current.template_name, sequence: current.sequence, is_default: true }));
    expect(same.version).toBe(1);
    expect(ok(await admin.get('/audit-log', { query: { entity_type: 'milestone_template', entity_key: String(id) } })).data).toEqual([]);
  });

  it('deletes softly, hides, and restores (admin) without stealing a newer default', async () => {
    const id = await standardId();
    expect((await admin.delete(`/milestone-templates/${id}`, { headers: { 'if-match': '"7"' } })).statusCode).toBe(412);
    expect((await admin.delete(`/milestone-templates/${id}`)).statusCode).toBe(204);
    expect((await admin.get(`/milestone-templates/${id}`)).statusCode).toBe(404);
    expect(ok(await admin.get('/milestone-templates')).total).toBe(0);
    expect(ok(await admin.get('/milestone-templates', { query: { include_deleted: true } })).data[0].deleted_at).toEqual(expect.any(String));
    const newer = ok(
      await admin.post('/milestone-templates', { template_name: 'Newer', template_type: 'standard', is_default: true, sequence: ['CONTACTED'] }),
      201,
    );
    expect((await api.as({ tenant, role: 'manager' }).post(`/milestone-templates/${id}/restore`)).statusCode).toBe(403);
    expect(ok(await admin.post(`/milestone-templates/${id}/restore`))).toMatchObject({ id, is_default: false, template_name: 'Standard Sales Pipeline' });
    expect(ok(await admin.get(`/milestone-templates/${newer.id}`)).is_default).toBe(true);
    expect((await admin.post(`/milestone-templates/${id}/restore`)).statusCode).toBe(404);
  });

  it('restores once when restores race, auditing the deleted row as before', async () => {
    const id = await standardId();
    ok(await admin.delete(`/milestone-templates/${id}`), 204);
    const deleted = ok(await admin.get('/milestone-templates', { query: { include_deleted: true } })).data[0];
    const restores = await Promise.all(Array.from({ length: 8 }, () => admin.post(`/milestone-templates/${id}/restore`)));
    // One restore brings it back; the others find no deleted template left (404), as a later restore would.
    expect(restores.map((r) => r.statusCode).sort()).toEqual([200, ...Array(7).fill(404)]);
    expect(ok(await admin.get(`/milestone-templates/${id}`))).toMatchObject({ is_default: true, version: deleted.version + 1 });
    const audit = ok(await admin.get('/audit-log', { query: { entity_type: 'milestone_template', entity_key: String(id) } })).data;
    const entries = audit.filter((e: { action: string }) => e.action === 'restore');
    expect(entries).toHaveLength(1);
    expect(entries[0].changes.deleted_at).toEqual([deleted.deleted_at, null]);
  });

  it('refuses to restore a template whose sequence names a type deleted meanwhile (409 naming it) until the code is live again', async () => {
    ok(await admin.post('/milestone-types', { type_code: 'DEMO', type_name: 'Demo' }), 201);
    const { id } = ok(
      await admin.post('/milestone-templates', { template_name: 'With demo', template_type: 'custom', sequence: ['CONTACTED', 'DEMO', 'PROPOSAL_SENT'] }),
      201,
    );
    ok(await admin.delete(`/milestone-templates/${id}`), 204);
    ok(await admin.delete('/milestone-types/DEMO'), 204);
    ok(await admin.delete('/milestone-types/PROPOSAL_SENT'), 204);
    const refused = await admin.post(`/milestone-templates/${id}/restore`);
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toMatchObject({ code: 'CONFLICT', detail: expect.stringContaining('not live: DEMO, PROPOSAL_SENT;') });
    expect((await admin.get(`/milestone-templates/${id}`)).statusCode).toBe(404);
    // Restoring one type and creating the other's code anew makes the sequence live again.
    ok(await admin.post('/milestone-types/PROPOSAL_SENT/restore'));
    ok(await admin.post('/milestone-types', { type_code: 'DEMO', type_name: 'Demo again' }), 201);
    expect(ok(await admin.post(`/milestone-templates/${id}/restore`))).toMatchObject({ id, sequence: ['CONTACTED', 'DEMO', 'PROPOSAL_SENT'] });
  });

  it('answers 404 for missing, malformed or foreign ids, and leaves foreign templates out', async () => {
    // Alice's template has an id Bob's tenant does not have (ids are numbered per tenant).
    const aliceTenant = newTenantId();
    const alice = api.as({ tenant: aliceTenant, role: 'admin' });
    ok(await alice.get('/milestone-templates'));
    await numberAhead(api.app, aliceTenant);
    const id = ok(await alice.post('/milestone-templates', { template_name: 'Alice pipeline', template_type: 'custom', sequence: ['CONTACTED'] }), 201)
      .id as number;
    const bob = api.as({ tenant: newTenantId(), role: 'admin' });
    expect(ok(await bob.get('/milestone-templates')).data.map((t: { id: number }) => t.id)).not.toContain(id);
    for (const path of [`/milestone-templates/${id}`, '/milestone-templates/0', '/milestone-templates/abc', '/milestone-templates/99999999999']) {
      expect((await bob.get(path)).statusCode).toBe(404);
      expect((await bob.patch(path, { template_name: 'x' })).statusCode).toBe(404);
      expect((await bob.delete(path)).statusCode).toBe(404);
    }
    expect(ok(await alice.get(`/milestone-templates/${id}`)).template_name).toBe('Alice pipeline');
  });

  it('lets managers write and agents or viewers only read', async () => {
    const id = await standardId();
    expect((await api.as({ tenant, role: 'manager' }).patch(`/milestone-templates/${id}`, { description: 'm' })).statusCode).toBe(200);
    expect((await api.as({ tenant, role: 'agent' }).patch(`/milestone-templates/${id}`, { description: 'a' })).statusCode).toBe(403);
    expect(
      (await api.as({ tenant, role: 'viewer' }).post('/milestone-templates', { template_name: 'v', template_type: 'custom', sequence: ['CONTACTED'] }))
        .statusCode,
    ).toBe(403);
    expect((await api.as({ tenant, role: 'viewer' }).get(`/milestone-templates/${id}`)).statusCode).toBe(200);
  });
});
