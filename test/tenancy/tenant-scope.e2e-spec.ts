import { HttpException } from '@nestjs/common';
import { getTransactionHostToken, TransactionHost } from '@nestjs-cls/transactional';
import { CUSTOMIZATION_TX } from '../../src/database/transactional';
import { ClsService } from 'nestjs-cls';
import { AppError } from '../../src/common/errors/app-error';
import { LeadsService } from '../../src/lead-sources/leads.service';
import { LeadSourceRepository } from '../../src/lead-sources/lead-source.repository';
import { MissingTenantError, TenantContext } from '../../src/tenancy/tenant-context';
import { TenantDefaultsRegistry } from '../../src/tenancy/tenant-defaults';
import { TenantRegistry } from '../../src/tenancy/tenant-registry';
import { TenantScope, TenantScopeNestingError } from '../../src/tenancy/tenant-scope';
import { startTestApi, TestApi } from '../support/app';
import { newTenantId } from '../support/tenants';

/** Tenants whose ids start with this fail their first seeding. */
const FAIL_ONCE = 'scopefail';

/**
 * TenantScope.run: the public way for code in the same process to act as a tenant (DESIGN.md "A
 * library as well as a server"). Through the real AppModule and database, as a host would call it.
 */
describe('TenantScope.run', () => {
  let api: TestApi;
  let scope: TenantScope;
  let leads: LeadsService;
  let registry: TenantRegistry;
  let tenancy: TenantContext;
  const failed = new Set<string>();

  beforeAll(async () => {
    api = await startTestApi();
    scope = api.app.get(TenantScope);
    leads = api.app.get(LeadsService);
    registry = api.app.get(TenantRegistry);
    tenancy = api.app.get(TenantContext);
    api.app.get(TenantDefaultsRegistry).register({
      name: 'test-scope-fails-once',
      order: 1_000,
      seed: async () => {
        const { tenantId } = tenancy.require();
        if (tenantId.startsWith(FAIL_ONCE) && !failed.has(tenantId)) {
          failed.add(tenantId);
          throw new Error('seeding failed halfway');
        }
      },
    });
  });
  afterAll(() => api.close());

  const restLeads = async (tenant: string) => {
    const res = await api.as({ tenant, role: 'viewer' }).get('/leads');
    expect(res.statusCode).toBe(200);
    return res.json().data as { id: number; lead_code: string | null }[];
  };
  const restSources = async (tenant: string) => {
    const res = await api.as({ tenant, role: 'viewer' }).get('/lead-sources');
    expect(res.statusCode).toBe(200);
    return (res.json().data as { source_code: string }[]).map((s) => s.source_code).sort();
  };

  it.each([
    ['empty', ''],
    ['a trailing space', 'acme '],
    ['a leading space', ' acme'],
    ['a newline', 'acme\n'],
    ['65 characters', 'a'.repeat(65)],
    ['a slash', 'ac/me'],
    ['a dot', 'ac.me'],
    ['not a string', 42],
    ['undefined', undefined],
  ])('refuses a tenant id with %s, as a token claim would be, before running anything', async (_what, id) => {
    const work = jest.fn(async () => 'ran');
    const refusal = await scope.run(id as string, work).catch((e: unknown) => e);
    expect(refusal).toBeInstanceOf(AppError);
    expect(refusal).toBeInstanceOf(HttpException);
    expect((refusal as AppError).getStatus()).toBe(400);
    expect((refusal as AppError).getResponse()).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ field: 'tenant_id' }] });
    expect(work).not.toHaveBeenCalled();
    if (typeof id === 'string') expect(registry.isKnown(id)).toBe(false);
  });

  it('accepts 64 characters of letters, digits, _ and -, and refuses a bad actor or role', async () => {
    const id = `${newTenantId('edge')}_${'x'.repeat(64)}`.slice(0, 64);
    expect(await scope.run(id, () => tenancy.require().tenantId)).toBe(id);
    for (const [options, field] of [
      [{ actor: '' }, 'actor'],
      [{ actor: 'a'.repeat(129) }, 'actor'],
      [{ role: 'owner' }, 'role'],
    ] as const) {
      await expect(scope.run(newTenantId(), async () => 1, options as never)).rejects.toMatchObject({
        code: 'VALIDATION_FAILED',
        errors: [{ field }],
      });
    }
  });

  it('registers and seeds a new tenant first, acts as the actor, and REST requests of the tenant work afterwards', async () => {
    const tenant = newTenantId();
    expect(registry.isKnown(tenant)).toBe(false);
    const created = await scope.run(tenant, () => leads.create({ source_code: 'SOCIAL', sub_source_code: 'FACEBOOK', lead_code: 'IN-1' }), {
      actor: 'sales-orders',
    });
    expect(created.response).toMatchObject({ source_code: 'SOCIAL', sub_source_code: 'FACEBOOK', created_by: 'sales-orders', updated_by: 'sales-orders' });
    expect(registry.isKnown(tenant)).toBe(true);

    // The REST path finds the tenant registered, its defaults seeded once, and the lead written in-process.
    expect(await restSources(tenant)).toEqual(['EMAIL', 'REFERRAL', 'SOCIAL', 'UNMAPPED', 'WEBSITE']);
    expect((await restLeads(tenant)).map((l) => l.lead_code)).toEqual(['IN-1']);
    const posted = await api.as({ tenant, role: 'agent' }).post('/leads', { source_code: 'WEBSITE', lead_code: 'REST-1' });
    expect(posted.statusCode).toBe(201);
    const audit = await api.as({ tenant, role: 'admin' }).get('/audit-log', { query: { entity_type: 'lead', entity_key: created.response.id } });
    expect(audit.json().data.map((e: { user_id?: string; actor?: string }) => e.user_id ?? e.actor)).toEqual(['sales-orders']);
  });

  it("defaults the actor to 'system' and the role to admin", async () => {
    const tenant = newTenantId();
    expect(await scope.run(tenant, () => tenancy.require())).toEqual({ tenantId: tenant, userId: 'system', role: 'admin' });
    expect(await scope.run(tenant, () => tenancy.require(), { actor: 'job-7', role: 'viewer' })).toEqual({ tenantId: tenant, userId: 'job-7', role: 'viewer' });
  });

  it('registers a tenant once when several runs start together', async () => {
    const tenant = newTenantId();
    const codes = await Promise.all(
      Array.from({ length: 5 }, (_, i) =>
        scope.run(tenant, async () => (await leads.create({ source_code: 'WEBSITE', lead_code: `C-${i}` })).response.lead_code),
      ),
    );
    expect(codes.sort()).toEqual(['C-0', 'C-1', 'C-2', 'C-3', 'C-4']);
    expect(await restSources(tenant)).toEqual(['EMAIL', 'REFERRAL', 'SOCIAL', 'UNMAPPED', 'WEBSITE']);
  });

  it('does not remember a registration that rolled back: the next run registers the tenant again', async () => {
    const tenant = newTenantId(FAIL_ONCE);
    const work = jest.fn(async () => 'ran');
    await expect(scope.run(tenant, work)).rejects.toThrow('seeding failed halfway');
    expect(work).not.toHaveBeenCalled();
    expect(registry.isKnown(tenant)).toBe(false);

    expect((await scope.run(tenant, () => leads.create({ source_code: 'EMAIL' }))).response.source_code).toBe('EMAIL');
    expect(registry.isKnown(tenant)).toBe(true);
    expect(await restSources(tenant)).toEqual(['EMAIL', 'REFERRAL', 'SOCIAL', 'UNMAPPED', 'WEBSITE']);
  });

  it("does not remember a registration made inside the caller's transaction when that transaction rolls back", async () => {
    const tenant = newTenantId();
    // Our transactional connection (named, so that a host's own unnamed one never replaces it).
    const txHost = api.app.get<TransactionHost>(getTransactionHostToken(CUSTOMIZATION_TX));
    await expect(
      txHost.withTransaction(async () => {
        await scope.run(tenant, () => leads.create({ source_code: 'REFERRAL', lead_code: 'ROLLED-BACK' }));
        // Inside the transaction the work sees the defaults it needs and its own write.
        expect(await scope.run(tenant, async () => (await leads.list({ limit: 10, offset: 0 })).total)).toBe(1);
        throw new Error('the host gives up');
      }),
    ).rejects.toThrow('the host gives up');
    expect(registry.isKnown(tenant)).toBe(false);

    // The tenant's first REST request registers and seeds it, and the rolled-back lead is not there.
    expect(await restSources(tenant)).toEqual(['EMAIL', 'REFERRAL', 'SOCIAL', 'UNMAPPED', 'WEBSITE']);
    expect(await restLeads(tenant)).toEqual([]);
    expect(registry.isKnown(tenant)).toBe(true);
  });

  it('keeps two tenants apart', async () => {
    const [a, b] = [newTenantId(), newTenantId()];
    const ofA = await scope.run(a, () => leads.create({ source_code: 'WEBSITE', lead_code: 'ONLY-A' }));
    const seenByB = await scope.run(b, () => leads.list({ limit: 50, offset: 0 }));
    expect(seenByB.total).toBe(0);
    await expect(scope.run(b, () => leads.get(ofA.row.id))).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect((await api.as({ tenant: b, role: 'viewer' }).get(`/leads/${ofA.row.id}`)).statusCode).toBe(404);
    expect((await restLeads(a)).map((l) => l.lead_code)).toEqual(['ONLY-A']);
  });

  it('scopes only the work: outside it, and under a host\'s plain "principal" CLS key, data access throws', async () => {
    const tenant = newTenantId();
    await scope.run(tenant, async () => undefined);
    expect(tenancy.current()).toBeUndefined();
    await expect((async () => leads.list({ limit: 10, offset: 0 }))()).rejects.toThrow(MissingTenantError);

    const sources = api.app.get(LeadSourceRepository);
    const cls = api.app.get(ClsService);
    await expect(
      cls.run(async () => {
        cls.set('principal', { tenantId: tenant, userId: 'host-user', role: 'admin' });
        return sources.findByCode('WEBSITE');
      }),
    ).rejects.toThrow(MissingTenantError);
    // Work started inside the scope and finishing later still runs as the tenant.
    const later = await scope.run(tenant, () => new Promise((resolve) => setTimeout(() => resolve(tenancy.require().tenantId), 5)));
    expect(later).toBe(tenant);
  });

  it('nests for the same tenant (inner actor inside, outer one after) and refuses another tenant inside a scope', async () => {
    const [a, b] = [newTenantId(), newTenantId()];
    const seen = await scope.run(
      a,
      async () => {
        const inner = await scope.run(a, () => tenancy.require().userId, { actor: 'inner' });
        return [inner, tenancy.require().userId];
      },
      { actor: 'outer' },
    );
    expect(seen).toEqual(['inner', 'outer']);

    const work = jest.fn(async () => 'ran');
    await expect(scope.run(a, () => scope.run(b, work))).rejects.toThrow(TenantScopeNestingError);
    expect(work).not.toHaveBeenCalled();
    expect(registry.isKnown(b)).toBe(false);
  });
});
