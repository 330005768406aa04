import { DataSource } from 'typeorm';
import { textKey } from '../../src/common/text/text-key';
import { BINARY_TEXT_COLUMNS } from '../../src/database/migrations/1764151600000-binary-codes';
import { NAMED_TABLES } from '../../src/database/migrations/1764151600001-name-keys';
import { LeadChannelEntity } from '../../src/lead-sources/lead-channel.entity';
import { TestApi } from '../support/app';
import { isMysql } from '../support/database';
import { revertThrough as revertMigrationsThrough, startScratchApi } from '../support/migrations';
import { newTenantId } from '../support/tenants';

// Migrates and reverts existing rows in batches on a scratch database: up to 23 s a test on MariaDB
// on two busy cores; 30 s (jest.config.js) leaves too little headroom.
jest.setTimeout(120_000);

/**
 * The text migrations on a database that already holds rows (docs/conventions.md, "Text, codes and order"):
 * `name_key` is computed for every existing row (deleted ones, legacy names with tabs, more rows than
 * one batch), and on MySQL/MariaDB the binary collation of lead codes reverts only when no two live
 * codes differ in case alone, saying so before it alters anything.
 */
describe('text migrations on existing rows', () => {
  let api: TestApi;
  let ds: DataSource;
  let close: () => Promise<void>;
  const tenant = newTenantId();
  beforeAll(async () => {
    ({ api, ds, close } = await startScratchApi('text'));
  });
  afterAll(() => close?.());

  const revertThrough = (name: string) => revertMigrationsThrough(ds, name);
  const collationOf = async (table: string, column: string) =>
    (
      await ds.query('SELECT COLLATION_NAME AS c FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? AND COLUMN_NAME = ?', [
        table,
        column,
      ])
    )[0].c;

  it('computes every existing row’s name key, in batches, and lists by it afterwards', async () => {
    const admin = api.as({ tenant, role: 'admin' });
    for (const name of ['Zebra', 'Café', 'apple', 'ＡＢＣ']) {
      const code = `S_${textKey(name)
        .toUpperCase()
        .replace(/[^A-Z]/g, 'X')}`;
      expect((await admin.post('/lead-sources', { source_code: code, source_name: name, source_type: 'event', display_order: 30 })).statusCode).toBe(201);
    }
    expect((await admin.post('/milestone-templates', { template_name: 'Été', template_type: 'custom', sequence: ['CONTACTED'] })).statusCode).toBe(201);
    expect((await admin.post('/campaign-templates', { template_name: 'Ｗinter', campaign_type_code: 'EMAIL_BLAST' })).statusCode).toBe(201);
    expect((await admin.delete('/lead-sources/S_ZEBRA')).statusCode).toBe(204);
    // A name from before the input rules (a tab, trailing spaces): its key is still clean.
    await ds.query("UPDATE tenant_lead_sources SET source_name = ? WHERE tenant_id = ? AND source_code = 'WEBSITE'", ['Web\tsite  ', tenant]);
    // More lead channels than one batch: copies of the seeded ones, deleted (the unique key holds live rows only).
    const columns = ds
      .getMetadata(LeadChannelEntity)
      .columns.filter((c) => !c.isGenerated && !c.generatedType)
      .map((c) => c.databaseName);
    for (let i = 0; i < 8; i++) {
      // Each copy takes ids above the largest one (ids are the tenant's own: (tenant_id, id) is the key).
      const [{ top }] = await ds.query('SELECT MAX(id) AS top FROM tenant_lead_channels WHERE tenant_id = ?', [tenant]);
      const select = columns.map((c) => (c === 'deleted_at' ? 'created_at' : c === 'id' ? `id + ${Number(top)}` : c)).join(', ');
      await ds.query(`INSERT INTO tenant_lead_channels (${columns.join(', ')}) SELECT ${select} FROM tenant_lead_channels WHERE tenant_id = ?`, [tenant]);
    }

    await revertThrough('NameKeys1764151600001');
    await expect(ds.query('SELECT name_key FROM tenant_lead_sources')).rejects.toThrow();
    await ds.runMigrations({ transaction: 'each' });

    for (const [table, nameColumn] of Object.entries(NAMED_TABLES)) {
      const rows: { name: string; k: string }[] = await ds.query(`SELECT ${nameColumn} AS name, name_key AS k FROM ${table} WHERE tenant_id = ?`, [tenant]);
      expect(rows.length).toBeGreaterThan(0);
      expect(rows.filter((r) => r.k !== textKey(r.name))).toEqual([]);
    }
    expect((await ds.query('SELECT COUNT(*) AS n FROM tenant_lead_channels WHERE tenant_id = ?', [tenant]))[0].n).toBeGreaterThan(1000);
    const sources = (await admin.get('/lead-sources', { query: { include_deleted: true } })).json().data;
    expect(sources.filter((s: { display_order: number }) => s.display_order === 30).map((s: { source_name: string }) => s.source_name)).toEqual([
      'ＡＢＣ',
      'apple',
      'Café',
      'Zebra',
    ]);
    expect((await admin.get('/lead-sources', { query: { search: 'web site' } })).json().data.map((s: { source_code: string }) => s.source_code)).toEqual([
      'WEBSITE',
    ]);
  });

  it('keeps stored integration_key_last4 values through the widening and its revert', async () => {
    const admin = api.as({ tenant, role: 'admin' });
    const created = await admin.post('/campaign-channels', { channel_code: 'LAST4', channel_name: 'Last four', integration_key: 'secret-key-9876' });
    expect(created.statusCode).toBe(201);
    const last4 = async () =>
      (await ds.query("SELECT integration_key_last4 AS v FROM tenant_campaign_channels WHERE tenant_id = ? AND channel_code = 'LAST4'", [tenant]))[0].v;
    expect(await last4()).toBe('9876');
    await revertThrough('WidenIntegrationKeyLast41764151450000');
    expect(await last4()).toBe('9876');
    await ds.runMigrations({ transaction: 'each' });
    expect(await last4()).toBe('9876');
    expect((await admin.get('/campaign-channels/LAST4')).json().integration_key_last4).toBe('9876');
  });

  it('reverts binary lead codes only when no two live ones differ in case alone (MySQL/MariaDB)', async () => {
    if (!isMysql()) return; // SQLite: nothing to revert, it compares bytes
    const admin = api.as({ tenant, role: 'admin' });
    expect((await admin.post('/leads', { source_code: 'EMAIL', lead_code: 'CRM-1' })).statusCode).toBe(201);
    expect((await admin.post('/leads', { source_code: 'EMAIL', lead_code: 'crm-1' })).statusCode).toBe(201);

    await revertThrough('NameKeys1764151600001');
    await expect(revertThrough('BinaryCodes1764151600000')).rejects.toThrow(/leads\.lead_code .*differ only in case or accents/);
    // Refused before anything was altered.
    for (const [table, columns] of Object.entries(BINARY_TEXT_COLUMNS)) for (const c of columns) expect(await collationOf(table, c)).toBe('utf8mb4_bin');

    await ds.query("UPDATE leads SET deleted_at = created_at WHERE tenant_id = ? AND lead_code = 'crm-1'", [tenant]);
    await revertThrough('BinaryCodes1764151600000');
    expect(await collationOf('leads', 'lead_code')).toBe('utf8mb4_unicode_ci');
    await ds.runMigrations({ transaction: 'each' });
    expect(await collationOf('leads', 'lead_code')).toBe('utf8mb4_bin');
    expect((await admin.post('/leads', { source_code: 'EMAIL', lead_code: 'crm-1' })).statusCode).toBe(201);
  });
});
