import { DataSource } from 'typeorm';

/**
 * The statements TypeORM's schema builder would run to make the database match the entities: empty
 * when the migrations built exactly what the entities describe.
 */
export async function pendingSchemaChanges(dataSource: DataSource): Promise<string[]> {
  const { upQueries } = await dataSource.driver.createSchemaBuilder().log();
  return upQueries.map((q) => q.query);
}
