import { QueryRunner, TableColumn, TableColumnOptions, TableIndex } from 'typeorm';
import { LIVE_EXPRESSION, MONEY_PART, NAME_KEY_LENGTH } from './columns';

/**
 * Column and index builders shared by the migrations. They mirror the entity column helpers
 * (columns.ts, TenantOwnedEntity) so that the schema-drift test finds nothing to change.
 * This is the only place where dialect differences may be switched on.
 */
export const isMysql = (qr: QueryRunner) => ['mysql', 'mariadb'].includes(qr.connection.driver.options.type);

export const id = (): TableColumnOptions => ({
  name: 'id',
  // 'integer': SQLite allows AUTOINCREMENT only on INTEGER PRIMARY KEY; MySQL reads it as INT.
  type: 'integer',
  isPrimary: true,
  isGenerated: true,
  generationStrategy: 'increment',
});

export const varchar = (name: string, length: number, nullable = false): TableColumnOptions => ({
  name,
  type: 'varchar',
  length: String(length),
  isNullable: nullable,
});

export const text = (name: string, nullable = true): TableColumnOptions => ({ name, type: 'text', isNullable: nullable });

/**
 * ALTER TABLE on MySQL/MariaDB asking for the cheapest algorithm the server has for these changes:
 * INSTANT (metadata only), else INPLACE with LOCK=NONE (rebuilt while writes go on), else the
 * server's default, which copies the table and makes writes wait until it is done (a column's type
 * change, e.g. TEXT to MEDIUMTEXT or DECIMAL(18,2) to DECIMAL(30,2), is a copy on MySQL 8 and
 * MariaDB 10.11 alike). A server that cannot do an algorithm refuses it at once (ER_ALTER_OPERATION_
 * NOT_SUPPORTED_REASON) without touching the table. The same statements run on MySQL 8 and MariaDB.
 * Answers the algorithm used.
 */
export async function alterTableOnline(qr: QueryRunner, table: string, changes: string[]): Promise<'INSTANT' | 'INPLACE' | 'COPY'> {
  const statement = `ALTER TABLE \`${table}\` ${changes.join(', ')}`;
  for (const [algorithm, clause] of [
    ['INSTANT', 'ALGORITHM=INSTANT'],
    ['INPLACE', 'ALGORITHM=INPLACE, LOCK=NONE'],
  ] as const) {
    try {
      await qr.query(`${statement}, ${clause}`);
      return algorithm;
    } catch (error) {
      const { errno, code } = (error as { driverError?: { errno?: number; code?: string } }).driverError ?? {};
      // 1845/1846: the server cannot do this change that way (ER_ALTER_OPERATION_NOT_SUPPORTED[_REASON]).
      if (errno !== 1845 && errno !== 1846 && code !== 'ER_ALTER_OPERATION_NOT_SUPPORTED_REASON') throw error;
    }
  }
  await qr.query(statement);
  return 'COPY';
}

/**
 * Makes text columns MEDIUMTEXT (16 MiB) on MySQL/MariaDB, where TEXT holds 65,535 bytes; on SQLite
 * TEXT has no such limit and nothing changes. The columns keep the table's character set and
 * collation and their NOT NULL. `back` undoes it (TEXT again; refused by the server in strict mode
 * while a row holds more than TEXT can).
 */
export async function mediumText(qr: QueryRunner, table: string, columns: { name: string; nullable: boolean }[], back = false): Promise<void> {
  if (!isMysql(qr)) return;
  const type = back ? 'TEXT' : 'MEDIUMTEXT';
  // Columns already of that type are left alone: an operator may have changed a large table
  // beforehand with an online schema-change tool (README, upgrade notes), and MODIFY would copy it again.
  const todo = [];
  for (const c of columns) if ((await columnType(qr, table, c.name)) !== type.toLowerCase()) todo.push(c);
  if (todo.length === 0) return;
  await alterTableOnline(
    qr,
    table,
    todo.map((c) => `MODIFY \`${c.name}\` ${type} ${c.nullable ? 'NULL' : 'NOT NULL'}`),
  );
}

/** A MySQL column's DATA_TYPE (`text`, `mediumtext`, `int`, `bigint`…), undefined when there is no such column. */
async function columnType(qr: QueryRunner, table: string, column: string): Promise<string | undefined> {
  const rows: { t: string }[] = await qr.query(
    'SELECT DATA_TYPE AS t FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? AND COLUMN_NAME = ?',
    [table, column],
  );
  return rows[0]?.t?.toLowerCase();
}
/** simple-json columns are text on both engines. */
export const json = (name: string): TableColumnOptions => ({ name, type: 'text', isNullable: false });
/** 'integer': what TypeORM names an entity's `int` on SQLite; MySQL reads it as INT. */
export const int = (name: string, opts: { nullable?: boolean; default?: number } = {}): TableColumnOptions => ({
  name,
  type: 'integer',
  isNullable: opts.nullable ?? false,
  ...(opts.default !== undefined ? { default: opts.default } : {}),
});
export const bool = (name: string, def: boolean): TableColumnOptions => ({
  name,
  type: 'boolean',
  isNullable: false,
  default: def ? 1 : 0,
});
export const decimal = (name: string, opts: { precision?: number; nullable?: boolean; default?: number } = {}): TableColumnOptions => ({
  name,
  type: 'decimal',
  precision: opts.precision ?? 14,
  scale: 2,
  isNullable: opts.nullable ?? false,
  ...(opts.default !== undefined ? { default: opts.default } : {}),
});
/** 64-bit integer, 0 by default (counters and the parts of money sums). */
export const bigint = (name: string): TableColumnOptions => ({ name, type: 'bigint', isNullable: false, default: 0 });
export const timestamp = (name: string, nullable = false): TableColumnOptions => ({
  name,
  type: 'datetime',
  precision: 3,
  isNullable: nullable,
});
export const date = (name: string, nullable = false): TableColumnOptions => ({ name, type: 'date', isNullable: nullable });

/** The columns of TenantOwnedEntity, in its order. */
export const tenantOwnedColumns = (): TableColumnOptions[] => [
  id(),
  varchar('tenant_id', 64),
  timestamp('created_at'),
  timestamp('updated_at'),
  varchar('created_by', 128),
  varchar('updated_by', 128),
  timestamp('deleted_at', true),
  int('version', { default: 1 }),
  {
    name: 'live',
    type: 'tinyint',
    isNullable: true,
    generatedType: 'VIRTUAL',
    asExpression: LIVE_EXPRESSION,
  },
];

/**
 * The columns of TenantOwnedEntity for a table keyed by `(tenant_id, id)` from the start (ids numbered by
 * id_sequences, not generated). `tenant_id` comes first because a new table's primary key takes its
 * columns in that order (test/architecture/tenant-keys.e2e-spec.ts).
 */
export const perTenantKeyedColumns = (): TableColumnOptions[] => {
  const columns = tenantOwnedColumns().map((c) =>
    c.name === 'id' ? { name: 'id', type: 'bigint', isPrimary: true, isNullable: false } : c.name === 'tenant_id' ? { ...c, isPrimary: true } : c,
  );
  return [...columns.filter((c) => c.name === 'tenant_id'), ...columns.filter((c) => c.name !== 'tenant_id')];
};

/**
 * `ix_<table>__<cols>` / `ux_<table>__<cols>`, shortened to fit MySQL's 64-character identifiers:
 * the `tenant_` table prefix and the `tenant_id`/`live` columns (in every key) are left out of the name.
 */
export const indexName = (prefix: 'ix' | 'ux', table: string, columns: string[]) => {
  const name = `${prefix}_${table.replace(/^tenant_/, '')}__${columns.filter((c) => c !== 'tenant_id' && c !== 'live').join('__')}`;
  if (name.length > 64) throw new Error(`index name ${name} is longer than 64 characters`);
  return name;
};

export const index = (table: string, columns: string[]) => new TableIndex({ name: indexName('ix', table, columns), columnNames: columns });

/** Unique among live rows: `live` (1 or NULL) closes the key, so deleted rows never collide. */
export const liveUnique = (table: string, columns: string[]) =>
  new TableIndex({ name: indexName('ux', table, [...columns, 'live']), columnNames: [...columns, 'live'], isUnique: true });

/**
 * Tenant ids are opaque and case-sensitive: `acme` and `ACME` are two tenants. MySQL's default
 * collations compare case-insensitively (`'acme' = 'ACME'`), which would let one tenant read the
 * other's rows, so on MySQL every tenant id column (`tenant_id`, `tenants.id`) is `utf8mb4_bin`.
 * SQLite compares bytes already. Idempotent: a migration that adds tenant tables calls it again
 * (test/security/isolation-matrix.e2e-spec.ts checks every tenant id column on MariaDB).
 */
export async function caseSensitiveTenantIds(qr: QueryRunner): Promise<void> {
  if (!isMysql(qr)) return;
  const columns: { t: string; c: string; n: number; nullable: string }[] = await qr.query(
    'SELECT TABLE_NAME AS t, COLUMN_NAME AS c, CHARACTER_MAXIMUM_LENGTH AS n, IS_NULLABLE AS nullable ' +
      'FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() ' +
      "AND (COLUMN_NAME = 'tenant_id' OR (TABLE_NAME = 'tenants' AND COLUMN_NAME = 'id')) " +
      "AND COLLATION_NAME <> 'utf8mb4_bin'",
  );
  for (const { t, c, n, nullable } of columns) {
    await qr.query(
      `ALTER TABLE \`${t}\` MODIFY \`${c}\` VARCHAR(${Number(n)}) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin ${nullable === 'YES' ? 'NULL' : 'NOT NULL'}`,
    );
  }
}

/** Undoes caseSensitiveTenantIds: tenant id columns back to the database's default collation. */
export async function defaultCollationTenantIds(qr: QueryRunner): Promise<void> {
  if (!isMysql(qr)) return;
  const columns: { t: string; c: string; n: number; nullable: string }[] = await qr.query(
    'SELECT TABLE_NAME AS t, COLUMN_NAME AS c, CHARACTER_MAXIMUM_LENGTH AS n, IS_NULLABLE AS nullable ' +
      'FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() ' +
      "AND (COLUMN_NAME = 'tenant_id' OR (TABLE_NAME = 'tenants' AND COLUMN_NAME = 'id'))",
  );
  const [{ charset, collation }] = await qr.query(
    'SELECT DEFAULT_CHARACTER_SET_NAME AS charset, DEFAULT_COLLATION_NAME AS collation FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = DATABASE()',
  );
  for (const { t, c, n, nullable } of columns) {
    await qr.query(
      `ALTER TABLE \`${t}\` MODIFY \`${c}\` VARCHAR(${Number(n)}) CHARACTER SET ${charset} COLLATE ${collation} ${nullable === 'YES' ? 'NULL' : 'NOT NULL'}`,
    );
  }
}

/** A text column as MySQL describes it, for the collation helpers below. */
interface TextColumnInfo {
  column: string;
  type: string;
  nullable: boolean;
  collation: string;
}

async function describeTextColumns(qr: QueryRunner, table: string, columns: string[]): Promise<TextColumnInfo[]> {
  const rows: { c: string; type: string; nullable: string; collation: string | null; def: string | null }[] = await qr.query(
    'SELECT COLUMN_NAME AS c, COLUMN_TYPE AS type, IS_NULLABLE AS nullable, COLLATION_NAME AS collation, COLUMN_DEFAULT AS def ' +
      `FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? AND COLUMN_NAME IN (${columns.map(() => '?').join(', ')})`,
    [table, ...columns],
  );
  const missing = columns.filter((c) => !rows.some((r) => r.c === c));
  if (missing.length > 0) throw new Error(`${table} has no column ${missing.join(', ')}`);
  return rows.map((r) => {
    // MODIFY restates type and nullability only: a default would be lost (MariaDB reports none as 'NULL').
    if (r.def !== null && r.def !== 'NULL') throw new Error(`${table}.${r.c} has a default; the collation helpers do not keep defaults`);
    return { column: r.c, type: String(r.type), nullable: r.nullable === 'YES', collation: String(r.collation) };
  });
}

/** One ALTER per table (one rebuild), only for the columns not yet in `collation`. */
async function setCollation(qr: QueryRunner, table: string, columns: string[], charset: string, collation: string): Promise<void> {
  const changes = (await describeTextColumns(qr, table, columns)).filter((c) => c.collation !== collation);
  if (changes.length === 0) return;
  const modify = changes.map((c) => `MODIFY \`${c.column}\` ${c.type} CHARACTER SET ${charset} COLLATE ${collation} ${c.nullable ? 'NULL' : 'NOT NULL'}`);
  await qr.query(`ALTER TABLE \`${table}\` ${modify.join(', ')}`);
}

/**
 * Codes, lead codes and audit keys compare and sort by bytes on every engine (docs/conventions.md, "Text, codes and
 * order"): on MySQL/MariaDB these columns become `utf8mb4_bin` (unique keys keep working and become
 * case-sensitive, as on SQLite); SQLite compares bytes already. Type, length and nullability are kept;
 * idempotent, so a migration that rebuilds such a column can call it again
 * (test/architecture/collations.e2e-spec.ts checks every one on MariaDB).
 */
export async function binaryCollation(qr: QueryRunner, table: string, columns: string[]): Promise<void> {
  if (!isMysql(qr)) return;
  await setCollation(qr, table, columns, 'utf8mb4', 'utf8mb4_bin');
}

async function databaseDefaults(qr: QueryRunner): Promise<{ charset: string; collation: string }> {
  const [row] = await qr.query(
    'SELECT DEFAULT_CHARACTER_SET_NAME AS charset, DEFAULT_COLLATION_NAME AS collation FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = DATABASE()',
  );
  return { charset: String(row.charset), collation: String(row.collation) };
}

/** Undoes binaryCollation: the columns go back to the database's default collation. */
export async function defaultCollation(qr: QueryRunner, table: string, columns: string[]): Promise<void> {
  if (!isMysql(qr)) return;
  const { charset, collation } = await databaseDefaults(qr);
  await setCollation(qr, table, columns, charset, collation);
}

/**
 * Before a revert to the default collation: live rows that it would see as one value of a
 * soft-delete-aware unique key (`tenant_id`, `lead_code`: `CRM-1` and `crm-1`) stop it with a message
 * saying what to do, before anything is altered, instead of a duplicate-key error half-way.
 */
export async function assertNoCaseClashes(qr: QueryRunner, table: string, scope: string[], column: string): Promise<void> {
  if (!isMysql(qr)) return;
  const { collation } = await databaseDefaults(qr);
  const key = [...scope.map((c) => `\`${c}\``), `\`${column}\` COLLATE ${collation}`].join(', ');
  const [{ n }] = await qr.query(
    `SELECT COUNT(*) AS n FROM (SELECT 1 AS one FROM \`${table}\` WHERE deleted_at IS NULL AND \`${column}\` IS NOT NULL GROUP BY ${key} HAVING COUNT(*) > 1) AS clashes`,
  );
  if (Number(n) > 0) {
    throw new Error(
      `Cannot revert ${table}.${column} to ${collation}: ${n} groups of live rows differ only in case or accents (e.g. CRM-1 and crm-1); change or delete all but one of each first`,
    );
  }
}

/**
 * `name_key`: a name as search and list order compare it (textKey, src/common/text/text-key.ts), the
 * same column as the entities' nameKeyColumn(). Binary on MySQL/MariaDB, like SQLite's comparison.
 */
export const nameKeyColumn = (qr: QueryRunner): TableColumnOptions => ({
  name: 'name_key',
  type: 'varchar',
  length: String(NAME_KEY_LENGTH),
  isNullable: false,
  default: "''",
  ...(isMysql(qr) ? { charset: 'utf8mb4', collation: 'utf8mb4_bin' } : {}),
});

/**
 * Writes `name_key` = keyOf(name) for every row of `table`, deleted rows included, in batches by id:
 * the key is computed in JavaScript because SQL cannot normalize the same way on both engines. The
 * statements are the same on both. Also for a later migration, should the normalization change.
 */
export async function fillNameKeys(qr: QueryRunner, table: string, nameColumn: string, keyOf: (name: string) => string, batch = 500): Promise<number> {
  const q = (name: string) => qr.connection.driver.escape(name);
  let last = 0;
  let written = 0;
  for (;;) {
    const rows: { id: number | string; name: string }[] = await qr.query(
      `SELECT ${q('id')} AS id, ${q(nameColumn)} AS name FROM ${q(table)} WHERE ${q('id')} > ? ORDER BY ${q('id')} LIMIT ${Number(batch)}`,
      [last],
    );
    if (rows.length === 0) return written;
    const cases = rows.map(() => 'WHEN ? THEN ?').join(' ');
    await qr.query(`UPDATE ${q(table)} SET ${q('name_key')} = CASE ${q('id')} ${cases} END WHERE ${q('id')} IN (${rows.map(() => '?').join(', ')})`, [
      ...rows.flatMap((r) => [Number(r.id), keyOf(r.name)]),
      ...rows.map((r) => Number(r.id)),
    ]);
    written += rows.length;
    last = Number(rows[rows.length - 1].id);
  }
}

/**
 * Replaces DECIMAL money-sum columns by their two BIGINT parts (columns.ts MONEY_PART: cents =
 * `<name>_hi` × 10^7 + `<name>_lo`), the values carried over to the cent (SQLite's REALs rounded to
 * their cents first). Each step is skipped when already done, so a run stopped halfway on MySQL
 * (DDL commits at once) can simply run again. MySQL: the parts are added and the old columns dropped
 * without a table copy (ALGORITHM=INSTANT, or INPLACE with LOCK=NONE); the copy of the values is one
 * UPDATE of every row. SQLite rebuilds the table once to add and once to drop.
 */
export async function splitMoneyColumns(qr: QueryRunner, table: string, names: string[]): Promise<void> {
  const t = await qr.getTable(table);
  const has = (c: string) => Boolean(t?.findColumnByName(c));
  const parts = names.flatMap((n) => [`${n}_hi`, `${n}_lo`]).filter((c) => !has(c));
  if (parts.length > 0) {
    if (isMysql(qr))
      await alterTableOnline(
        qr,
        table,
        parts.map((c) => `ADD COLUMN \`${c}\` BIGINT NOT NULL DEFAULT 0`),
      );
    else
      await qr.addColumns(
        table,
        parts.map((c) => new TableColumn(bigint(c))),
      );
  }
  const old = names.filter(has);
  if (old.length === 0) return;
  const cents = (n: string) => (isMysql(qr) ? `ROUND(\`${n}\` * 100)` : `CAST(ROUND("${n}" * 100) AS INTEGER)`);
  const div = isMysql(qr) ? 'DIV' : '/';
  const q = (c: string) => (isMysql(qr) ? `\`${c}\`` : `"${c}"`);
  await qr.query(
    `UPDATE ${q(table)} SET ${old.map((n) => `${q(`${n}_hi`)} = ${cents(n)} ${div} ${MONEY_PART}, ${q(`${n}_lo`)} = ${cents(n)} % ${MONEY_PART}`).join(', ')}`,
  );
  if (isMysql(qr))
    await alterTableOnline(
      qr,
      table,
      old.map((n) => `DROP COLUMN \`${n}\``),
    );
  else await qr.dropColumns(table, old);
}

/**
 * The reverse of splitMoneyColumns: DECIMAL(precision,2) columns again, from their parts (refused by
 * MySQL's strict mode when a sum no longer fits the DECIMAL).
 */
export async function joinMoneyColumns(qr: QueryRunner, table: string, columns: { name: string; precision: number }[]): Promise<void> {
  const t = await qr.getTable(table);
  const has = (c: string) => Boolean(t?.findColumnByName(c));
  const missing = columns.filter((c) => !has(c.name));
  if (missing.length > 0) {
    if (isMysql(qr)) {
      await alterTableOnline(
        qr,
        table,
        missing.map((c) => `ADD COLUMN \`${c.name}\` DECIMAL(${c.precision},2) NOT NULL DEFAULT 0`),
      );
    } else {
      await qr.addColumns(
        table,
        missing.map((c) => new TableColumn(decimal(c.name, { precision: c.precision, default: 0 }))),
      );
    }
  }
  const split = columns.filter((c) => has(`${c.name}_hi`));
  if (split.length === 0) return;
  const q = (c: string) => (isMysql(qr) ? `\`${c}\`` : `"${c}"`);
  await qr.query(
    `UPDATE ${q(table)} SET ${split
      .map((c) => `${q(c.name)} = (${q(`${c.name}_hi`)} * ${MONEY_PART} + ${q(`${c.name}_lo`)}) / 100${isMysql(qr) ? '' : '.0'}`)
      .join(', ')}`,
  );
  const parts = split.flatMap((c) => [`${c.name}_hi`, `${c.name}_lo`]);
  if (isMysql(qr))
    await alterTableOnline(
      qr,
      table,
      parts.map((c) => `DROP COLUMN \`${c}\``),
    );
  else await qr.dropColumns(table, parts);
}

/**
 * An integer column widened to BIGINT (or narrowed back), keeping its values: on MySQL with MODIFY
 * (TypeORM's changeColumn drops and re-adds a column whose type changes there, losing its values),
 * which copies the table; SQLite rebuilds the table.
 */
export async function changeIntegerType(qr: QueryRunner, table: string, column: string, to: 'bigint' | 'integer'): Promise<void> {
  if (isMysql(qr)) {
    if ((await columnType(qr, table, column)) === (to === 'bigint' ? 'bigint' : 'int')) return;
    await alterTableOnline(qr, table, [`MODIFY \`${column}\` ${to === 'bigint' ? 'BIGINT' : 'INT'} NOT NULL DEFAULT 0`]);
    return;
  }
  const t = await qr.getTable(table);
  const current = t?.findColumnByName(column);
  if (!current || current.type === to) return;
  await qr.changeColumn(table, current, new TableColumn(to === 'bigint' ? bigint(column) : int(column, { default: 0 })));
}

/** What perTenantKeys changes in one table. */
export interface PerTenantKeyChange {
  /** The table has its own `id` (tenant-owned rows, audit entries): keyed by `(tenant_id, id)` from now on. */
  ownId: boolean;
  /** Integer columns holding ids of other rows (`source_id`, `lead_id`…), widened with `id`. */
  references: string[];
  /** Indexes the new primary key makes redundant: dropped, and made again by `back`. */
  redundantIndexes?: TableIndex[];
}

/**
 * Ids numbered per tenant (migration 1764151700000): `id` and the reference columns become BIGINT;
 * a table with its own `id` loses AUTO_INCREMENT and is keyed by `(tenant_id, id)`. The values stay
 * as they are. MySQL/MariaDB: one ALTER per table (a type change copies the table, so writes to it
 * wait until it is done); SQLite rebuilds the table. `back` undoes it (INT, AUTO_INCREMENT, key `id`):
 * the caller first makes sure no id is used by two tenants (assertIdsUnique).
 */
export async function perTenantKeys(qr: QueryRunner, table: string, change: PerTenantKeyChange, back = false): Promise<void> {
  const columns = [...(change.ownId ? ['id'] : []), ...change.references];
  if (isMysql(qr)) {
    const rows: { c: string; nullable: string; type: string }[] = await qr.query(
      'SELECT COLUMN_NAME AS c, IS_NULLABLE AS nullable, DATA_TYPE AS type FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ?',
      [table],
    );
    const nullable = new Map(rows.map((r) => [r.c, r.nullable === 'YES']));
    // What is already in the wanted shape is left alone: an operator may have changed a large table
    // beforehand with an online schema-change tool (README, upgrade notes); MODIFY would copy it again.
    const typeOf = new Map(rows.map((r) => [r.c, String(r.type).toLowerCase()]));
    const key: { c: string }[] = await qr.query(
      "SELECT COLUMN_NAME AS c FROM information_schema.KEY_COLUMN_USAGE WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? AND CONSTRAINT_NAME = 'PRIMARY' ORDER BY ORDINAL_POSITION",
      [table],
    );
    const indexes: { name: string }[] = await qr.query(
      'SELECT DISTINCT INDEX_NAME AS name FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ?',
      [table],
    );
    const type = back ? 'INT' : 'BIGINT';
    const statements = change.references
      .filter((c) => typeOf.get(c) !== type.toLowerCase())
      .map((c) => `MODIFY \`${c}\` ${type} ${nullable.get(c) ? 'NULL' : 'NOT NULL'}`);
    if (change.ownId && (typeOf.get('id') !== type.toLowerCase() || key.map((k) => k.c).join() !== (back ? 'id' : 'tenant_id,id'))) {
      statements.unshift(
        'DROP PRIMARY KEY',
        back ? 'MODIFY `id` INT NOT NULL AUTO_INCREMENT' : 'MODIFY `id` BIGINT NOT NULL',
        back ? 'ADD PRIMARY KEY (`id`)' : 'ADD PRIMARY KEY (`tenant_id`, `id`)',
      );
    }
    for (const ix of change.redundantIndexes ?? []) {
      const present = indexes.some((i) => i.name === ix.name);
      if (back && !present) statements.push(`ADD INDEX \`${ix.name}\` (${ix.columnNames.map((c) => `\`${c}\``).join(', ')})`);
      if (!back && present) statements.push(`DROP INDEX \`${ix.name}\``);
    }
    if (statements.length === 0) return;
    await alterTableOnline(qr, table, statements);
    return;
  }
  if (!back) for (const ix of change.redundantIndexes ?? []) await qr.dropIndex(table, ix.name!);
  const current = (await qr.getTable(table))!;
  const changes = current.columns
    .filter((c) => columns.includes(c.name) || (change.ownId && c.name === 'tenant_id'))
    .map((oldColumn) => {
      const newColumn = oldColumn.clone();
      if (oldColumn.name === 'tenant_id') {
        newColumn.isPrimary = !back;
      } else {
        newColumn.type = back ? 'integer' : 'bigint';
        if (oldColumn.name === 'id' && change.ownId) {
          newColumn.isGenerated = back;
          newColumn.generationStrategy = back ? 'increment' : undefined;
        }
      }
      return { oldColumn, newColumn };
    });
  await qr.changeColumns(table, changes);
  if (back) for (const ix of change.redundantIndexes ?? []) await qr.createIndex(table, ix);
}

/** Before keying a table by `id` alone again: an id two tenants use stops the revert, before anything is altered. */
export async function assertIdsUnique(qr: QueryRunner, table: string): Promise<void> {
  const q = isMysql(qr) ? (n: string) => `\`${n}\`` : (n: string) => `"${n}"`;
  const clash: { id: number }[] = await qr.query(`SELECT ${q('id')} AS id FROM ${q(table)} GROUP BY ${q('id')} HAVING COUNT(*) > 1 LIMIT 1`);
  if (clash.length > 0) {
    throw new Error(
      `cannot revert to ids shared by all tenants: ${table} has id ${clash[0].id} in more than one tenant (ids given since the ` +
        'per-tenant numbering); restore a backup taken before it instead',
    );
  }
}

/**
 * A VARCHAR column's length changed, keeping its values: MySQL/MariaDB with MODIFY (TypeORM's
 * changeColumn drops and re-adds a column whose length changes there, emptying it); SQLite rebuilds
 * the table, copying the values.
 */
export async function resizeVarchar(qr: QueryRunner, table: string, column: string, length: number, nullable: boolean): Promise<void> {
  if (isMysql(qr)) {
    await alterTableOnline(qr, table, [`MODIFY \`${column}\` VARCHAR(${length}) ${nullable ? 'NULL' : 'NOT NULL'}`]);
    return;
  }
  await qr.changeColumn(table, column, new TableColumn(varchar(column, length, nullable)));
}
