import { DataSource } from 'typeorm';
import { LeadChannelEntity } from '../../src/lead-sources/lead-channel.entity';
import { TestApi } from '../support/app';
import { isMysql } from '../support/database';
import { MIGRATIONS } from '../../src/database/migrations';
import { appliedMigrations, revertThrough, startScratchApi } from '../support/migrations';
import { newTenantId } from '../support/tenants';

// Migrates existing rows on a scratch database: up to 19 s a test on two busy cores; 30 s
// (jest.config.js) leaves too little headroom.
jest.setTimeout(120_000);

const MIGRATION = 'PerTenantIds1764151700000';

/**
 * Migration 1764151700000 on a database that holds rows numbered by the shared sequence of before:
 * every row keeps its id, each tenant's numbering continues from its own largest id, and the revert
 * refuses while an id is used by two tenants (saying so before it alters anything), then works once
 * none is.
 */
describe('per-tenant ids migration on existing rows', () => {
  let api: TestApi;
  let ds: DataSource;
  let close: () => Promise<void>;
  const [a, b] = [newTenantId('a'), newTenantId('b')];
  beforeAll(async () => {
    ({ api, ds, close } = await startScratchApi('ids'));
  });
  afterAll(() => close?.());

  const applied = () => appliedMigrations(ds);
  /** Reverts the migrations that came after this one, so that it is the last applied. */
  const revertNewer = async () => {
    const next = MIGRATIONS[MIGRATIONS.findIndex((m) => m.name === MIGRATION) + 1];
    if (next) await revertThrough(ds, next.name);
  };
  const channelIds = async (tenant: string) =>
    (await ds.query('SELECT id FROM tenant_lead_channels WHERE tenant_id = ? ORDER BY id', [tenant])).map((r: { id: number | string }) =>
      Number(r.id),
    ) as number[];
  const idType = async () =>
    isMysql()
      ? (
          await ds.query(
            "SELECT DATA_TYPE AS t FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'leads' AND COLUMN_NAME = 'id'",
          )
        )[0].t
      : String((await ds.query("SELECT type AS t FROM pragma_table_info('leads') WHERE name = 'id'"))[0].t).toLowerCase();
  /** Copies a tenant's lead channels to `to` in the old schema, where AUTO_INCREMENT numbers them. */
  const copyChannels = async (from: string, to: string) => {
    const columns = ds
      .getMetadata(LeadChannelEntity)
      .columns.filter((c) => !c.generatedType && c.databaseName !== 'id')
      .map((c) => c.databaseName);
    const select = columns.map((c) => (c === 'tenant_id' ? '?' : c === 'deleted_at' ? 'created_at' : c)).join(', ');
    await ds.query(`INSERT INTO tenant_lead_channels (${columns.join(', ')}) SELECT ${select} FROM tenant_lead_channels WHERE tenant_id = ?`, [to, from]);
  };

  it('keeps every id, continues each tenant from its own largest, and reverts only when no id is shared', async () => {
    const adminA = api.as({ tenant: a, role: 'admin' });
    const adminB = api.as({ tenant: b, role: 'admin' });
    expect((await adminA.get('/lead-channels')).statusCode).toBe(200); // registers A, seeds its channels 1..n
    const seeded = await channelIds(a);
    const n = seeded.length;
    expect(seeded).toEqual(seeded.map((_, i) => i + 1));

    // Back to the shared sequence (one tenant: no id is shared), then B and more of A, numbered by it.
    await revertThrough(ds, MIGRATION);
    expect(await applied()).not.toContain(MIGRATION);
    expect(await idType()).toBe(isMysql() ? 'int' : 'integer');
    await ds.query('INSERT INTO tenants (id, created_at) VALUES (?, ?)', [b, new Date().toISOString().replace('T', ' ').slice(0, 23)]);
    await copyChannels(a, b); // B's ids come after A's (InnoDB may leave gaps in a multi-row INSERT … SELECT)
    await copyChannels(b, a); // and more of A after B's
    const before = { a: await channelIds(a), b: await channelIds(b) };
    const top = (ids: number[]) => ids[ids.length - 1];
    expect(before.b).toHaveLength(n);
    expect(before.b[0]).toBeGreaterThan(n);
    expect(before.a).toHaveLength(2 * n);
    expect(before.a[n]).toBeGreaterThan(top(before.b));

    // A large table changed beforehand by an operator (an online schema-change tool): the migration leaves it.
    if (isMysql())
      await ds.query('ALTER TABLE leads DROP PRIMARY KEY, MODIFY id BIGINT NOT NULL, ADD PRIMARY KEY (tenant_id, id), MODIFY source_id BIGINT NOT NULL');
    await ds.runMigrations({ transaction: 'each' });
    expect(await applied()).toContain(MIGRATION);
    expect(await idType()).toBe('bigint');
    expect({ a: await channelIds(a), b: await channelIds(b) }).toEqual(before);
    const sequences = await ds.query("SELECT tenant_id AS t, last_id AS last FROM id_sequences WHERE table_name = 'tenant_lead_channels' ORDER BY last_id");
    expect(sequences.map((r: { t: string; last: number | string }) => [r.t, Number(r.last)])).toEqual([
      [b, top(before.b)],
      [a, top(before.a)],
    ]);
    // Every table has its sequence for both tenants, at 0 where the tenant has no rows.
    expect(Number((await ds.query("SELECT last_id AS last FROM id_sequences WHERE tenant_id = ? AND table_name = 'leads'", [b]))[0].last)).toBe(0);

    const created = async (c: typeof adminA, code: string) => {
      const res = await c.post('/lead-channels', { channel_code: code, channel_name: code });
      expect(res.statusCode).toBe(201);
      return res.json().id as number;
    };
    expect(await created(adminA, 'NEXT_A')).toBe(top(before.a) + 1);
    expect(await created(adminB, 'NEXT_B')).toBe(top(before.b) + 1);
    // Their audit entries: each tenant's first is 1.
    const firstAudit = async (t: string) => Number((await ds.query('SELECT MIN(id) AS id FROM audit_log WHERE tenant_id = ?', [t]))[0].id);
    expect([await firstAudit(a), await firstAudit(b)]).toEqual([1, 1]);

    // The revert refuses while an id is shared, before altering anything (later migrations reverted first).
    await revertNewer();
    await expect(ds.undoLastMigration({ transaction: 'each' })).rejects.toThrow(/has id \d+ in more than one tenant/);
    expect(await applied()).toContain(MIGRATION);
    expect(await idType()).toBe('bigint');

    // Once no id is shared, it reverts, and the shared sequence continues after the largest id.
    await ds.query('DELETE FROM tenant_lead_channels WHERE tenant_id = ? AND id = ?', [b, top(before.b) + 1]);
    await ds.query('DELETE FROM audit_log WHERE tenant_id = ?', [b]);
    await ds.undoLastMigration({ transaction: 'each' });
    expect(await idType()).toBe(isMysql() ? 'int' : 'integer');
    await copyChannels(b, b);
    expect((await channelIds(b))[n]).toBeGreaterThan(top(before.a) + 1);
    await ds.query('DELETE FROM tenant_lead_channels WHERE tenant_id = ? AND id > ?', [b, top(before.a) + 1]);
    await ds.runMigrations({ transaction: 'each' });
    expect(await applied()).toContain(MIGRATION);
  });
});
