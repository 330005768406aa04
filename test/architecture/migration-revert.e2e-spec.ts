import { DataSource } from 'typeorm';
import { parseDatabaseUrl } from '../../src/config/app-config';
import { buildDataSourceOptions } from '../../src/database/data-source';
import { scratchDatabase } from '../support/database';
import { pendingSchemaChanges } from '../support/schema';

// Runs, reverts and runs again every migration on a scratch database: 43 s on MariaDB (7 s on SQLite)
// on two busy cores; 30 s (jest.config.js) is too little.
jest.setTimeout(180_000);

/** TypeORM's bookkeeping (applied migrations; generated columns' expressions): what a full revert leaves, empty. */
const MIGRATIONS_TABLE = 'schema_migrations';
const METADATA_TABLE = 'typeorm_metadata';

async function tableNames(dataSource: DataSource): Promise<string[]> {
  const rows: { name: string }[] =
    dataSource.options.type === 'better-sqlite3'
      ? await dataSource.query(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`)
      : await dataSource.query(`SELECT table_name AS name FROM information_schema.tables WHERE table_schema = DATABASE()`);
  return rows.map((r) => r.name).sort();
}

/**
 * Every migration's down() undoes its up(): on a fresh database of the engine under test, run them
 * all, revert them one by one (newest first) back to an empty schema, run them all again, and the
 * schema is what the entities describe (the schema-drift comparison).
 */
describe('migrations revert', () => {
  let scratch: { url: string; drop(): Promise<void> };
  let dataSource: DataSource;
  beforeAll(async () => {
    scratch = await scratchDatabase('revert');
    dataSource = new DataSource(buildDataSourceOptions(parseDatabaseUrl(scratch.url, 2)));
    await dataSource.initialize();
  });
  afterAll(async () => {
    await dataSource?.destroy();
    await scratch?.drop();
  });

  it('runs every migration, reverts every one, runs them again, and the schema matches the entities', async () => {
    // In the order they apply: by the timestamp that ends each name.
    const timestamp = (name: string) => Number(/\d{13}$/.exec(name)![0]);
    const all = dataSource.migrations.map((m) => m.name!).sort((a, b) => timestamp(a) - timestamp(b));
    expect(all.length).toBeGreaterThan(5);
    expect(await tableNames(dataSource)).toEqual([]);

    const applied = await dataSource.runMigrations({ transaction: 'each' });
    expect(applied.map((m) => m.name)).toEqual(all);
    const built = await tableNames(dataSource);
    expect(built.length).toBeGreaterThan(10);

    const reverted: string[] = [];
    for (let i = 0; i < all.length; i++) {
      const before = await dataSource.query(`SELECT name FROM ${MIGRATIONS_TABLE} ORDER BY timestamp DESC, id DESC`);
      reverted.push(before[0].name);
      await dataSource.undoLastMigration({ transaction: 'each' });
    }
    // Newest first, each exactly once, and nothing of theirs is left.
    expect(reverted).toEqual([...all].reverse());
    expect(await dataSource.query(`SELECT name FROM ${MIGRATIONS_TABLE}`)).toEqual([]);
    expect(await tableNames(dataSource)).toEqual([MIGRATIONS_TABLE, METADATA_TABLE].sort());
    expect(await dataSource.query(`SELECT * FROM ${METADATA_TABLE}`)).toEqual([]);

    const again = await dataSource.runMigrations({ transaction: 'each' });
    expect(again.map((m) => m.name)).toEqual(all);
    expect(await tableNames(dataSource)).toEqual(built);
    expect(await pendingSchemaChanges(dataSource)).toEqual([]);
  });
});
