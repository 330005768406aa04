import { LeadSourceRepository } from '../../src/lead-sources/lead-source.repository';
import { LeadSubsourceRepository } from '../../src/lead-sources/lead-subsource.repository';
import { TenantContext } from '../../src/tenancy/tenant-context';
import { startTestApi, TestApi } from '../support/app';
import { newTenantId } from '../support/tenants';

describe('lead sources', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(() => api.close());

  it('seeds the defaults on first sight and lists them in display order', async () => {
    const admin = api.as({ tenant: newTenantId(), role: 'admin' });
    const res = await admin.get('/lead-sources');
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.data.map((s: { source_code: string }) => s.source_code)).toEqual(['WEBSITE', 'EMAIL', 'SOCIAL', 'REFERRAL']);
    expect(body).toMatchObject({ total: 4, limit: 50, offset: 0 });
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

type Row = Record<string, any>;
const aSource = (code: string, extra: Row = {}) => ({ source_code: code, source_name: `Source ${code}`, source_type: 'event', ...extra });

function expectValidationError(res: { statusCode: number; headers: Row; json(): any }, field: string): void {
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  const body = res.json();
  expect(body).toMatchObject({ status: 400, code: 'VALIDATION_FAILED' });
  expect(body.errors.map((e: { field: string }) => e.field)).toContain(field);
  expect(res.statusCode).toBe(400);
}

describe('lead sources: writes', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(() => api.close());
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

  describe('DELETE and restore', () => {
    it('hides a deleted source from reads; include_deleted shows it with deleted_at', async () => {
      const client = admin();
      await client.post('/lead-sources', aSource('TRADE_FAIR'));
      const del = await client.delete('/lead-sources/TRADE_FAIR');
      expect(del.statusCode).toBe(204);
      expect(del.body).toBe('');
      expect((await client.get('/lead-sources/TRADE_FAIR')).statusCode).toBe(404);
      expect((await client.delete('/lead-sources/TRADE_FAIR')).statusCode).toBe(404);
      expect((await client.patch('/lead-sources/TRADE_FAIR', { source_name: 'x' })).statusCode).toBe(404);

      const list = (await client.get('/lead-sources', { query: { include_inactive: true } })).json();
      expect(list.data.map((s: Row) => s.source_code)).not.toContain('TRADE_FAIR');
      expect(list.total).toBe(4);

      const withDeleted = (await client.get('/lead-sources', { query: { include_deleted: true } })).json();
      const deleted = withDeleted.data.find((s: Row) => s.source_code === 'TRADE_FAIR');
      expect(deleted.deleted_at).toEqual(expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/));
      expect(withDeleted.total).toBe(5);
      for (const live of withDeleted.data.filter((s: Row) => s.source_code !== 'TRADE_FAIR')) expect(live).not.toHaveProperty('deleted_at');
    });

    it("takes the source's subsources with it, and restore brings back exactly those", async () => {
      const client = admin();
      await client.post('/lead-sources', aSource('TRADE_FAIR'));
      for (const code of ['BOOTH', 'FLYER', 'TALK']) {
        expect((await client.post('/lead-sources/TRADE_FAIR/subsources', { sub_source_code: code, sub_source_name: code })).statusCode).toBe(201);
      }
      // TALK goes first, on its own.
      expect((await client.delete('/lead-sources/TRADE_FAIR/subsources/TALK')).statusCode).toBe(204);
      expect((await client.delete('/lead-sources/TRADE_FAIR')).statusCode).toBe(204);
      expect((await client.get('/lead-sources/TRADE_FAIR/subsources')).statusCode).toBe(404);

      const restored = await client.post('/lead-sources/TRADE_FAIR/restore');
      expect(restored.statusCode).toBe(200);
      expect(restored.json()).toMatchObject({ source_code: 'TRADE_FAIR', version: 3 });
      expect(restored.json()).not.toHaveProperty('deleted_at');

      const live = await client.get('/lead-sources/TRADE_FAIR/subsources', { query: { include_inactive: true } });
      expect(live.json().data.map((s: Row) => s.sub_source_code)).toEqual(['BOOTH', 'FLYER']);
      const all = (await client.get('/lead-sources/TRADE_FAIR/subsources', { query: { include_deleted: true } })).json().data;
      expect(all.find((s: Row) => s.sub_source_code === 'TALK').deleted_at).toEqual(expect.any(String));
      // TALK can still come back by itself.
      expect((await client.post('/lead-sources/TRADE_FAIR/subsources/TALK/restore')).statusCode).toBe(200);
    });

    it('answers 409 DUPLICATE_CODE to a restore whose code was reused, and restores nothing', async () => {
      const client = admin();
      await client.post('/lead-sources', aSource('TRADE_FAIR', { source_name: 'First' }));
      await client.post('/lead-sources/TRADE_FAIR/subsources', { sub_source_code: 'BOOTH', sub_source_name: 'Booth' });
      await client.delete('/lead-sources/TRADE_FAIR');
      await client.post('/lead-sources', aSource('TRADE_FAIR', { source_name: 'Second' }));

      const res = await client.post('/lead-sources/TRADE_FAIR/restore');
      expect(res.statusCode).toBe(409);
      expect(res.json()).toMatchObject({ code: 'DUPLICATE_CODE' });
      expect((await client.get('/lead-sources/TRADE_FAIR')).json().source_name).toBe('Second');
      expect((await client.get('/lead-sources/TRADE_FAIR/subsources')).json().total).toBe(0);
    });

    it('lets exactly one of parallel restores of a code bring it back; the others find nothing deleted (404), and one restore is audited', async () => {
      const client = admin();
      await client.post('/lead-sources', aSource('TRADE_FAIR'));
      await client.post('/lead-sources/TRADE_FAIR/subsources', { sub_source_code: 'BOOTH', sub_source_name: 'Booth' });
      await client.delete('/lead-sources/TRADE_FAIR');

      const answers = await Promise.all(Array.from({ length: 10 }, () => client.post('/lead-sources/TRADE_FAIR/restore')));
      expect(answers.map((a) => a.statusCode).sort()).toEqual([200, ...Array(9).fill(404)]);
      expect(answers.filter((a) => a.statusCode === 404).every((a) => a.json().code === 'NOT_FOUND')).toBe(true);
      expect((await client.get('/lead-sources/TRADE_FAIR')).json()).toMatchObject({ version: 3 });
      const log = (await client.get('/audit-log', { query: { entity_type: 'lead_source', entity_key: 'TRADE_FAIR' } })).json().data;
      expect(log.filter((e: Row) => e.action === 'restore')).toHaveLength(1);
      const subLog = (await client.get('/audit-log', { query: { entity_type: 'lead_subsource', entity_key: 'TRADE_FAIR/BOOTH' } })).json().data;
      expect(subLog.filter((e: Row) => e.action === 'restore')).toHaveLength(1);
    });

    it('lets writes race the delete of their row: each answers 200, 204 or 404, never 412 or 500', async () => {
      const statuses = new Set<number>();
      for (let round = 0; round < 10; round++) {
        const client = admin();
        await client.get('/lead-sources');
        const results = await Promise.all([
          client.patch('/lead-sources/SOCIAL/subsources/FACEBOOK', { sub_source_name: 'Meta' }),
          client.delete('/lead-sources/SOCIAL'),
          client.post('/lead-sources/SOCIAL/subsources/LINKEDIN/deactivate'),
          client.patch('/lead-sources/SOCIAL', { source_name: 'Social media' }),
        ]);
        results.forEach((r) => statuses.add(r.statusCode));
        expect(results[1].statusCode).toBe(204);
        expect((await client.get('/lead-sources/SOCIAL')).statusCode).toBe(404);
        const restored = await client.post('/lead-sources/SOCIAL/restore');
        expect(restored.statusCode).toBe(200);
        expect((await client.get('/lead-sources/SOCIAL/subsources', { query: { include_inactive: true } })).json().total).toBe(2);
      }
      expect([...statuses].filter((s) => ![200, 204, 404].includes(s))).toEqual([]);
    });

    it('answers 404 to restoring a code that was never deleted', async () => {
      const client = admin();
      expect((await client.post('/lead-sources/NEVER/restore')).statusCode).toBe(404);
    });
  });

  describe('who wrote it', () => {
    it('stamps updated_by with the writer of each change while created_by stays the creator', async () => {
      const tenant = newTenantId();
      const alice = api.as({ tenant, role: 'admin', sub: 'alice' });
      const bob = api.as({ tenant, role: 'admin', sub: 'bob' });
      const read = async () => (await alice.get('/lead-sources', { query: { include_deleted: true } })).json().data.find((r: Row) => r.source_code === 'TRADE_FAIR');
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
      expect(await codes({ is_active: true })).toEqual(['WEBSITE', 'EMAIL', 'SOCIAL', 'REFERRAL']);

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

describe('lead sources: lists', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(() => api.close());

  const codesOf = (res: { json(): any }) => res.json().data.map((s: Row) => s.source_code);

  it('filters by source_type', async () => {
    const client = api.as({ tenant: newTenantId(), role: 'viewer' });
    expect(codesOf(await client.get('/lead-sources', { query: { source_type: 'social' } }))).toEqual(['SOCIAL']);
    expect(codesOf(await client.get('/lead-sources', { query: { source_type: 'phone' } }))).toEqual([]);
    const bad = await client.get('/lead-sources', { query: { source_type: 'fax' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].field).toBe('source_type');
  });

  it('searches code or name, with % and _ taken literally', async () => {
    const tenant = newTenantId();
    const client = api.as({ tenant, role: 'admin' });
    await client.post('/lead-sources', aSource('A_B', { source_name: 'Underscore' }));
    await client.post('/lead-sources', aSource('AXB', { source_name: 'Plain' }));
    await client.post('/lead-sources', aSource('PROMO_PCT', { source_name: 'Promo 50% off' }));
    await client.post('/lead-sources', aSource('PROMO_TXT', { source_name: 'Promo 50 cents off' }));
    await client.post('/lead-sources', aSource('BANG', { source_name: 'Wow! Deal' }));

    const search = async (q: string) => codesOf(await client.get('/lead-sources', { query: { search: q } })).sort();
    expect(await search('A_B')).toEqual(['A_B']);
    expect(await search('50%')).toEqual(['PROMO_PCT']);
    expect(await search('%')).toEqual(['PROMO_PCT']);
    expect(await search('!')).toEqual(['BANG']);
    expect(await search('promo')).toEqual(['PROMO_PCT', 'PROMO_TXT']);
    // Code or name.
    expect(await search('website')).toEqual(['WEBSITE']);
    expect(await search('Underscore')).toEqual(['A_B']);
    expect(await search('nothing like this')).toEqual([]);
  });

  it('pages with limit and offset and reports the total', async () => {
    const client = api.as({ tenant: newTenantId(), role: 'admin' });
    for (let i = 0; i < 6; i++) await client.post('/lead-sources', aSource(`EXTRA_${i}`, { display_order: 10 + i }));
    const page = (await client.get('/lead-sources', { query: { limit: 3, offset: 4 } })).json();
    expect(page).toMatchObject({ total: 10, limit: 3, offset: 4 });
    expect(page.data.map((s: Row) => s.source_code)).toEqual(['EXTRA_0', 'EXTRA_1', 'EXTRA_2']);
    const beyond = (await client.get('/lead-sources', { query: { offset: 50 } })).json();
    expect(beyond).toMatchObject({ data: [], total: 10, offset: 50 });
  });

  it('reports the exact total on a full page, a partial page and an empty page, with filters, one query shape after another', async () => {
    const client = api.as({ tenant: newTenantId(), role: 'admin' });
    for (let i = 0; i < 6; i++) await client.post('/lead-sources', aSource(`EXTRA_${i}`, { display_order: 10 + i, source_type: i % 2 ? 'event' : 'partner' }));
    await client.post('/lead-sources/EXTRA_5/deactivate');
    // Nine active sources: the four defaults and EXTRA_0..EXTRA_4.
    const page = async (query: Record<string, string | number | boolean>) => {
      const body = (await client.get('/lead-sources', { query })).json();
      return { codes: body.data.map((s: Row) => s.source_code), total: body.total };
    };
    const cases: [Record<string, string | number | boolean>, string[], number][] = [
      [{ limit: 3, offset: 6 }, ['EXTRA_2', 'EXTRA_3', 'EXTRA_4'], 9], // full page ending on the last row
      [{ limit: 4, offset: 6 }, ['EXTRA_2', 'EXTRA_3', 'EXTRA_4'], 9], // partial page
      [{ limit: 9 }, ['WEBSITE', 'EMAIL', 'SOCIAL', 'REFERRAL', 'EXTRA_0', 'EXTRA_1', 'EXTRA_2', 'EXTRA_3', 'EXTRA_4'], 9], // full first page
      [{ limit: 2, offset: 9 }, [], 9], // empty, just past the end
      [{ limit: 2, offset: 40 }, [], 9], // empty, far past the end
      [{ limit: 2, offset: 6, include_inactive: true }, ['EXTRA_2', 'EXTRA_3'], 10],
      [{ limit: 5, offset: 8, include_inactive: true }, ['EXTRA_4', 'EXTRA_5'], 10],
      [{ limit: 2, source_type: 'event' }, ['EXTRA_1', 'EXTRA_3'], 2], // full page: counted under the filter
      [{ limit: 2, offset: 2, source_type: 'event' }, [], 2],
      [{ limit: 2, offset: 1, source_type: 'partner', include_inactive: true }, ['EXTRA_2', 'EXTRA_4'], 3],
      [{ limit: 3, offset: 1, search: 'EXTRA_' }, ['EXTRA_1', 'EXTRA_2', 'EXTRA_3'], 5],
      [{ limit: 3, offset: 3, search: 'EXTRA_' }, ['EXTRA_3', 'EXTRA_4'], 5],
      [{ limit: 3, offset: 6 }, ['EXTRA_2', 'EXTRA_3', 'EXTRA_4'], 9], // the first shape again
    ];
    for (const [query, codes, total] of cases) expect({ query, ...(await page(query)) }).toEqual({ query, codes, total });
  });

  it.each([
    ['limit', '501'],
    ['limit', '0'],
    ['limit', 'ten'],
    ['offset', '-1'],
    ['include_inactive', 'yes'],
    ['is_active', '1'],
  ])('answers 400 for %s=%s', async (param, value) => {
    const res = await api.as({ tenant: newTenantId(), role: 'viewer' }).get('/lead-sources', { query: { [param]: value } });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'VALIDATION_FAILED' });
    expect(res.json().errors.map((e: { field: string }) => e.field)).toContain(param);
  });

  it('accepts limit=500', async () => {
    const res = await api.as({ tenant: newTenantId(), role: 'viewer' }).get('/lead-sources', { query: { limit: 500 } });
    expect(res.json()).toMatchObject({ limit: 500, total: 4 });
  });

  it('orders by display_order, then name', async () => {
    const client = api.as({ tenant: newTenantId(), role: 'admin' });
    await client.patch('/lead-sources/WEBSITE', { display_order: 5 });
    await client.post('/lead-sources', aSource('ZED', { source_name: 'Zed', display_order: 1 }));
    await client.post('/lead-sources', aSource('ANT', { source_name: 'Ant', display_order: 1 }));
    await client.post('/lead-sources', aSource('FIRST', { source_name: 'Yak', display_order: 0 }));
    // EMAIL 1 "Email", SOCIAL 2, REFERRAL 3 as seeded.
    expect(codesOf(await client.get('/lead-sources'))).toEqual(['FIRST', 'ANT', 'EMAIL', 'ZED', 'SOCIAL', 'REFERRAL', 'WEBSITE']);
  });
});

describe('lead subsources', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(() => api.close());

  it('keeps codes unique within a source but allows one code under two sources', async () => {
    const client = api.as({ tenant: newTenantId(), role: 'admin' });
    const body = { sub_source_code: 'NEWSLETTER', sub_source_name: 'Newsletter' };
    const first = await client.post('/lead-sources/EMAIL/subsources', body);
    expect(first.statusCode).toBe(201);
    expect(first.json()).toMatchObject({ source_code: 'EMAIL', sub_source_code: 'NEWSLETTER', version: 1 });
    expect(first.headers.etag).toBe('"1"');
    const dup = await client.post('/lead-sources/EMAIL/subsources', body);
    expect(dup.statusCode).toBe(409);
    expect(dup.json().code).toBe('DUPLICATE_CODE');
    const elsewhere = await client.post('/lead-sources/WEBSITE/subsources', body);
    expect(elsewhere.statusCode).toBe(201);
    expect(elsewhere.json().source_code).toBe('WEBSITE');

    // Each is addressed through its own source.
    await client.patch('/lead-sources/WEBSITE/subsources/NEWSLETTER', { sub_source_name: 'Web newsletter' });
    expect((await client.get('/lead-sources/EMAIL/subsources/NEWSLETTER')).json().sub_source_name).toBe('Newsletter');
    expect((await client.get('/lead-sources/WEBSITE/subsources/NEWSLETTER')).json().sub_source_name).toBe('Web newsletter');
    expect((await client.get('/lead-sources/SOCIAL/subsources/NEWSLETTER')).statusCode).toBe(404);
  });

  it('returns cost_per_lead and the other decimals as JSON numbers', async () => {
    const client = api.as({ tenant: newTenantId(), role: 'admin' });
    const created = await client.post('/lead-sources/SOCIAL/subsources', { sub_source_code: 'TIKTOK', sub_source_name: 'TikTok', cost_per_lead: 12.5 });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ cost_per_lead: 12.5, total_cost: 0, leads_generated: 0, conversion_rate: null, metadata: {} });
    await client.patch('/lead-sources/SOCIAL/subsources/TIKTOK', { cost_per_lead: 0.99 });
    const read = await client.get('/lead-sources/SOCIAL/subsources/TIKTOK');
    expect(read.json().cost_per_lead).toBe(0.99);
    expect(read.body).toMatch(/"cost_per_lead":0\.99[,}]/);
    const list = (await client.get('/lead-sources/SOCIAL/subsources')).json().data;
    for (const sub of list) expect(typeof sub.cost_per_lead).toBe('number');
    expect(list.find((s: Row) => s.sub_source_code === 'FACEBOOK').cost_per_lead).toBe(0);
  });

  it.each([
    ['a negative cost', { cost_per_lead: -1 }, 'cost_per_lead'],
    ['three decimals', { cost_per_lead: 1.005 }, 'cost_per_lead'],
    ['a string cost', { cost_per_lead: '12' }, 'cost_per_lead'],
    ['a lower-case code', { sub_source_code: 'tiktok' }, 'sub_source_code'],
    ['an unknown field', { source_id: 1 }, 'source_id'],
  ])('refuses %s', async (_what, override, field) => {
    const client = api.as({ tenant: newTenantId(), role: 'admin' });
    const res = await client.post('/lead-sources/SOCIAL/subsources', { sub_source_code: 'TIKTOK', sub_source_name: 'TikTok', ...override });
    expectValidationError(res, field);
  });

  it('refuses a subsource code on PATCH', async () => {
    const client = api.as({ tenant: newTenantId(), role: 'admin' });
    expectValidationError(await client.patch('/lead-sources/SOCIAL/subsources/FACEBOOK', { sub_source_code: 'META' }), 'sub_source_code');
  });

  it('lists in display_order, then name, hiding inactive ones unless asked', async () => {
    const client = api.as({ tenant: newTenantId(), role: 'admin' });
    await client.post('/lead-sources/SOCIAL/subsources', { sub_source_code: 'X_COM', sub_source_name: 'Ex', display_order: 0 });
    await client.post('/lead-sources/SOCIAL/subsources/LINKEDIN/deactivate');
    const codes = async (query: Row = {}) =>
      (await client.get('/lead-sources/SOCIAL/subsources', { query })).json().data.map((s: Row) => s.sub_source_code);
    expect(await codes()).toEqual(['X_COM', 'FACEBOOK']);
    expect(await codes({ include_inactive: true })).toEqual(['X_COM', 'FACEBOOK', 'LINKEDIN']);
    expect(await codes({ is_active: false })).toEqual(['LINKEDIN']);
  });

  it('answers 412 to a stale If-Match on PATCH and on DELETE of a subsource, and leaves it as it was', async () => {
    const client = api.as({ tenant: newTenantId(), role: 'admin' });
    await client.post('/lead-sources/SOCIAL/subsources', { sub_source_code: 'TIKTOK', sub_source_name: 'TikTok', cost_per_lead: 2 });
    expect((await client.patch('/lead-sources/SOCIAL/subsources/TIKTOK', { cost_per_lead: 3 })).headers.etag).toBe('"2"');

    const stale = await client.patch('/lead-sources/SOCIAL/subsources/TIKTOK', { cost_per_lead: 9 }, { headers: { 'if-match': '"1"' } });
    expect(stale.statusCode).toBe(412);
    expect(stale.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(stale.json()).toMatchObject({ status: 412, code: 'PRECONDITION_FAILED' });
    expect((await client.delete('/lead-sources/SOCIAL/subsources/TIKTOK', { headers: { 'if-match': '"1"' } })).statusCode).toBe(412);

    const read = await client.get('/lead-sources/SOCIAL/subsources/TIKTOK');
    expect(read.statusCode).toBe(200);
    expect(read.json()).toMatchObject({ cost_per_lead: 3, version: 2 });
    expect(read.json()).not.toHaveProperty('deleted_at');

    // The current version is accepted by both.
    expect((await client.patch('/lead-sources/SOCIAL/subsources/TIKTOK', { cost_per_lead: 4 }, { headers: { 'if-match': '"2"' } })).statusCode).toBe(200);
    expect((await client.delete('/lead-sources/SOCIAL/subsources/TIKTOK', { headers: { 'if-match': '"3"' } })).statusCode).toBe(204);
  });

  it('never leaves a live subsource under a deleted source when a create or a restore races the source delete', async () => {
    const sources = api.app.get(LeadSourceRepository);
    const subsources = api.app.get(LeadSubsourceRepository);
    const tenancy = api.app.get(TenantContext);
    const tenant = newTenantId();
    const client = api.as({ tenant, role: 'admin' });
    for (let round = 0; round < 12; round++) {
      const code = `RACE_${round}`;
      expect((await client.post('/lead-sources', { source_code: code, source_name: code, source_type: 'event' })).statusCode).toBe(201);
      await client.post(`/lead-sources/${code}/subsources`, { sub_source_code: 'OLD', sub_source_name: 'Old' });
      await client.delete(`/lead-sources/${code}/subsources/OLD`);
      const write = () =>
        round % 4 < 2
          ? client.post(`/lead-sources/${code}/subsources`, { sub_source_code: 'NEW', sub_source_name: 'New' })
          : client.post(`/lead-sources/${code}/subsources/OLD/restore`);
      const remove = () => client.delete(`/lead-sources/${code}`);
      // Half the rounds start the delete first.
      const [w, d] = round % 2 === 0 ? await Promise.all([write(), remove()]) : (await Promise.all([remove(), write()])).reverse();
      expect(d.statusCode).toBe(204);
      expect([200, 201, 404]).toContain(w.statusCode);

      await tenancy.runAs({ tenantId: tenant, userId: 'check', role: 'admin' }, async () => {
        const source = (await sources.findDeletedByCode(code))!;
        expect(source.deletedAt).toBeInstanceOf(Date);
        const subs = await subsources.findAllOfSources([source.id]);
        for (const sub of subs) expect([code, sub.subSourceCode, sub.deletedAt]).toEqual([code, sub.subSourceCode, expect.any(Date)]);
        // A write that answered 2xx was taken by the delete: it carries the delete's timestamp.
        if (w.statusCode !== 404) {
          const written = subs.find((sub) => sub.subSourceCode === (round % 4 < 2 ? 'NEW' : 'OLD'))!;
          expect(written.deletedAt!.getTime()).toBe(source.deletedAt!.getTime());
        }
      });
    }
  });

  it('deletes and restores one subsource; restore refuses a reused code', async () => {
    const client = api.as({ tenant: newTenantId(), role: 'admin' });
    expect((await client.delete('/lead-sources/SOCIAL/subsources/FACEBOOK')).statusCode).toBe(204);
    expect((await client.get('/lead-sources/SOCIAL/subsources/FACEBOOK')).statusCode).toBe(404);
    expect((await client.post('/lead-sources/SOCIAL/subsources/FACEBOOK/restore')).json()).toMatchObject({ sub_source_code: 'FACEBOOK', source_code: 'SOCIAL' });
    await client.delete('/lead-sources/SOCIAL/subsources/FACEBOOK');
    await client.post('/lead-sources/SOCIAL/subsources', { sub_source_code: 'FACEBOOK', sub_source_name: 'Meta' });
    const res = await client.post('/lead-sources/SOCIAL/subsources/FACEBOOK/restore');
    expect(res.statusCode).toBe(409);
    expect(res.json().code).toBe('DUPLICATE_CODE');
  });
});

describe('lead channels', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(() => api.close());

  it('creates, reads, changes, deactivates, deletes and restores a channel', async () => {
    const client = api.as({ tenant: newTenantId(), role: 'manager', sub: 'mia' });
    const created = await client.post('/lead-channels', { channel_code: 'EVENTS', channel_name: 'Events', display_order: 9 });
    expect(created.statusCode).toBe(201);
    expect(created.headers.etag).toBe('"1"');
    expect(created.json()).toMatchObject({
      channel_code: 'EVENTS',
      channel_name: 'Events',
      description: null,
      icon: null,
      display_order: 9,
      is_active: true,
      created_by: 'mia',
      version: 1,
    });
    expect((await client.post('/lead-channels', { channel_code: 'EVENTS', channel_name: 'Again' })).json().code).toBe('DUPLICATE_CODE');

    const patched = await client.patch('/lead-channels/EVENTS', { description: 'Fairs and meetups' }, { headers: { 'if-match': '"1"' } });
    expect(patched.json()).toMatchObject({ channel_name: 'Events', description: 'Fairs and meetups', version: 2 });
    expectValidationError(await client.patch('/lead-channels/EVENTS', { channel_code: 'X' }), 'channel_code');

    expect((await client.post('/lead-channels/EVENTS/deactivate')).json().is_active).toBe(false);
    const list = (await client.get('/lead-channels')).json();
    expect(list.data.map((c: Row) => c.channel_code)).toEqual(['DIRECT', 'ORGANIC', 'PAID', 'REFERRAL']);
    expect((await client.get('/lead-channels', { query: { include_inactive: true } })).json().total).toBe(5);

    expect((await client.delete('/lead-channels/EVENTS')).statusCode).toBe(204);
    expect((await client.get('/lead-channels/EVENTS')).statusCode).toBe(404);
  });

  it('lets an admin restore a deleted channel', async () => {
    const client = api.as({ tenant: newTenantId(), role: 'admin' });
    expect((await client.delete('/lead-channels/PAID')).statusCode).toBe(204);
    const restored = await client.post('/lead-channels/PAID/restore');
    expect(restored.statusCode).toBe(200);
    expect(restored.json()).toMatchObject({ channel_code: 'PAID', is_active: true });
    expect((await client.get('/lead-channels')).json().total).toBe(4);
  });

  it('answers 412 to a stale If-Match on PATCH and on DELETE of a channel, and leaves it as it was', async () => {
    const client = api.as({ tenant: newTenantId(), role: 'admin' });
    expect((await client.patch('/lead-channels/PAID', { channel_name: 'Paid media' })).headers.etag).toBe('"2"');

    const stale = await client.patch('/lead-channels/PAID', { channel_name: 'Stale' }, { headers: { 'if-match': '"1"' } });
    expect(stale.statusCode).toBe(412);
    expect(stale.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(stale.json()).toMatchObject({ status: 412, code: 'PRECONDITION_FAILED' });
    expect((await client.delete('/lead-channels/PAID', { headers: { 'if-match': '"1"' } })).statusCode).toBe(412);

    const read = await client.get('/lead-channels/PAID');
    expect(read.statusCode).toBe(200);
    expect(read.json()).toMatchObject({ channel_name: 'Paid media', version: 2 });
    expect(read.json()).not.toHaveProperty('deleted_at');

    expect((await client.patch('/lead-channels/PAID', { channel_name: 'Paid ads' }, { headers: { 'if-match': '"2"' } })).statusCode).toBe(200);
    expect((await client.delete('/lead-channels/PAID', { headers: { 'if-match': '"3"' } })).statusCode).toBe(204);
  });

  it('refuses bad channel bodies', async () => {
    const client = api.as({ tenant: newTenantId(), role: 'admin' });
    expectValidationError(await client.post('/lead-channels', { channel_code: 'OK', channel_name: '' }), 'channel_name');
    // Channels have no colour (API.md §3): an unknown field.
    expectValidationError(await client.post('/lead-channels', { channel_code: 'OK', channel_name: 'x', color_hex: '#000000' }), 'color_hex');
  });
});
