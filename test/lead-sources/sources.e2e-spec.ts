import { startTestApi, TestApi } from '../support/app';
import { aSource } from '../support/builders';
import { expectValidationError } from '../support/problems';
import { newTenantId } from '../support/tenants';

/** Lead sources: defaults, create, codes, validation, PATCH with If-Match, who wrote it, activation. */
let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
});
afterAll(() => api.close());

type Row = Record<string, any>;

describe('lead sources', () => {
  it('seeds the defaults on first sight and lists them in display order', async () => {
    const admin = api.as({ tenant: newTenantId(), role: 'admin' });
    const res = await admin.get('/lead-sources');
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.data.map((s: { source_code: string }) => s.source_code)).toEqual(['WEBSITE', 'EMAIL', 'SOCIAL', 'REFERRAL', 'UNMAPPED']);
    expect(body).toMatchObject({ total: 5, limit: 50, offset: 0 });
  });

  it('creates a source with server defaults, ETag and created_by', async () => {
    const admin = api.as({ tenant: newTenantId(), role: 'admin', sub: 'alice' });
    const res = await admin.post('/lead-sources', { source_code: 'TRADE_FAIR', source_name: 'Trade fair', source_type: 'event' });
    expect(res.statusCode).toBe(201);
    expect(res.headers.etag).toBe('"1"');
    expect(res.json()).toMatchObject({
      source_code: 'TRADE_FAIR',
      is_active: true,
      is_default: false,
      display_order: 0,
      metadata: {},
      created_by: 'alice',
      updated_by: 'alice',
      version: 1,
      leads_generated: 0,
      conversion_rate: null,
    });
  });
});

describe('lead sources: writes', () => {
  const admin = () => api.as({ tenant: newTenantId(), role: 'admin', sub: 'alice' });

  describe('codes', () => {
    it('answers 409 DUPLICATE_CODE for a code in use, and frees a code on delete', async () => {
      const client = admin();
      expect((await client.post('/lead-sources', aSource('TRADE_FAIR'))).statusCode).toBe(201);
      const dup = await client.post('/lead-sources', aSource('TRADE_FAIR', { source_name: 'Other' }));
      expect(dup.statusCode).toBe(409);
      expect(dup.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(dup.json()).toMatchObject({ status: 409, code: 'DUPLICATE_CODE' });
      // A seeded default is a code in use too.
      expect((await client.post('/lead-sources', aSource('WEBSITE'))).json().code).toBe('DUPLICATE_CODE');

      expect((await client.delete('/lead-sources/TRADE_FAIR')).statusCode).toBe(204);
      const reused = await client.post('/lead-sources', aSource('TRADE_FAIR', { source_name: 'Second fair' }));
      expect(reused.statusCode).toBe(201);
      expect(reused.json()).toMatchObject({ source_name: 'Second fair', version: 1 });
      // And again: any number of deleted rows may share a code.
      expect((await client.delete('/lead-sources/TRADE_FAIR')).statusCode).toBe(204);
      expect((await client.post('/lead-sources', aSource('TRADE_FAIR'))).statusCode).toBe(201);
    });

    it('answers DUPLICATE_CODE to concurrent creates of one code, storing exactly one', async () => {
      const client = admin();
      const results = await Promise.all(Array.from({ length: 5 }, () => client.post('/lead-sources', aSource('RACE'))));
      expect(results.map((r) => r.statusCode).sort()).toEqual([201, 409, 409, 409, 409]);
      for (const r of results.filter((x) => x.statusCode === 409)) expect(r.json().code).toBe('DUPLICATE_CODE');
      expect((await client.get('/lead-sources', { query: { search: 'RACE' } })).json().total).toBe(1);
    });
  });

  describe('validation', () => {
    it.each([
      ['an unknown field', { ...aSource('OK_CODE'), owner_id: 7 }, 'owner_id'],
      ['a tenant_id in the body', { ...aSource('OK_CODE'), tenant_id: 'someone-else' }, 'tenant_id'],
      ['a lower-case code', aSource('trade_fair'), 'source_code'],
      ['a code starting with a digit', aSource('1ST'), 'source_code'],
      ['a code of 51 characters', aSource('A'.repeat(51)), 'source_code'],
      ['a missing code', { source_name: 'x', source_type: 'event' }, 'source_code'],
      ['a bad colour', aSource('OK_CODE', { color_hex: '#12345' }), 'color_hex'],
      ['a named colour', aSource('OK_CODE', { color_hex: 'red' }), 'color_hex'],
      ['metadata over 16 KiB', aSource('OK_CODE', { metadata: { blob: 'x'.repeat(16 * 1024) } }), 'metadata'],
      ['metadata that is an array', aSource('OK_CODE', { metadata: [1, 2] }), 'metadata'],
      ['metadata that is a string', aSource('OK_CODE', { metadata: '{}' }), 'metadata'],
      ['a name of 101 characters', aSource('OK_CODE', { source_name: 'n'.repeat(101) }), 'source_name'],
      ['an empty name', aSource('OK_CODE', { source_name: '' }), 'source_name'],
      ['an unknown source type', aSource('OK_CODE', { source_type: 'carrier_pigeon' }), 'source_type'],
      ['a negative display order', aSource('OK_CODE', { display_order: -1 }), 'display_order'],
      ['a string flag', aSource('OK_CODE', { is_active: 'yes' }), 'is_active'],
    ])('answers 400 VALIDATION_FAILED for %s, naming the field', async (_what, body, field) => {
      const client = admin();
      expectValidationError(await client.post('/lead-sources', body), field);
      expect((await client.get('/lead-sources/OK_CODE')).statusCode).toBe(404);
    });

    it('accepts a name of 100 characters and metadata of just under 16 KiB', async () => {
      const metadata = { blob: 'x'.repeat(16 * 1024 - 20) };
      const res = await admin().post('/lead-sources', aSource('EDGE', { source_name: 'n'.repeat(100), metadata }));
      expect(res.statusCode).toBe(201);
      expect(res.json().metadata).toEqual(metadata);
    });

    it('names every bad field at once', async () => {
      const res = await admin().post('/lead-sources', { source_code: 'bad', source_name: '', source_type: 'x', extra: 1 });
      expect(res.statusCode).toBe(400);
      const fields = new Set(res.json().errors.map((e: { field: string }) => e.field));
      expect([...fields].sort()).toEqual(['extra', 'source_code', 'source_name', 'source_type']);
    });
  });

  describe('PATCH', () => {
    it('writes nothing for a PATCH that changes nothing: same version, no audit entry', async () => {
      const admin = api.as({ tenant: newTenantId(), role: 'admin' });
      const res = await admin.patch('/lead-sources/WEBSITE', { source_name: 'Website', metadata: {} });
      expect([res.statusCode, res.json().version, res.headers.etag]).toEqual([200, 1, '"1"']);
      const log = (await admin.get('/audit-log', { query: { entity_type: 'lead_source', entity_key: 'WEBSITE' } })).json();
      expect(log.total).toBe(0);
    });

    it('changes only the fields sent, bumps the version and the ETag', async () => {
      const client = admin();
      const created = (
        await client.post(
          '/lead-sources',
          aSource('TRADE_FAIR', { description: 'Spring fair', icon: 'tent', color_hex: '#1E88E5', display_order: 7, metadata: { hall: 3 } }),
        )
      ).json();
      const res = await client.patch('/lead-sources/TRADE_FAIR', { source_name: 'Trade fair 2026' });
      expect(res.statusCode).toBe(200);
      expect(res.headers.etag).toBe('"2"');
      const body = res.json();
      expect(body).toEqual({
        ...created,
        source_name: 'Trade fair 2026',
        version: 2,
        updated_at: expect.any(String),
      });
      expect(body.metadata).toEqual({ hall: 3 });
      const read = await client.get('/lead-sources/TRADE_FAIR');
      expect(read.json()).toEqual(body);
      expect(read.headers.etag).toBe('"2"');
    });

    it('replaces metadata when it is sent, and clears nullable fields with null', async () => {
      const client = admin();
      await client.post('/lead-sources', aSource('TRADE_FAIR', { description: 'd', color_hex: '#000000', metadata: { a: 1 } }));
      const res = await client.patch('/lead-sources/TRADE_FAIR', { metadata: { b: 2 }, description: null, color_hex: null });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({ metadata: { b: 2 }, description: null, color_hex: null, source_name: 'Source TRADE_FAIR' });
    });

    it.each([
      ['source_code', { source_code: 'RENAMED' }],
      ['source_name', { source_name: null }],
      ['source_type', { source_type: null }],
      ['is_active', { is_active: null }],
      ['metadata', { metadata: null }],
      ['display_order', { display_order: null }],
      ['version', { version: 9 }],
    ])('refuses %s in %j with 400, changing nothing', async (field, body) => {
      const client = admin();
      await client.post('/lead-sources', aSource('TRADE_FAIR', { metadata: { keep: true } }));
      expectValidationError(await client.patch('/lead-sources/TRADE_FAIR', body), field);
      expect((await client.get('/lead-sources/TRADE_FAIR')).json()).toMatchObject({
        source_code: 'TRADE_FAIR',
        source_name: 'Source TRADE_FAIR',
        metadata: { keep: true },
        version: 1,
      });
    });

    it('answers 412 to a stale If-Match and changes nothing; applies a current one or *', async () => {
      const client = admin();
      await client.post('/lead-sources', aSource('TRADE_FAIR'));
      expect((await client.patch('/lead-sources/TRADE_FAIR', { source_name: 'v2' })).statusCode).toBe(200);

      const stale = await client.patch('/lead-sources/TRADE_FAIR', { source_name: 'stale write' }, { headers: { 'if-match': '"1"' } });
      expect(stale.statusCode).toBe(412);
      expect(stale.json()).toMatchObject({ status: 412, code: 'PRECONDITION_FAILED' });
      expect((await client.get('/lead-sources/TRADE_FAIR')).json()).toMatchObject({ source_name: 'v2', version: 2 });

      const garbage = await client.patch('/lead-sources/TRADE_FAIR', { source_name: 'x' }, { headers: { 'if-match': 'yesterday' } });
      expect(garbage.statusCode).toBe(412);

      const current = await client.patch('/lead-sources/TRADE_FAIR', { source_name: 'v3' }, { headers: { 'if-match': '"2"' } });
      expect(current.statusCode).toBe(200);
      expect(current.headers.etag).toBe('"3"');
      const weak = await client.patch('/lead-sources/TRADE_FAIR', { source_name: 'v4' }, { headers: { 'if-match': 'W/"3"' } });
      expect(weak.statusCode).toBe(200);
      const any = await client.patch('/lead-sources/TRADE_FAIR', { source_name: 'v5' }, { headers: { 'if-match': '*' } });
      expect(any.statusCode).toBe(200);
      expect(any.json()).toMatchObject({ source_name: 'v5', version: 5 });
    });

    it('answers 412 to a stale If-Match on DELETE and keeps the row', async () => {
      const client = admin();
      await client.post('/lead-sources', aSource('TRADE_FAIR'));
      await client.patch('/lead-sources/TRADE_FAIR', { source_name: 'v2' });
      expect((await client.delete('/lead-sources/TRADE_FAIR', { headers: { 'if-match': '"1"' } })).statusCode).toBe(412);
      expect((await client.get('/lead-sources/TRADE_FAIR')).statusCode).toBe(200);
      expect((await client.delete('/lead-sources/TRADE_FAIR', { headers: { 'if-match': '"2"' } })).statusCode).toBe(204);
    });

    it('lets exactly one of two concurrent writers of the same version win', async () => {
      const client = admin();
      await client.post('/lead-sources', aSource('TRADE_FAIR'));
      const [a, b] = await Promise.all([
        client.patch('/lead-sources/TRADE_FAIR', { source_name: 'A' }, { headers: { 'if-match': '"1"' } }),
        client.patch('/lead-sources/TRADE_FAIR', { source_name: 'B' }, { headers: { 'if-match': '"1"' } }),
      ]);
      expect([a.statusCode, b.statusCode].sort()).toEqual([200, 412]);
      const winner = a.statusCode === 200 ? 'A' : 'B';
      expect((await client.get('/lead-sources/TRADE_FAIR')).json()).toMatchObject({ source_name: winner, version: 2 });
    });

    it('applies concurrent writes without If-Match one after the other: no 412, no lost update', async () => {
      const client = admin();
      await client.post('/lead-sources', aSource('TRADE_FAIR', { metadata: { a: 1 } }));
      await client.post('/lead-sources/TRADE_FAIR/subsources', { sub_source_code: 'BOOTH', sub_source_name: 'Booth' });
      const writes = await Promise.all([
        client.patch('/lead-sources/TRADE_FAIR', { description: 'described' }),
        client.patch('/lead-sources/TRADE_FAIR', { icon: 'tent' }),
        client.patch('/lead-sources/TRADE_FAIR', { color_hex: '#ABCDEF' }),
        client.patch('/lead-sources/TRADE_FAIR', { display_order: 3 }),
        client.patch('/lead-sources/TRADE_FAIR', { metadata: { b: 2 } }),
        client.post('/lead-sources/TRADE_FAIR/deactivate'),
        client.patch('/lead-sources/TRADE_FAIR/subsources/BOOTH', { cost_per_lead: 4 }),
        client.post('/lead-sources/TRADE_FAIR/subsources/BOOTH/deactivate'),
      ]);
      expect(writes.map((w) => w.statusCode)).toEqual(Array(8).fill(200));
      expect((await client.get('/lead-sources/TRADE_FAIR')).json()).toMatchObject({
        description: 'described',
        icon: 'tent',
        color_hex: '#ABCDEF',
        display_order: 3,
        metadata: { b: 2 },
        is_active: false,
        version: 7,
      });
      expect((await client.get('/lead-sources/TRADE_FAIR/subsources/BOOTH')).json()).toMatchObject({ cost_per_lead: 4, is_active: false, version: 3 });
    });

    it('audits concurrent renames as a chain: each one saw the name the previous one wrote', async () => {
      const client = admin();
      await client.post('/lead-sources', aSource('TRADE_FAIR', { source_name: 'v0' }));
      const names = ['v1', 'v2', 'v3', 'v4', 'v5', 'v6'];
      const writes = await Promise.all(names.map((name) => client.patch('/lead-sources/TRADE_FAIR', { source_name: name })));
      expect(writes.map((w) => w.statusCode)).toEqual(Array(6).fill(200));
      expect(writes.map((w) => w.json().version).sort()).toEqual([2, 3, 4, 5, 6, 7]);

      const log = (await client.get('/audit-log', { query: { entity_key: 'TRADE_FAIR' } })).json().data.reverse();
      const renames = log.filter((e: Row) => e.action === 'update').map((e: Row) => e.changes.source_name);
      expect(renames).toHaveLength(6);
      expect(renames[0][0]).toBe('v0');
      for (let i = 1; i < renames.length; i++) expect(renames[i][0]).toBe(renames[i - 1][1]);
      expect((await client.get('/lead-sources/TRADE_FAIR')).json().source_name).toBe(renames[5][1]);
    });

    it('answers 404 for a code that does not exist or can never exist', async () => {
      const client = admin();
      expect((await client.patch('/lead-sources/NOPE', { source_name: 'x' })).statusCode).toBe(404);
      expect((await client.get('/lead-sources/not-a-code')).json()).toMatchObject({ status: 404, code: 'NOT_FOUND' });
    });
  });

  describe('who wrote it', () => {
    it('stamps updated_by with the writer of each change while created_by stays the creator', async () => {
      const tenant = newTenantId();
      const alice = api.as({ tenant, role: 'admin', sub: 'alice' });
      const bob = api.as({ tenant, role: 'admin', sub: 'bob' });
      const read = async () =>
        (await alice.get('/lead-sources', { query: { include_deleted: true } })).json().data.find((r: Row) => r.source_code === 'TRADE_FAIR');
      // Before each of bob's writes alice wrote last, so every stamp of bob's is his own.
      expect((await alice.post('/lead-sources', aSource('TRADE_FAIR'))).json()).toMatchObject({ created_by: 'alice', updated_by: 'alice' });

      expect((await bob.patch('/lead-sources/TRADE_FAIR', { source_name: 'Fair' })).json()).toMatchObject({ created_by: 'alice', updated_by: 'bob' });
      expect(await read()).toMatchObject({ created_by: 'alice', updated_by: 'bob', version: 2 });

      await alice.patch('/lead-sources/TRADE_FAIR', { source_name: 'Fair 2' });
      expect((await bob.post('/lead-sources/TRADE_FAIR/deactivate')).json()).toMatchObject({ created_by: 'alice', updated_by: 'bob', is_active: false });
      expect(await read()).toMatchObject({ created_by: 'alice', updated_by: 'bob', version: 4 });

      await alice.post('/lead-sources/TRADE_FAIR/activate');
      expect((await bob.delete('/lead-sources/TRADE_FAIR')).statusCode).toBe(204);
      expect(await read()).toMatchObject({ created_by: 'alice', updated_by: 'bob', version: 6, deleted_at: expect.any(String) });

      expect((await alice.post('/lead-sources/TRADE_FAIR/restore')).json()).toMatchObject({ updated_by: 'alice', version: 7 });
      await alice.delete('/lead-sources/TRADE_FAIR');
      expect(await read()).toMatchObject({ updated_by: 'alice', version: 8 });
      expect((await bob.post('/lead-sources/TRADE_FAIR/restore')).json()).toMatchObject({ created_by: 'alice', updated_by: 'bob', version: 9 });
      expect(await read()).toMatchObject({ created_by: 'alice', updated_by: 'bob', version: 9 });
      expect(await read()).not.toHaveProperty('deleted_at');
    });
  });

  describe('activate and deactivate', () => {
    it('flip is_active, answer 200 with the row, and hide inactive rows unless asked', async () => {
      const client = admin();
      await client.post('/lead-sources', aSource('TRADE_FAIR'));
      const off = await client.post('/lead-sources/TRADE_FAIR/deactivate');
      expect(off.statusCode).toBe(200);
      expect(off.json()).toMatchObject({ source_code: 'TRADE_FAIR', is_active: false, version: 2 });
      expect(off.headers.etag).toBe('"2"');
      // Still addressable, but not listed by default.
      expect((await client.get('/lead-sources/TRADE_FAIR')).json().is_active).toBe(false);
      const codes = async (query: Row) => (await client.get('/lead-sources', { query })).json().data.map((s: Row) => s.source_code);
      expect(await codes({})).not.toContain('TRADE_FAIR');
      expect(await codes({ include_inactive: true })).toContain('TRADE_FAIR');
      expect(await codes({ is_active: false })).toEqual(['TRADE_FAIR']);
      expect(await codes({ is_active: true })).toEqual(['WEBSITE', 'EMAIL', 'SOCIAL', 'REFERRAL', 'UNMAPPED']);

      // Deactivating twice changes nothing.
      expect((await client.post('/lead-sources/TRADE_FAIR/deactivate')).json().version).toBe(2);
      const on = await client.post('/lead-sources/TRADE_FAIR/activate');
      expect(on.statusCode).toBe(200);
      expect(on.json()).toMatchObject({ is_active: true, version: 3 });
      expect(await codes({})).toContain('TRADE_FAIR');
    });

    it('stores is_active=false given on create', async () => {
      const client = admin();
      expect((await client.post('/lead-sources', aSource('QUIET', { is_active: false }))).json().is_active).toBe(false);
      expect((await client.get('/lead-sources', { query: { is_active: false } })).json().data.map((s: Row) => s.source_code)).toEqual(['QUIET']);
    });
  });
});
