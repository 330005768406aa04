import { AuditLogRepository } from '../../src/tenancy/audit-log.repository';
import { Client, startTestApi, TestApi } from '../support/app';
import { newTenantId } from '../support/tenants';

type Entry = {
  id: number;
  at: string;
  actor: string;
  action: string;
  entity_type: string;
  entity_key: string;
  changes: Record<string, [unknown, unknown]>;
};

/** API.md §6: every write appends one entry in the write's own transaction; newest first; admin only. */
describe('audit log', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(() => api.close());

  let tenant: string;
  let admin: Client;
  let manager: Client;
  beforeEach(() => {
    tenant = newTenantId();
    admin = api.as({ tenant, role: 'admin', sub: 'ada' });
    manager = api.as({ tenant, role: 'manager', sub: 'max' });
  });

  const entries = async (query: Record<string, string | number> = {}): Promise<Entry[]> => {
    const res = await admin.get('/audit-log', { query: { limit: 500, ...query } });
    expect(res.statusCode).toBe(200);
    return res.json().data;
  };

  it('records create, update, deactivate, activate, delete and restore with actor, key and changes', async () => {
    const before = new Date(Date.now() - 1000).toISOString();
    await manager.post('/lead-sources', { source_code: 'TRADE_FAIR', source_name: 'Trade fair', source_type: 'event', metadata: { hall: 3 } });
    await manager.patch('/lead-sources/TRADE_FAIR', { source_name: 'Trade fair 2026', color_hex: '#00AA00' });
    await manager.post('/lead-sources/TRADE_FAIR/deactivate');
    await manager.post('/lead-sources/TRADE_FAIR/activate');
    await manager.delete('/lead-sources/TRADE_FAIR');
    await admin.post('/lead-sources/TRADE_FAIR/restore');

    const log = await entries();
    expect(log.map((e) => [e.action, e.actor])).toEqual([
      ['restore', 'ada'],
      ['delete', 'max'],
      ['activate', 'max'],
      ['deactivate', 'max'],
      ['update', 'max'],
      ['create', 'max'],
    ]);
    for (const e of log) {
      expect(e).toMatchObject({ entity_type: 'lead_source', entity_key: 'TRADE_FAIR' });
      expect(e.at >= before && e.at <= new Date(Date.now() + 1000).toISOString()).toBe(true);
    }
    // Newest first, by id.
    expect(log.map((e) => e.id)).toEqual([...log.map((e) => e.id)].sort((a, b) => b - a));

    const [restore, del, activate, deactivate, update, create] = log;
    expect(create.changes).toMatchObject({
      source_code: [null, 'TRADE_FAIR'],
      source_name: [null, 'Trade fair'],
      source_type: [null, 'event'],
      is_active: [null, true],
      metadata: [null, { hall: 3 }],
    });
    expect(update.changes).toEqual({ source_name: ['Trade fair', 'Trade fair 2026'], color_hex: [null, '#00AA00'] });
    expect(deactivate.changes).toEqual({ is_active: [true, false] });
    expect(activate.changes).toEqual({ is_active: [false, true] });
    expect(del.changes).toMatchObject({ source_code: ['TRADE_FAIR', null], source_name: ['Trade fair 2026', null] });
    // A restore is not a create: only deleted_at changed (from the delete's timestamp back to null).
    expect(Object.keys(restore.changes)).toEqual(['deleted_at']);
    expect(restore.changes.deleted_at[1]).toBeNull();
    expect(Date.parse(restore.changes.deleted_at[0] as string)).toBeGreaterThanOrEqual(Date.parse(del.at) - 1000);
    // Bookkeeping fields say nothing about what the actor did.
    for (const e of log) for (const field of ['version', 'updated_at', 'updated_by', 'id']) expect(e.changes).not.toHaveProperty(field);
  });

  it('keys subsources by source and code, and channels by code', async () => {
    await manager.post('/lead-sources/SOCIAL/subsources', { sub_source_code: 'TIKTOK', sub_source_name: 'TikTok', cost_per_lead: 2.5 });
    await manager.patch('/lead-sources/SOCIAL/subsources/TIKTOK', { cost_per_lead: 3 });
    await manager.patch('/lead-channels/PAID', { channel_name: 'Paid media' });
    const log = await entries();
    expect(log.map((e) => [e.action, e.entity_type, e.entity_key])).toEqual([
      ['update', 'lead_channel', 'PAID'],
      ['update', 'lead_subsource', 'SOCIAL/TIKTOK'],
      ['create', 'lead_subsource', 'SOCIAL/TIKTOK'],
    ]);
    expect(log[0].changes).toEqual({ channel_name: ['Paid', 'Paid media'] });
    expect(log[1].changes).toEqual({ cost_per_lead: [2.5, 3] });
  });

  it('records each subsource a source delete takes with it, and each one its restore brings back', async () => {
    // SOCIAL is seeded with FACEBOOK and LINKEDIN; LINKEDIN goes first, on its own.
    await manager.delete('/lead-sources/SOCIAL/subsources/LINKEDIN');
    expect((await manager.delete('/lead-sources/SOCIAL')).statusCode).toBe(204);
    const deletedAt = (await admin.get('/lead-sources', { query: { include_deleted: true } }))
      .json()
      .data.find((s: { source_code: string }) => s.source_code === 'SOCIAL').deleted_at as string;
    expect(deletedAt).toEqual(expect.any(String));
    expect((await admin.post('/lead-sources/SOCIAL/restore')).statusCode).toBe(200);

    const log = await entries();
    expect(log.map((e) => [e.action, e.entity_type, e.entity_key, e.actor])).toEqual([
      ['restore', 'lead_source', 'SOCIAL', 'ada'],
      ['restore', 'lead_subsource', 'SOCIAL/FACEBOOK', 'ada'],
      ['delete', 'lead_source', 'SOCIAL', 'max'],
      ['delete', 'lead_subsource', 'SOCIAL/FACEBOOK', 'max'],
      ['delete', 'lead_subsource', 'SOCIAL/LINKEDIN', 'max'],
    ]);
    const [sourceRestore, subRestore, , cascadedDelete, ownDelete] = log;
    // A cascaded delete reads like a delete of its own: the row's fields, no deleted_at.
    expect(cascadedDelete.changes).toMatchObject({ source_code: ['SOCIAL', null], sub_source_code: ['FACEBOOK', null], sub_source_name: ['Facebook', null] });
    expect(Object.keys(cascadedDelete.changes).sort()).toEqual(Object.keys(ownDelete.changes).sort());
    expect(cascadedDelete.changes).not.toHaveProperty('deleted_at');
    // A restore changes deleted_at only.
    expect(sourceRestore.changes).toEqual({ deleted_at: [deletedAt, null] });
    expect(subRestore.changes).toEqual({ deleted_at: [deletedAt, null] });
  });

  it('records a cascade of a source without subsources as the source alone', async () => {
    await manager.delete('/lead-sources/EMAIL');
    await admin.post('/lead-sources/EMAIL/restore');
    const log = await entries();
    expect(log.map((e) => [e.action, e.entity_type, e.entity_key])).toEqual([
      ['restore', 'lead_source', 'EMAIL'],
      ['delete', 'lead_source', 'EMAIL'],
    ]);
  });

  it('records a restore of a subsource as deleted_at going back to null', async () => {
    await manager.delete('/lead-sources/SOCIAL/subsources/FACEBOOK');
    const deletedAt = (await admin.get('/lead-sources/SOCIAL/subsources', { query: { include_deleted: true } }))
      .json()
      .data.find((s: { sub_source_code: string }) => s.sub_source_code === 'FACEBOOK').deleted_at as string;
    await admin.post('/lead-sources/SOCIAL/subsources/FACEBOOK/restore');
    const [restore] = await entries();
    expect(restore).toMatchObject({ action: 'restore', entity_type: 'lead_subsource', entity_key: 'SOCIAL/FACEBOOK' });
    expect(restore.changes).toEqual({ deleted_at: [deletedAt, null] });
  });

  it('filters by entity_type and entity_key, and pages', async () => {
    await manager.patch('/lead-sources/WEBSITE', { source_name: 'Web' });
    await manager.patch('/lead-sources/EMAIL', { source_name: 'Mail' });
    await manager.patch('/lead-sources/EMAIL', { source_name: 'E-mail' });
    await manager.patch('/lead-channels/DIRECT', { channel_name: 'Straight' });

    expect((await entries({ entity_type: 'lead_source' })).map((e) => e.entity_key)).toEqual(['EMAIL', 'EMAIL', 'WEBSITE']);
    expect((await entries({ entity_type: 'lead_channel' })).map((e) => e.entity_key)).toEqual(['DIRECT']);
    const email = await entries({ entity_type: 'lead_source', entity_key: 'EMAIL' });
    expect(email.map((e) => e.changes.source_name)).toEqual([
      ['Mail', 'E-mail'],
      ['Email', 'Mail'],
    ]);
    expect(await entries({ entity_key: 'NOTHING' })).toEqual([]);

    const page = (await admin.get('/audit-log', { query: { limit: 2, offset: 1 } })).json();
    expect(page).toMatchObject({ total: 4, limit: 2, offset: 1 });
    expect(page.data.map((e: Entry) => e.entity_key)).toEqual(['EMAIL', 'EMAIL']);
    expect((await admin.get('/audit-log', { query: { limit: 501 } })).statusCode).toBe(400);
  });

  it('records nothing for a write that fails', async () => {
    await manager.post('/lead-sources', { source_code: 'TRADE_FAIR', source_name: 'Trade fair', source_type: 'event' });
    const count = async () => (await admin.get('/audit-log')).json().total as number;
    const start = await count();

    // 409: the code is taken.
    expect((await manager.post('/lead-sources', { source_code: 'TRADE_FAIR', source_name: 'Again', source_type: 'event' })).statusCode).toBe(409);
    // 412: a stale version.
    expect((await manager.patch('/lead-sources/TRADE_FAIR', { source_name: 'x' }, { headers: { 'if-match': '"9"' } })).statusCode).toBe(412);
    expect((await manager.delete('/lead-sources/TRADE_FAIR', { headers: { 'if-match': '"9"' } })).statusCode).toBe(412);
    // 400 and 404.
    expect((await manager.patch('/lead-sources/TRADE_FAIR', { source_name: '' })).statusCode).toBe(400);
    expect((await manager.patch('/lead-sources/NOPE', { source_name: 'x' })).statusCode).toBe(404);
    // 409 on restore: the code was reused meanwhile.
    await manager.delete('/lead-sources/TRADE_FAIR');
    await manager.post('/lead-sources', { source_code: 'TRADE_FAIR', source_name: 'Second', source_type: 'event' });
    const afterWrites = await count();
    expect(afterWrites).toBe(start + 2);
    expect((await admin.post('/lead-sources/TRADE_FAIR/restore')).statusCode).toBe(409);
    // 403: a viewer's attempt.
    expect((await api.as({ tenant, role: 'viewer' }).post('/lead-channels', { channel_code: 'X', channel_name: 'X' })).statusCode).toBe(403);

    expect(await count()).toBe(afterWrites);
  });

  describe('when the audit entry cannot be written', () => {
    afterEach(() => jest.restoreAllMocks());

    /** The next `failing`-th append (counting from 1) throws; the others write as usual. */
    const failAppend = (failing = 1) => {
      const repository = api.app.get(AuditLogRepository);
      const append = repository.append.bind(repository);
      const spy = jest.spyOn(repository, 'append');
      for (let i = 1; i < failing; i++) spy.mockImplementationOnce(append);
      spy.mockImplementationOnce(() => Promise.reject(new Error('audit store unavailable')));
      return spy;
    };
    const expect500 = (res: { statusCode: number; headers: Record<string, unknown>; json(): any }) => {
      expect(res.statusCode).toBe(500);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.json()).toMatchObject({ status: 500 });
      expect(JSON.stringify(res.json())).not.toMatch(/audit store unavailable/);
    };

    it('fails the write with it: a create stores no row', async () => {
      const spy = failAppend();
      expect500(await manager.post('/lead-sources', { source_code: 'TRADE_FAIR', source_name: 'Trade fair', source_type: 'event' }));
      expect(spy).toHaveBeenCalledTimes(1);
      expect((await manager.get('/lead-sources/TRADE_FAIR')).statusCode).toBe(404);
      expect((await admin.get('/lead-sources', { query: { include_deleted: true } })).json().total).toBe(5);
      // The code is free: nothing half-written holds it.
      expect((await manager.post('/lead-sources', { source_code: 'TRADE_FAIR', source_name: 'Trade fair', source_type: 'event' })).statusCode).toBe(201);
      expect((await entries()).map((e) => e.action)).toEqual(['create']);
    });

    it('fails the write with it: an update, a deactivation and a delete change nothing', async () => {
      const before = (await manager.get('/lead-sources/WEBSITE')).json();
      failAppend();
      expect500(await manager.patch('/lead-sources/WEBSITE', { source_name: 'Web' }));
      failAppend();
      expect500(await manager.post('/lead-sources/WEBSITE/deactivate'));
      failAppend();
      expect500(await manager.delete('/lead-sources/WEBSITE'));
      expect((await manager.get('/lead-sources/WEBSITE')).json()).toEqual(before);
      expect(await entries()).toEqual([]);
    });

    it("fails a source delete when the source's own entry fails after its subsources' entries: nothing is deleted", async () => {
      const spy = failAppend(2);
      expect500(await manager.delete('/lead-sources/SOCIAL'));
      expect(spy).toHaveBeenCalledTimes(2);
      expect((await manager.get('/lead-sources/SOCIAL')).json()).toMatchObject({ version: 1 });
      const subs = (await admin.get('/lead-sources/SOCIAL/subsources', { query: { include_deleted: true } })).json().data;
      expect(subs.map((s: { sub_source_code: string; version: number; deleted_at?: string }) => [s.sub_source_code, s.version, s.deleted_at])).toEqual([
        ['FACEBOOK', 1, undefined],
        ['LINKEDIN', 1, undefined],
      ]);
      expect(await entries()).toEqual([]);
    });
  });

  it('records no entry for a no-op activation', async () => {
    await manager.post('/lead-sources/WEBSITE/activate');
    expect(await entries()).toEqual([]);
  });

  it('starts empty for a new tenant: seeding is not an actor write', async () => {
    await admin.get('/lead-sources');
    expect((await admin.get('/audit-log')).json()).toMatchObject({ data: [], total: 0 });
  });
});
