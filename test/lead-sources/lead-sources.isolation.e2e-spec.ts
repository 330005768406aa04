import { Client, startTestApi, TestApi } from '../support/app';
import { newTenantId } from '../support/tenants';
import { expectNotFound } from '../support/problems';
import { listed } from '../support/responses';

describe('lead sources: tenant isolation', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(() => api.close());

  let alice: Client;
  let bob: Client;
  beforeEach(async () => {
    alice = api.as({ tenant: newTenantId('alice'), role: 'admin', sub: 'alice' });
    bob = api.as({ tenant: newTenantId('bob'), role: 'admin', sub: 'bob' });
    const created = await alice.post('/lead-sources', { source_code: 'TRADE_FAIR', source_name: 'Trade fair', source_type: 'event' });
    expect(created.statusCode).toBe(201);
    expect((await alice.post('/lead-sources/TRADE_FAIR/subsources', { sub_source_code: 'BOOTH', sub_source_name: 'Booth' })).statusCode).toBe(201);
  });

  it("leaves another tenant's source out of every list", async () => {
    const query = { include_inactive: true, include_deleted: true, search: 'TRADE' };
    expect(listed(await bob.get('/lead-sources', { query }), 'source_code')).toEqual([]);
    expect(listed(await bob.get('/lead-sources', { query: { include_inactive: true, include_deleted: true } }), 'source_code')).not.toContain('TRADE_FAIR');
    expect((await bob.get('/lead-sources')).json().total).toBe(5);
    // The owner does see it.
    expect(listed(await alice.get('/lead-sources', { query: { search: 'TRADE' } }), 'source_code')).toEqual(['TRADE_FAIR']);
  });

  it("answers 404 to every route that addresses another tenant's source, and changes nothing", async () => {
    expectNotFound(await bob.get('/lead-sources/TRADE_FAIR'));
    expectNotFound(await bob.patch('/lead-sources/TRADE_FAIR', { source_name: 'Hijacked' }));
    expectNotFound(await bob.post('/lead-sources/TRADE_FAIR/deactivate'));
    expectNotFound(await bob.post('/lead-sources/TRADE_FAIR/activate'));
    expectNotFound(await bob.delete('/lead-sources/TRADE_FAIR'));
    expectNotFound(await bob.post('/lead-sources/TRADE_FAIR/restore'));

    const mine = (await alice.get('/lead-sources/TRADE_FAIR')).json();
    expect(mine).toMatchObject({ source_name: 'Trade fair', is_active: true, version: 1 });
  });

  it("cannot restore another tenant's deleted source", async () => {
    expect((await alice.delete('/lead-sources/TRADE_FAIR')).statusCode).toBe(204);
    expectNotFound(await bob.post('/lead-sources/TRADE_FAIR/restore'));
    expectNotFound(await bob.get('/lead-sources/TRADE_FAIR'));
    expect(listed(await bob.get('/lead-sources', { query: { include_deleted: true } }), 'source_code')).not.toContain('TRADE_FAIR');
    // Still restorable by its owner.
    expect((await alice.post('/lead-sources/TRADE_FAIR/restore')).statusCode).toBe(200);
  });

  it("answers 404 for the subsources of another tenant's source", async () => {
    expectNotFound(await bob.get('/lead-sources/TRADE_FAIR/subsources'));
    expectNotFound(await bob.get('/lead-sources/TRADE_FAIR/subsources/BOOTH'));
    expectNotFound(await bob.post('/lead-sources/TRADE_FAIR/subsources', { sub_source_code: 'PLANTED', sub_source_name: 'Planted' }));
    expectNotFound(await bob.patch('/lead-sources/TRADE_FAIR/subsources/BOOTH', { sub_source_name: 'Hijacked' }));
    expectNotFound(await bob.delete('/lead-sources/TRADE_FAIR/subsources/BOOTH'));
    expectNotFound(await bob.post('/lead-sources/TRADE_FAIR/subsources/BOOTH/deactivate'));

    const subs = await alice.get('/lead-sources/TRADE_FAIR/subsources', { query: { include_inactive: true } });
    expect(listed(subs, 'sub_source_code')).toEqual(['BOOTH']);
    expect(subs.json().data[0]).toMatchObject({ sub_source_name: 'Booth', is_active: true, version: 1 });
  });

  it('keeps subsources apart under a source code both tenants have', async () => {
    expect((await alice.post('/lead-sources/SOCIAL/subsources', { sub_source_code: 'TIKTOK', sub_source_name: 'TikTok' })).statusCode).toBe(201);
    expect(listed(await bob.get('/lead-sources/SOCIAL/subsources'), 'sub_source_code')).toEqual(['FACEBOOK', 'LINKEDIN']);
    expectNotFound(await bob.get('/lead-sources/SOCIAL/subsources/TIKTOK'));
    expectNotFound(await bob.patch('/lead-sources/SOCIAL/subsources/TIKTOK', { sub_source_name: 'x' }));
    expectNotFound(await bob.delete('/lead-sources/SOCIAL/subsources/TIKTOK'));
    // Bob may have his own TIKTOK, and Alice's stays as it was.
    expect((await bob.post('/lead-sources/SOCIAL/subsources', { sub_source_code: 'TIKTOK', sub_source_name: "Bob's" })).statusCode).toBe(201);
    expect((await alice.get('/lead-sources/SOCIAL/subsources/TIKTOK')).json().sub_source_name).toBe('TikTok');
  });

  it('lets two tenants create the same code', async () => {
    const res = await bob.post('/lead-sources', { source_code: 'TRADE_FAIR', source_name: "Bob's fair", source_type: 'event' });
    expect(res.statusCode).toBe(201);
    expect((await alice.get('/lead-sources/TRADE_FAIR')).json().source_name).toBe('Trade fair');
    expect((await bob.get('/lead-sources/TRADE_FAIR')).json().source_name).toBe("Bob's fair");
    // Deleting one leaves the other.
    expect((await bob.delete('/lead-sources/TRADE_FAIR')).statusCode).toBe(204);
    expect((await alice.get('/lead-sources/TRADE_FAIR')).statusCode).toBe(200);
  });

  it('keeps channels apart too', async () => {
    expect((await alice.post('/lead-channels', { channel_code: 'EVENTS', channel_name: 'Events' })).statusCode).toBe(201);
    expectNotFound(await bob.get('/lead-channels/EVENTS'));
    expectNotFound(await bob.patch('/lead-channels/EVENTS', { channel_name: 'x' }));
    expectNotFound(await bob.delete('/lead-channels/EVENTS'));
    expect(listed(await bob.get('/lead-channels', { query: { include_inactive: true } }), 'channel_code')).not.toContain('EVENTS');
  });

  it('shows a tenant only its own writes in the audit log', async () => {
    await bob.post('/lead-sources', { source_code: 'BOB_ONLY', source_name: 'Bob only', source_type: 'event' });
    await bob.patch('/lead-sources/WEBSITE', { source_name: 'Bob web' });
    const log = (await alice.get('/audit-log', { query: { limit: 500 } })).json();
    expect(log.data.map((e: { actor: string }) => e.actor)).not.toContain('bob');
    expect(log.data.map((e: { entity_key: string }) => e.entity_key).sort()).toEqual(['TRADE_FAIR', 'TRADE_FAIR/BOOTH']);
    expect(log.total).toBe(2);
    const filtered = (await alice.get('/audit-log', { query: { entity_type: 'lead_source', entity_key: 'BOB_ONLY' } })).json();
    expect(filtered).toMatchObject({ data: [], total: 0 });
  });
});
