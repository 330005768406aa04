import { DataSource } from 'typeorm';
import { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';
import { MEDIUM_TEXT_COLUMNS } from '../../src/database/columns';

/**
 * The statements TypeORM's schema builder would run to make the database match the entities: empty
 * when the migrations built exactly what the entities describe. On MySQL/MariaDB the columns of
 * MEDIUM_TEXT_COLUMNS are compared as MEDIUMTEXT (their entities can only say `text`, which SQLite
 * needs), so a migration that forgot one, or widened another, shows here too.
 */
export async function pendingSchemaChanges(dataSource: DataSource): Promise<string[]> {
  const driver = dataSource.driver as unknown as { normalizeType(column: ColumnMetadata): string };
  const normalizeType = driver.normalizeType;
  const own = Object.prototype.hasOwnProperty.call(driver, 'normalizeType');
  const mysql = dataSource.options.type === 'mysql' || dataSource.options.type === 'mariadb';
  if (mysql) {
    driver.normalizeType = (column: ColumnMetadata) =>
      MEDIUM_TEXT_COLUMNS.includes(`${column.entityMetadata.tableName}.${column.databaseName}`) ? 'mediumtext' : normalizeType.call(driver, column);
  }
  try {
    const { upQueries } = await dataSource.driver.createSchemaBuilder().log();
    return upQueries.map((q) => q.query);
  } finally {
    if (own) driver.normalizeType = normalizeType;
    else delete (driver as { normalizeType?: unknown }).normalizeType;
  }
}
