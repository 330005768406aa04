import { DataSource } from 'typeorm';
import { TestApi } from '../support/app';
import { appliedMigrations, revertThrough, startScratchApi } from '../support/migrations';
import { ok } from '../support/responses';
import { newTenantId } from '../support/tenants';

// Reverts and re-applies the newest migrations on a scratch database: a few seconds on SQLite, more on MariaDB.
jest.setTimeout(120_000);

const MIGRATION = 'SubsourceCostHistory1764152300000';

type Row = Record<string, any>;

/**
 * Migration 1764152300000 on a database whose subsources have no cost history yet: every subsource,
 * deleted ones included, gets one entry from the beginning with its cost_per_lead at the time, under its
 * own id; each tenant's numbering of entries continues after them; its revert removes the table and the
 * table's id sequences.
 */
describe('subsource cost history migration on existing subsources', () => {
  let api: TestApi;
  let ds: DataSource;
  let close: () => Promise<void>;
  beforeAll(async () => {
    ({ api, ds, close } = await startScratchApi('costs'));
  });
  afterAll(() => close?.());

  const entries = async (tenant: string): Promise<Row[]> =>
    (await ds.query('SELECT id, sub_source_id, valid_from, cost_per_lead FROM lead_subsource_costs WHERE tenant_id = ? ORDER BY id', [tenant])).map(
      (r: Row) => ({ id: Number(r.id), sub: Number(r.sub_source_id), valid_from: r.valid_from, cost: Number(r.cost_per_lead) }),
    );
  const subsources = async (tenant: string): Promise<Row[]> =>
    (await ds.query('SELECT id, cost_per_lead FROM tenant_lead_subsources WHERE tenant_id = ? ORDER BY id', [tenant])).map((r: Row) => ({
      id: Number(r.id),
      cost: Number(r.cost_per_lead),
    }));
  const hasTable = async () =>
    (
      await ds.query(
        ds.options.type === 'better-sqlite3'
          ? "SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'lead_subsource_costs'"
          : "SELECT table_name FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = 'lead_subsource_costs'",
      )
    ).length === 1;

  it('gives every subsource, deleted ones too, its entry from the beginning, and numbers later entries after them', async () => {
    const [a, b] = [newTenantId('a'), newTenantId('b')];
    const adminA = api.as({ tenant: a, role: 'admin' });
    const adminB = api.as({ tenant: b, role: 'admin' });
    ok(await adminA.post('/lead-sources/SOCIAL/subsources', { sub_source_code: 'ADS', sub_source_name: 'Ads', cost_per_lead: 12.5 }), 201);
    ok(await adminA.post('/lead-sources/SOCIAL/subsources', { sub_source_code: 'GONE', sub_source_name: 'Gone', cost_per_lead: 3 }), 201);
    expect((await adminA.delete('/lead-sources/SOCIAL/subsources/GONE')).statusCode).toBe(204);
    ok(await adminB.get('/lead-sources'));

    // The schema of before: no history. A cost changed meanwhile is the one the migration finds.
    await revertThrough(ds, MIGRATION);
    expect(await hasTable()).toBe(false);
    expect(await ds.query("SELECT * FROM id_sequences WHERE table_name = 'lead_subsource_costs'")).toEqual([]);
    await ds.query("UPDATE tenant_lead_subsources SET cost_per_lead = 9 WHERE tenant_id = ? AND sub_source_code = 'FACEBOOK'", [a]);

    await ds.runMigrations({ transaction: 'each' });
    expect(await appliedMigrations(ds)).toContain(MIGRATION);
    for (const tenant of [a, b]) {
      const subs = await subsources(tenant);
      expect(await entries(tenant)).toEqual(subs.map((s) => ({ id: s.id, sub: s.id, valid_from: null, cost: s.cost })));
    }
    const subsA = await subsources(a);
    expect(subsA.find((s) => s.cost === 9)).toBeDefined();
    expect(subsA).toHaveLength(5); // FACEBOOK, LINKEDIN, UNMAPPED, ADS, GONE (deleted)

    // Through the API: the migrated history is the one in force, and a new entry is numbered after the migrated ones.
    expect(ok(await adminA.get('/lead-sources/SOCIAL/subsources/ADS/costs')).data.map((e: Row) => [e.valid_from, e.cost_per_lead])).toEqual([[null, 12.5]]);
    ok(await adminA.post('/lead-sources/SOCIAL/subsources/ADS/costs', { cost_per_lead: 20, valid_from: '2026-03-01' }), 201);
    const ids = (await entries(a)).map((e) => e.id);
    expect(ids).toEqual([...subsA.map((s) => s.id), Math.max(...subsA.map((s) => s.id)) + 1]);
    const body = { source_code: 'SOCIAL', sub_source_code: 'FACEBOOK', created_at: '2026-02-01T12:00:00Z' };
    expect(ok(await adminA.post('/leads', body), 201).acquisition_cost).toBe(9);
    expect(ok(await adminA.post('/leads', { ...body, sub_source_code: 'ADS' }), 201).acquisition_cost).toBe(12.5);
    expect(ok(await adminA.post('/leads', { ...body, sub_source_code: 'ADS', created_at: '2026-03-01T12:00:00Z' }), 201).acquisition_cost).toBe(20);
    // The deleted subsource's history is there when it comes back.
    ok(await adminA.post('/lead-sources/SOCIAL/subsources/GONE/restore'));
    expect(ok(await adminA.get('/lead-sources/SOCIAL/subsources/GONE/costs')).data.map((e: Row) => [e.valid_from, e.cost_per_lead])).toEqual([[null, 3]]);
  });
});
