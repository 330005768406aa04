import { LeadSourceRepository } from '../../src/lead-sources/lead-source.repository';
import { MissingTenantError, TenantContext } from '../../src/tenancy/tenant-context';
import { startTestApi, TestApi } from '../support/app';
import { newTenantId } from '../support/tenants';

/** The base's protected write methods that take no SQL text (locks, derived columns, bulk replacement). */
type Named = {
  lockRows(match: Record<string, unknown>, opts?: { includeDeleted?: boolean }): Promise<void>;
  setDerived(id: number, values: Record<string, unknown>): Promise<void>;
  replaceEach(rows: { id: number; values: Record<string, unknown> }[]): Promise<void>;
};

/**
 * DESIGN.md "Tenancy": the data-access base takes the tenant from the context only. Called from the
 * running app outside any request or runAs(), every kind of query refuses to run. Feature code hands
 * the base no SQL text: locks and derived-column writes name their rows by entity properties, and the
 * base adds the tenant.
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
    await expect((async () => sources.list({ includeInactive: true, includeDeleted: true }, { limit: 10, offset: 0 }))()).rejects.toThrow(MissingTenantError);
    await expect((async () => sources.insert({ sourceCode: 'ORPHAN', sourceName: 'Orphan', sourceType: 'event', metadata: {} }))()).rejects.toThrow(
      MissingTenantError,
    );
    await expect((async () => sources.update(id, { sourceName: 'Nobody' }))()).rejects.toThrow(MissingTenantError);
    await expect((async () => sources.softDelete(id, new Date()))()).rejects.toThrow(MissingTenantError);
    const named = sources as unknown as Named;
    await expect((async () => named.lockRows({ id }))()).rejects.toThrow(MissingTenantError);
    await expect((async () => named.setDerived(id, { leadsGenerated: 9 }))()).rejects.toThrow(MissingTenantError);
    await expect((async () => named.replaceEach([{ id, values: { description: 'Nobody' } }]))()).rejects.toThrow(MissingTenantError);

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

  it('takes no SQL text: locks and derived-column writes name rows by property and reach the tenant in context only', async () => {
    const [a, b] = [newTenantId(), newTenantId()];
    await api.as({ tenant: a, role: 'admin' }).get('/lead-sources');
    await api.as({ tenant: b, role: 'admin' }).get('/lead-sources');
    const named = sources as unknown as Named & { rawQuery?: unknown };
    expect(named.rawQuery).toBeUndefined();
    // Ids are per tenant: the same id names each tenant's own WEBSITE row.
    const inA = (await as(a, () => sources.findByCode('WEBSITE')))!;
    const inB = (await as(b, () => sources.findByCode('WEBSITE')))!;
    expect(inB.id).toBe(inA.id);

    await as(a, () => named.lockRows({ id: inA.id }, { includeDeleted: true }));
    await as(a, () => named.lockRows({}));
    await expect(as(a, () => named.lockRows({ noSuchProperty: 1 }))).rejects.toThrow(/has no column for property noSuchProperty/);
    await as(a, () => named.setDerived(inA.id, { leadsGenerated: 41 }));
    await as(a, () => named.replaceEach([{ id: inA.id, values: { description: 'Replaced in A' } }]));
    for (const kept of [{ tenantId: b }, { id: inA.id + 1000 }, { version: 7 }]) {
      await expect(as(a, () => named.replaceEach([{ id: inA.id, values: kept }]))).rejects.toThrow(/cannot be changed by an update/);
      await expect(as(a, () => named.setDerived(inA.id, kept))).rejects.toThrow(/cannot be changed by an update/);
    }

    // A: the derived column as set, one versioned edit (the locks and the derived write changed no version).
    expect(await as(a, () => sources.findById(inA.id))).toMatchObject({
      tenantId: a,
      leadsGenerated: 41,
      description: 'Replaced in A',
      version: inA.version + 1,
    });
    // B: untouched.
    expect(await as(b, () => sources.findById(inB.id))).toMatchObject({
      tenantId: b,
      leadsGenerated: inB.leadsGenerated,
      description: inB.description,
      version: inB.version,
    });
  });
});
