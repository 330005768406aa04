import { DataSource } from 'typeorm';
import { startTestApi, TestApi } from '../support/app';
import { pendingSchemaChanges } from '../support/schema';

/**
 * The entities and the migrations describe the same schema: after the migrations ran, TypeORM's schema
 * builder finds nothing to change. A column or index added to an entity without a migration (or the
 * reverse) fails here, on SQLite and on MariaDB.
 */
describe('schema drift', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(() => api.close());

  it('entities equal what the migrations built', async () => {
    expect(await pendingSchemaChanges(api.app.get(DataSource))).toEqual([]);
  });
});
