import { DataSource } from 'typeorm';
import { BINARY_TEXT_COLUMNS } from '../../src/database/migrations/1764151600000-binary-codes';
import { NAMED_TABLES } from '../../src/database/migrations/1764151600001-name-keys';
import { startTestApi, TestApi } from '../support/app';
import { isMysql } from '../support/database';

/**
 * Text that the service compares or sorts in SQL compares as bytes on both engines (docs/conventions.md, "Text,
 * codes and order"): on MySQL/MariaDB every code column, lead code, audit filter column and name key is
 * `utf8mb4_bin`; on SQLite no column declares another collation. A code column added later without
 * binaryCollation() (src/database/migration-helpers.ts) fails here.
 */

/** Code columns left in the default collation, and why. */
const NOT_COMPARED: Record<string, string> = {
  'lead_milestones.type_code': 'a snapshot of the type code shown in answers; never compared or sorted in SQL',
  'sla_breaches.type_code': 'a record of the breached type, which the key names by milestone_type_id; never compared or sorted in SQL',
};

describe('collations', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(() => api.close());

  it('compares codes, lead codes, audit filters and name keys byte for byte', async () => {
    const ds = api.app.get(DataSource);
    if (isMysql()) {
      const columns: { t: string; c: string; collation: string }[] = await ds.query(
        'SELECT TABLE_NAME AS t, COLUMN_NAME AS c, COLLATION_NAME AS collation FROM information_schema.COLUMNS ' +
          "WHERE TABLE_SCHEMA = DATABASE() AND (COLUMN_NAME LIKE '%\\_code' OR COLUMN_NAME IN ('entity_type', 'entity_key', 'name_key'))",
      );
      const expected = [
        ...Object.entries(BINARY_TEXT_COLUMNS).flatMap(([t, cs]) => cs.map((c) => `${t}.${c}`)),
        ...Object.keys(NAMED_TABLES).map((t) => `${t}.name_key`),
      ];
      const found = columns.map((col) => `${col.t}.${col.c}`);
      expect(expected.filter((name) => !found.includes(name))).toEqual([]);
      expect(
        columns.filter((col) => col.collation !== 'utf8mb4_bin' && !NOT_COMPARED[`${col.t}.${col.c}`]).map((col) => `${col.t}.${col.c} (${col.collation})`),
      ).toEqual([]);
    } else {
      const tables: { name: string; sql: string }[] = await ds.query("SELECT name, sql FROM sqlite_master WHERE type = 'table' AND sql LIKE '%name_key%'");
      expect(tables.map((t) => t.name).sort()).toEqual(Object.keys(NAMED_TABLES).sort());
      const all: { name: string; sql: string }[] = await ds.query("SELECT name, sql FROM sqlite_master WHERE type = 'table'");
      expect(all.filter((t) => /COLLATE/i.test(t.sql)).map((t) => t.name)).toEqual([]);
    }
  });
});
