import { startTestApi, TestApi } from '../support/app';
import { expectValidationError } from '../support/problems';
import { newTenantId } from '../support/tenants';

/** Lead channels. */
type Row = Record<string, any>;

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
