import { Client, startTestApi, TestApi } from '../support/app';
import { newTenantId } from '../support/tenants';
import { expectForbidden } from '../support/problems';
import { Role } from '../../src/tenancy/tenant-context';

/**
 * API.md §1 Roles: every GET is open to all four roles; configuration writes need admin or manager;
 * restore, include_deleted and the audit log need admin. Otherwise 403 FORBIDDEN.
 */
const ALL: Role[] = ['admin', 'manager', 'agent', 'viewer'];
const WRITERS: Role[] = ['admin', 'manager'];
const READ_ONLY: Role[] = ['agent', 'viewer'];

interface Resource {
  name: string;
  /** Collection path (under the tenant's seeded defaults). */
  base: string;
  body: (code: string) => Record<string, unknown>;
  patch: Record<string, unknown>;
  /** A row every new tenant has, for the routes that address one. */
  seeded: string;
}

const RESOURCES: Resource[] = [
  {
    name: 'lead sources',
    base: '/lead-sources',
    body: (code) => ({ source_code: code, source_name: 'Trade fair', source_type: 'event' }),
    patch: { source_name: 'Renamed' },
    seeded: 'WEBSITE',
  },
  {
    name: 'lead subsources',
    base: '/lead-sources/SOCIAL/subsources',
    body: (code) => ({ sub_source_code: code, sub_source_name: 'TikTok' }),
    patch: { sub_source_name: 'Renamed' },
    seeded: 'FACEBOOK',
  },
  {
    name: 'lead channels',
    base: '/lead-channels',
    body: (code) => ({ channel_code: code, channel_name: 'Events' }),
    patch: { channel_name: 'Renamed' },
    seeded: 'PAID',
  },
];

describe('roles', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(() => api.close());

  /** One tenant, one client per role. */
  const tenantClients = () => {
    const tenant = newTenantId();
    return Object.fromEntries(ALL.map((role) => [role, api.as({ tenant, role })])) as Record<Role, Client>;
  };

  describe.each(RESOURCES)('$name', (r) => {
    it.each(READ_ONLY)('refuses every write to %s, and changes nothing', async (role) => {
      const as = tenantClients();
      const client = as[role];
      expectForbidden(await client.post(r.base, r.body('NEW_ONE')));
      expectForbidden(await client.patch(`${r.base}/${r.seeded}`, r.patch));
      expectForbidden(await client.delete(`${r.base}/${r.seeded}`));
      expectForbidden(await client.post(`${r.base}/${r.seeded}/deactivate`));
      expectForbidden(await client.post(`${r.base}/${r.seeded}/activate`));
      expectForbidden(await client.post(`${r.base}/${r.seeded}/restore`));

      const seeded = await as.admin.get(`${r.base}/${r.seeded}`);
      expect(seeded.statusCode).toBe(200);
      expect(seeded.json()).toMatchObject({ version: 1, is_active: true });
      expect((await as.admin.get(`${r.base}/NEW_ONE`)).statusCode).toBe(404);
      expect((await as.admin.get('/audit-log')).json().total).toBe(0);
    });

    it.each(WRITERS)('lets %s create, change, deactivate, activate and delete', async (role) => {
      const client = tenantClients()[role];
      expect((await client.post(r.base, r.body('NEW_ONE'))).statusCode).toBe(201);
      expect((await client.patch(`${r.base}/NEW_ONE`, r.patch)).statusCode).toBe(200);
      expect((await client.post(`${r.base}/NEW_ONE/deactivate`)).statusCode).toBe(200);
      expect((await client.post(`${r.base}/NEW_ONE/activate`)).statusCode).toBe(200);
      expect((await client.delete(`${r.base}/NEW_ONE`)).statusCode).toBe(204);
    });

    it('lets only admin restore', async () => {
      const as = tenantClients();
      expect((await as.manager.delete(`${r.base}/${r.seeded}`)).statusCode).toBe(204);
      for (const role of ['manager', 'agent', 'viewer'] as Role[]) expectForbidden(await as[role].post(`${r.base}/${r.seeded}/restore`));
      expect((await as.admin.get(`${r.base}/${r.seeded}`)).statusCode).toBe(404);
      const restored = await as.admin.post(`${r.base}/${r.seeded}/restore`);
      expect(restored.statusCode).toBe(200);
      expect(restored.json().deleted_at).toBeUndefined();
    });

    it('lets only admin list deleted rows', async () => {
      const as = tenantClients();
      for (const role of ['manager', 'agent', 'viewer'] as Role[]) {
        expectForbidden(await as[role].get(r.base, { query: { include_deleted: true } }));
      }
      expect((await as.admin.get(r.base, { query: { include_deleted: true } })).statusCode).toBe(200);
      // include_deleted=false is no privilege.
      expect((await as.viewer.get(r.base, { query: { include_deleted: false } })).statusCode).toBe(200);
    });

    it.each(ALL)('lets %s read the list and a row', async (role) => {
      const client = tenantClients()[role];
      const list = await client.get(r.base, { query: { include_inactive: true } });
      expect(list.statusCode).toBe(200);
      expect(list.json().total).toBeGreaterThan(0);
      expect((await client.get(`${r.base}/${r.seeded}`)).statusCode).toBe(200);
    });
  });

  describe('audit log', () => {
    it('is admin only', async () => {
      const as = tenantClients();
      for (const role of ['manager', 'agent', 'viewer'] as Role[]) expectForbidden(await as[role].get('/audit-log'));
      expect((await as.admin.get('/audit-log')).statusCode).toBe(200);
    });
  });
});
