import { LeadSourceRepository } from '../../src/lead-sources/lead-source.repository';
import { MissingTenantError, TenantContext } from '../../src/tenancy/tenant-context';
import { startTestApi, TestApi } from '../support/app';
import { newTenantId } from '../support/tenants';

type RawQuery = { rawQuery<R>(sql: string, params?: Record<string, unknown>): Promise<R[]> };

/**
 * DESIGN.md "Tenancy": the data-access base takes the tenant from the context only. Called from the
 * running app outside any request or runAs(), every kind of query refuses to run; hand-written SQL
 * must name the :tenantId parameter.
 */
describe('tenant-scoped repository', () => {
  let api: TestApi;
  let sources: LeadSourceRepository;
  let tenancy: TenantContext;
  beforeAll(async () => {
    api = await startTestApi();
    sources = api.app.get(LeadSourceRepository);
    tenancy = api.app.get(TenantContext);
  });
  afterAll(() => api.close());

  const as = <T>(tenantId: string, work: () => Promise<T>) => tenancy.runAs({ tenantId, userId: 'script', role: 'admin' }, work);

  it('throws MissingTenantError for reads and writes outside a tenant context', async () => {
    const tenant = newTenantId();
    expect((await api.as({ tenant, role: 'admin' }).get('/lead-sources')).statusCode).toBe(200);
    const id = (await as(tenant, () => sources.findByCode('WEBSITE')))!.id;

    await expect((async () => sources.findByCode('WEBSITE'))()).rejects.toThrow(MissingTenantError);
    await expect((async () => sources.findById(id))()).rejects.toThrow(MissingTenantError);
    await expect((async () => sources.list({ includeInactive: true, includeDeleted: true }, { limit: 10, offset: 0 }))()).rejects.toThrow(
      MissingTenantError,
    );
    await expect((async () => sources.insert({ sourceCode: 'ORPHAN', sourceName: 'Orphan', sourceType: 'event', metadata: {} }))()).rejects.toThrow(
      MissingTenantError,
    );
    await expect((async () => sources.update(id, { sourceName: 'Nobody' }))()).rejects.toThrow(MissingTenantError);
    await expect((async () => sources.softDelete(id, new Date()))()).rejects.toThrow(MissingTenantError);
    await expect((async () => (sources as unknown as RawQuery).rawQuery('SELECT id FROM tenant_lead_sources WHERE tenant_id = :tenantId'))()).rejects.toThrow(
      MissingTenantError,
    );

    // Nothing was written: the row is as seeded and no ORPHAN exists anywhere.
    expect(await as(tenant, () => sources.findById(id))).toMatchObject({ sourceName: 'Website', version: 1, deletedAt: null });
    expect(await as(tenant, () => sources.findByCode('ORPHAN'))).toBeNull();
  });

  it('refuses an update that would change a row’s tenant, id or version, and changes nothing', async () => {
    const [a, b] = [newTenantId(), newTenantId()];
    await api.as({ tenant: a, role: 'admin' }).get('/lead-sources');
    await api.as({ tenant: b, role: 'admin' }).get('/lead-sources');
    const before = (await as(a, () => sources.findByCode('WEBSITE')))!;
    for (const changes of [{ tenantId: b }, { id: before.id + 1000 }, { version: 7 }, { sourceName: 'Moved', tenantId: b }]) {
      await expect(as(a, () => sources.update(before.id, changes as never))).rejects.toThrow(/cannot be changed by an update/);
    }
    expect(await as(a, () => sources.findById(before.id))).toMatchObject({ tenantId: a, sourceName: 'Website', version: before.version });
    expect((await as(b, () => sources.findByCode('WEBSITE')))!.sourceName).toBe('Website');
  });

  it('reads only the tenant in context', async () => {
    const [a, b] = [newTenantId(), newTenantId()];
    await api.as({ tenant: a, role: 'admin' }).post('/lead-sources', { source_code: 'ONLY_A', source_name: 'A', source_type: 'event' });
    await api.as({ tenant: b, role: 'admin' }).get('/lead-sources');
    expect(await as(a, () => sources.findByCode('ONLY_A'))).toMatchObject({ tenantId: a });
    expect(await as(b, () => sources.findByCode('ONLY_A'))).toBeNull();
  });

  it('refuses hand-written SQL that does not use :tenantId, even inside a tenant context', async () => {
    const tenant = newTenantId();
    await api.as({ tenant, role: 'admin' }).get('/lead-sources');
    const raw = sources as unknown as RawQuery;
    for (const sql of [
      'SELECT COUNT(*) AS n FROM tenant_lead_sources',
      "SELECT COUNT(*) AS n FROM tenant_lead_sources WHERE tenant_id = 'tenantId'",
      'SELECT COUNT(*) AS n FROM tenant_lead_sources WHERE tenant_id = :tenantIds',
      'SELECT COUNT(*) AS n FROM tenant_lead_sources WHERE tenant_id = :tenant',
    ]) {
      await expect(as(tenant, () => raw.rawQuery(sql, { tenantIds: tenant, tenant }))).rejects.toThrow(/not scoped by :tenantId/);
    }
    // The same statement scoped by :tenantId counts this tenant's four seeded sources.
    const [row] = await as(tenant, () => raw.rawQuery<{ n: number | string }>('SELECT COUNT(*) AS n FROM tenant_lead_sources WHERE tenant_id = :tenantId'));
    expect(Number(row.n)).toBe(4);
  });
});
