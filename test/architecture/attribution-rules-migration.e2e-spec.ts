import { DataSource } from 'typeorm';
import { TestApi } from '../support/app';
import { ok } from '../support/responses';
import { appliedMigrations, revertThrough, startScratchApi } from '../support/migrations';
import { newTenantId } from '../support/tenants';
import { SubsourceCostHistory1764152300000 } from '../../src/database/migrations/1764152300000-subsource-cost-history';

// Reverts and runs migrations on a scratch database with rows in place: up to 20 s on MariaDB on two
// busy cores; 30 s (jest.config.js) leaves too little headroom.
jest.setTimeout(120_000);

const MIGRATION = 'AttributionRules1764152200000';

interface SourceRow {
  id: number;
  code: string;
  name: string;
  order: number;
  by: string;
  deleted: boolean;
}

/**
 * Migration 1764152200000 on a database whose tenants were registered before it: each gets the lead
 * source UNMAPPED (after its live sources, the next id of its own numbering) with its subsource
 * UNMAPPED; a tenant that has its own live UNMAPPED source keeps it and gets only the missing
 * subsource; the revert removes the seeded rows no lead or touch names and keeps those a lead or a
 * touch names (a touch keeps the source and subsource its credit goes to: the attribution rollups
 * name them too).
 */
describe('attribution rules migration on existing tenants', () => {
  let api: TestApi;
  let ds: DataSource;
  let close: () => Promise<void>;
  const [plain, own, complete, withLead, withTouch] = [
    newTenantId('plain'),
    newTenantId('own'),
    newTenantId('complete'),
    newTenantId('lead'),
    newTenantId('touch'),
  ];
  beforeAll(async () => {
    ({ api, ds, close } = await startScratchApi('unmapped'));
  });
  afterAll(() => close?.());

  const admin = (tenant: string) => api.as({ tenant, role: 'admin' });
  const sources = async (tenant: string): Promise<SourceRow[]> =>
    (
      await ds.query(
        'SELECT id, source_code AS code, source_name AS name, display_order AS o, created_by AS b, deleted_at AS d FROM tenant_lead_sources WHERE tenant_id = ? ORDER BY id',
        [tenant],
      )
    ).map((r: { id: number | string; code: string; name: string; o: number | string; b: string; d: unknown }) => ({
      id: Number(r.id),
      code: r.code,
      name: r.name,
      order: Number(r.o),
      by: r.b,
      deleted: r.d !== null,
    }));
  const subsources = async (tenant: string, sourceId: number) =>
    (
      await ds.query(
        'SELECT id, sub_source_code AS code, sub_source_name AS name, display_order AS o, created_by AS b FROM tenant_lead_subsources WHERE tenant_id = ? AND source_id = ? AND deleted_at IS NULL ORDER BY id',
        [tenant, sourceId],
      )
    ).map((r: { id: number | string; code: string; name: string; o: number | string; b: string }) => ({
      id: Number(r.id),
      code: r.code,
      name: r.name,
      order: Number(r.o),
      by: r.b,
    }));
  const lastId = async (tenant: string, table: string) =>
    Number((await ds.query('SELECT last_id AS n FROM id_sequences WHERE tenant_id = ? AND table_name = ?', [tenant, table]))[0]?.n ?? -1);
  const unmapped = async (tenant: string) => (await sources(tenant)).filter((s) => s.code === 'UNMAPPED' && !s.deleted);
  const tableExists = async () => {
    const rows =
      ds.options.type === 'better-sqlite3'
        ? await ds.query("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'attribution_rules'")
        : await ds.query("SELECT table_name AS name FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = 'attribution_rules'");
    return rows.length > 0;
  };

  it('seeds UNMAPPED for every tenant registered before, keeps a tenant’s own, and reverts only what no lead or touch names', async () => {
    for (const tenant of [plain, own, complete, withLead, withTouch]) ok(await admin(tenant).get('/lead-sources'));
    // A lead on the seeded UNMAPPED subsource: the revert keeps both rows.
    ok(await admin(withLead).post('/leads', { source_code: 'UNMAPPED', sub_source_code: 'UNMAPPED' }), 201);
    const leadRows = await unmapped(withLead);
    expect(leadRows).toHaveLength(1);
    // A lead of its own source whose later touch no rule matches: the touch (and its credits) name UNMAPPED.
    const touched = ok(await admin(withTouch).post('/leads', { source_code: 'WEBSITE' }), 201);
    expect(ok(await admin(withTouch).post(`/leads/${touched.id}/touches`, { utm_source: 'nowhere' }), 201).attributed_to).toMatchObject({
      source_code: 'UNMAPPED',
      sub_source_code: 'UNMAPPED',
    });
    const touchRows = await unmapped(withTouch);
    expect(touchRows).toHaveLength(1);

    await revertThrough(ds, MIGRATION);
    expect(await appliedMigrations(ds)).not.toContain(MIGRATION);
    expect(await tableExists()).toBe(false);
    for (const tenant of [plain, own, complete]) expect(await unmapped(tenant)).toEqual([]);
    expect(await unmapped(withLead)).toEqual(leadRows);
    expect(await subsources(withLead, leadRows[0].id)).toHaveLength(1);
    expect(await unmapped(withTouch)).toEqual(touchRows);
    expect(await subsources(withTouch, touchRows[0].id)).toHaveLength(1);

    // As tenants were before: more sources (a deleted one further down), their own UNMAPPED rows. The
    // revert took the later subsource cost history with it, which today's code writes with every new
    // subsource: it is there while these rows are written, and gone again before the migrations run.
    const costs = new SubsourceCostHistory1764152300000();
    const runner = ds.createQueryRunner();
    await costs.up(runner);
    ok(await admin(plain).post('/lead-sources', { source_code: 'FAIR', source_name: 'Fair', source_type: 'event', display_order: 7 }), 201);
    ok(await admin(plain).post('/lead-sources', { source_code: 'GONE', source_name: 'Gone', source_type: 'event', display_order: 20 }), 201);
    expect((await admin(plain).delete('/lead-sources/GONE')).statusCode).toBe(204);
    ok(await admin(own).post('/lead-sources', { source_code: 'UNMAPPED', source_name: 'Not attributed', source_type: 'import', display_order: 2 }), 201);
    ok(await admin(own).post('/lead-sources/UNMAPPED/subsources', { sub_source_code: 'OTHER', sub_source_name: 'Other', display_order: 3 }), 201);
    ok(await admin(complete).post('/lead-sources', { source_code: 'UNMAPPED', source_name: 'Mine', source_type: 'direct' }), 201);
    ok(await admin(complete).post('/lead-sources/UNMAPPED/subsources', { sub_source_code: 'UNMAPPED', sub_source_name: 'Mine too' }), 201);
    await costs.down(runner);
    await runner.release();
    // A tenant whose sequence row went missing: numbered after its largest id.
    await ds.query("DELETE FROM id_sequences WHERE tenant_id = ? AND table_name = 'tenant_lead_subsources'", [plain]);
    const before = {
      plain: await sources(plain),
      own: await sources(own),
      complete: await sources(complete),
      withLead: await sources(withLead),
      plainLastSource: await lastId(plain, 'tenant_lead_sources'),
      plainTopSub: Number((await ds.query('SELECT MAX(id) AS n FROM tenant_lead_subsources WHERE tenant_id = ?', [plain]))[0].n),
    };
    const completeUnmapped = await unmapped(complete);
    const completeSubs = await subsources(complete, completeUnmapped[0].id);

    await ds.runMigrations({ transaction: 'each' });
    expect(await appliedMigrations(ds)).toContain(MIGRATION);
    expect(await tableExists()).toBe(true);

    // A plain tenant: a new source after its live ones (FAIR at 7; the deleted GONE at 20 does not count), the next id.
    const [seeded] = await unmapped(plain);
    expect(seeded).toEqual({ id: before.plainLastSource + 1, code: 'UNMAPPED', name: 'Unmapped', order: 8, by: 'system', deleted: false });
    expect(await sources(plain)).toEqual([...before.plain, seeded]);
    expect(await lastId(plain, 'tenant_lead_sources')).toBe(seeded.id);
    expect(await subsources(plain, seeded.id)).toEqual([{ id: before.plainTopSub + 1, code: 'UNMAPPED', name: 'Unmapped', order: 0, by: 'system' }]);
    expect(await lastId(plain, 'tenant_lead_subsources')).toBe(before.plainTopSub + 1);
    const listed = ok(await admin(plain).get('/lead-sources')).data;
    expect(listed[listed.length - 1]).toMatchObject({ source_code: 'UNMAPPED', source_type: 'direct', is_default: true, is_active: true });
    // The numbering goes on from there.
    expect(ok(await admin(plain).post('/lead-sources', { source_code: 'NEXT', source_name: 'Next', source_type: 'event' }), 201).id).toBe(seeded.id + 1);

    // A tenant's own UNMAPPED source stays as it is and gets the subsource, after its others.
    expect(await sources(own)).toEqual(before.own);
    const [mine] = await unmapped(own);
    expect(mine).toMatchObject({ name: 'Not attributed', order: 2 });
    expect((await subsources(own, mine.id)).map((s: { code: string; order: number; by: string }) => [s.code, s.order, s.by])).toEqual([
      ['OTHER', 3, expect.not.stringMatching(/^system$/)],
      ['UNMAPPED', 4, 'system'],
    ]);
    // A tenant that had both, and one whose rows a lead kept: nothing new.
    expect(await sources(complete)).toEqual(before.complete);
    expect(await subsources(complete, completeUnmapped[0].id)).toEqual(completeSubs);
    expect(await sources(withLead)).toEqual(before.withLead);
    expect(await subsources(withLead, leadRows[0].id)).toHaveLength(1);

    // The rules work on the upgraded tenants: an unmatched touch goes to their UNMAPPED.
    expect(ok(await admin(own).post('/attribution-rules/dry-run', { utm_source: 'x' }))).toMatchObject({
      source_code: 'UNMAPPED',
      sub_source_code: 'UNMAPPED',
    });
  });
});
