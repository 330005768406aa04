import { EntityManager, EntityMetadata, ObjectLiteral } from 'typeorm';
import { dialectOf, quote } from './sql-dialect';

/**
 * Multi-row INSERT written directly, for batches (up to 5,000 leads, their audit entries, seeding):
 * TypeORM's insert builder spends most of its time building per-value parameter maps. Values go
 * through each column's transformer and the driver's own conversion, exactly as TypeORM would store
 * them. Rows carry their ids already (tenant-owned tables number them per tenant: IdSequences).
 */
export async function bulkInsert<E extends ObjectLiteral>(manager: EntityManager, metadata: EntityMetadata, rows: E[], chunkSize = 500): Promise<void> {
  if (rows.length === 0) return;
  const driver = manager.connection.driver;
  const dialect = dialectOf(manager.connection);
  const columns = metadata.columns.filter((c) => !c.isGenerated && !c.generatedType && !c.isVirtual);
  const head = `INSERT INTO ${quote(dialect, metadata.tableName)} (${columns.map((c) => quote(dialect, c.databaseName)).join(', ')}) VALUES `;
  const tuple = `(${columns.map(() => '?').join(', ')})`;

  for (let start = 0; start < rows.length; start += chunkSize) {
    const chunk = rows.slice(start, start + chunkSize);
    const params: unknown[] = [];
    for (const row of chunk) {
      for (const column of columns) {
        let value = column.getEntityValue(row, true);
        if (value === undefined) value = column.default !== undefined && typeof column.default !== 'function' ? column.default : null;
        params.push(value === null ? null : driver.preparePersistentValue(value, column));
      }
    }
    await manager.query(head + chunk.map(() => tuple).join(', '), params);
  }
}
