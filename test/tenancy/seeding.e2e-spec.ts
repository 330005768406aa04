import { DataSource } from 'typeorm';
import { Client, startTestApi, TestApi } from '../support/app';
import { isMysql } from '../support/database';
import { newTenantId } from '../support/tenants';
import { TenantContext } from '../../src/tenancy/tenant-context';
import { TenantDefaultsRegistry } from '../../src/tenancy/tenant-defaults';
import { TenantRegistry } from '../../src/tenancy/tenant-registry';
import { LeadChannelRepository } from '../../src/lead-sources/lead-channel.repository';

// Registers concurrent new tenants with their defaults: up to 8 s a test on SQLite on two busy cores
// (MariaDB not measured); 30 s (jest.config.js) leaves too little headroom.
jest.setTimeout(90_000);

type Row = Record<string, any>;

/** Every row of a list, deleted and inactive ones included (admin). */
async function everything(client: Client, path: string): Promise<Row[]> {
  const res = await client.get(path, { query: { include_deleted: true, include_inactive: true, limit: 500 } });
  expect(res.statusCode).toBe(200);
  expect(res.json().total).toBe(res.json().data.length);
  return res.json().data;
}

async function expectSeededOnce(client: Client): Promise<void> {
  const sources = await everything(client, '/lead-sources');
  expect(sources.map((s) => s.source_code).sort()).toEqual(['EMAIL', 'REFERRAL', 'SOCIAL', 'UNMAPPED', 'WEBSITE']);
  const subsources = await everything(client, '/lead-sources/SOCIAL/subsources');
  expect(subsources.map((s) => s.sub_source_code).sort()).toEqual(['FACEBOOK', 'LINKEDIN']);
  expect((await everything(client, '/lead-sources/UNMAPPED/subsources')).map((s) => s.sub_source_code)).toEqual(['UNMAPPED']);
  for (const code of ['WEBSITE', 'EMAIL', 'REFERRAL']) expect(await everything(client, `/lead-sources/${code}/subsources`)).toEqual([]);
  const channels = await everything(client, '/lead-channels');
  expect(channels.map((c) => c.channel_code).sort()).toEqual(['DIRECT', 'ORGANIC', 'PAID', 'REFERRAL']);
}

/** Tenants whose ids start with this fail their first seeding after the lead-source defaults ran. */
const FAIL_ONCE = 'failonce';
/** Tenants whose ids start with this hit a real unique-key violation in their first seeding. */
const DUPLICATE_ONCE = 'duponce';

describe('tenant registration and default seeding', () => {
  let api: TestApi;
  const failed = new Set<string>();
  beforeAll(async () => {
    api = await startTestApi();
    const tenancy = api.app.get(TenantContext);
    const channels = api.app.get(LeadChannelRepository);
    api.app.get(TenantDefaultsRegistry).register({
      name: 'test-fails-once',
      order: 1_000,
      seed: async () => {
        const { tenantId } = tenancy.require();
        if (tenantId.startsWith(FAIL_ONCE) && !failed.has(tenantId)) {
          failed.add(tenantId);
          throw new Error('seeding failed halfway');
        }
        if (tenantId.startsWith(DUPLICATE_ONCE) && !failed.has(tenantId)) {
          failed.add(tenantId);
          // A second DIRECT channel: the database refuses it (unique key), as it would a buggy seeder's row.
          await channels.insert({ channelCode: 'DIRECT', channelName: 'Direct again', displayOrder: 9 });
        }
      },
    });
  });
  afterAll(() => api.close());

  it('seeds the lead sources, subsources and channels of API.md §2', async () => {
    const client = api.as({ tenant: newTenantId(), role: 'viewer' });
    const sources = (await client.get('/lead-sources')).json();
    expect(sources.total).toBe(5);
    expect(sources.data.map((s: Row) => [s.source_code, s.source_type, s.is_default, s.is_active])).toEqual([
      ['WEBSITE', 'website', true, true],
      ['EMAIL', 'email', true, true],
      ['SOCIAL', 'social', true, true],
      ['REFERRAL', 'referral', true, true],
      ['UNMAPPED', 'direct', true, true],
    ]);
    for (const s of sources.data) {
      expect(s).toMatchObject({ version: 1, created_by: 'system', updated_by: 'system', metadata: {}, leads_generated: 0 });
    }

    const subsources = (await client.get('/lead-sources/SOCIAL/subsources')).json();
    expect(subsources.data.map((s: Row) => [s.sub_source_code, s.source_code, s.is_active, s.cost_per_lead])).toEqual([
      ['FACEBOOK', 'SOCIAL', true, 0],
      ['LINKEDIN', 'SOCIAL', true, 0],
    ]);
    const unmapped = (await client.get('/lead-sources/UNMAPPED/subsources')).json();
    expect(unmapped.data.map((s: Row) => [s.sub_source_code, s.sub_source_name, s.source_code, s.is_active, s.cost_per_lead])).toEqual([
      ['UNMAPPED', 'Unmapped', 'UNMAPPED', true, 0],
    ]);
    for (const code of ['WEBSITE', 'EMAIL', 'REFERRAL']) expect((await client.get(`/lead-sources/${code}/subsources`)).json().total).toBe(0);

    const channels = (await client.get('/lead-channels')).json();
    expect(channels.data.map((c: Row) => [c.channel_code, c.is_active])).toEqual([
      ['DIRECT', true],
      ['ORGANIC', true],
      ['PAID', true],
      ['REFERRAL', true],
    ]);
  });

  it('seeds a new tenant exactly once under 20 concurrent first requests', async () => {
    const tenant = newTenantId();
    const roles = ['admin', 'manager', 'agent', 'viewer'] as const;
    const paths = ['/lead-sources', '/lead-channels', '/lead-sources/SOCIAL/subsources', '/lead-sources/WEBSITE'];
    const responses = await Promise.all(
      Array.from({ length: 20 }, (_, i) => api.as({ tenant, role: roles[i % 4] }).get(paths[Math.floor(i / 4) % paths.length])),
    );
    expect(responses.map((r) => r.statusCode)).toEqual(Array(20).fill(200));
    await expectSeededOnce(api.as({ tenant, role: 'admin' }));
  });

  it('seeds concurrent new tenants each with their own defaults', async () => {
    const tenants = Array.from({ length: 6 }, () => newTenantId());
    const responses = await Promise.all(tenants.flatMap((tenant) => [1, 2, 3].map(() => api.as({ tenant, role: 'viewer' }).get('/lead-sources'))));
    expect(responses.map((r) => r.statusCode)).toEqual(Array(18).fill(200));
    for (const tenant of tenants) await expectSeededOnce(api.as({ tenant, role: 'admin' }));
  });

  it('does not re-create a deleted default, even after the registry cache is forgotten', async () => {
    const tenant = newTenantId();
    const admin = api.as({ tenant, role: 'admin' });
    expect((await admin.delete('/lead-sources/WEBSITE')).statusCode).toBe(204);
    expect((await admin.delete('/lead-channels/PAID')).statusCode).toBe(204);
    expect((await admin.delete('/lead-sources/SOCIAL/subsources/FACEBOOK')).statusCode).toBe(204);

    api.app.get(TenantRegistry).reset();
    const later = api.as({ tenant, role: 'viewer' });
    expect((await later.get('/lead-sources')).json().data.map((s: Row) => s.source_code)).toEqual(['EMAIL', 'SOCIAL', 'REFERRAL', 'UNMAPPED']);
    expect((await later.get('/lead-sources/WEBSITE')).statusCode).toBe(404);
    expect((await later.get('/lead-channels/PAID')).statusCode).toBe(404);
    expect((await later.get('/lead-sources/SOCIAL/subsources')).json().data.map((s: Row) => s.sub_source_code)).toEqual(['LINKEDIN']);

    const sources = await everything(admin, '/lead-sources');
    expect(sources.filter((s) => s.source_code === 'WEBSITE')).toEqual([expect.objectContaining({ deleted_at: expect.any(String) })]);
    expect(sources).toHaveLength(5);
  });

  it('registers a tenant and its defaults in one transaction: a failed seeding leaves nothing behind', async () => {
    const tenant = newTenantId(FAIL_ONCE);
    const first = await api.as({ tenant, role: 'admin' }).get('/lead-sources');
    expect(first.statusCode).toBe(500);
    expect(first.json()).toMatchObject({ code: 'INTERNAL', detail: 'The server failed to answer' });
    expect(first.body).not.toContain('seeding failed halfway');
    expect(failed.has(tenant)).toBe(true);

    // Straight from the database: neither the tenant row nor the defaults seeded before the failure stayed.
    const db = api.app.get(DataSource);
    for (const table of ['tenants', 'tenant_lead_sources', 'tenant_lead_subsources', 'tenant_lead_channels']) {
      const column = table === 'tenants' ? 'id' : 'tenant_id';
      const [{ n }] = await db.query(`SELECT COUNT(*) AS n FROM ${table} WHERE ${column} = ?`, [tenant]);
      expect({ table, rows: Number(n) }).toEqual({ table, rows: 0 });
    }

    // The retry seeds from scratch.
    const second = await api.as({ tenant, role: 'admin' }).get('/lead-sources');
    expect(second.statusCode).toBe(200);
    await expectSeededOnce(api.as({ tenant, role: 'admin' }));
  });

  it('does not take a duplicate-key failure inside seeding for a registration by another instance', async () => {
    const tenant = newTenantId(DUPLICATE_ONCE);
    const first = await api.as({ tenant, role: 'admin' }).get('/lead-sources');
    expect(failed.has(tenant)).toBe(true);
    // Not a 200 over an empty tenant: the registration failed and must be retried.
    expect(first.statusCode).toBeGreaterThanOrEqual(500);
    expect(first.body).not.toMatch(/DIRECT|UNIQUE|Duplicate/);

    const second = await api.as({ tenant, role: 'admin' }).get('/lead-sources');
    expect(second.statusCode).toBe(200);
    await expectSeededOnce(api.as({ tenant, role: 'admin' }));
  });

  (isMysql() ? it : it.skip)('seeds once when two instances see the same new tenant at once (MySQL)', async () => {
    const other = await startTestApi();
    try {
      const tenant = newTenantId();
      const responses = await Promise.all(
        Array.from({ length: 10 }, (_, i) => (i % 2 === 0 ? api : other).as({ tenant, role: 'viewer' }).get('/lead-sources')),
      );
      expect(responses.map((r) => r.statusCode)).toEqual(Array(10).fill(200));
      for (const r of responses) expect(r.json().total).toBe(5);
      await expectSeededOnce(api.as({ tenant, role: 'admin' }));
      await expectSeededOnce(other.as({ tenant, role: 'admin' }));

      // The other instance, which never seeded this tenant itself, does not re-create a deleted default.
      const seen = newTenantId();
      await api.as({ tenant: seen, role: 'admin' }).delete('/lead-sources/EMAIL');
      expect((await other.as({ tenant: seen, role: 'viewer' }).get('/lead-sources/EMAIL')).statusCode).toBe(404);
      expect((await other.as({ tenant: seen, role: 'viewer' }).get('/lead-sources')).json().total).toBe(4);
    } finally {
      await other.close();
    }
  });
});
