import { DataSource } from 'typeorm';
import { startTestApi, TestApi } from './app';
import { scratchDatabase } from './database';

/**
 * The app running on a scratch database of its own (migrated to the latest), for tests that revert
 * and run migrations again under it with rows in place.
 */
export async function startScratchApi(suffix: string): Promise<{ api: TestApi; ds: DataSource; close(): Promise<void> }> {
  const scratch = await scratchDatabase(suffix);
  const api = await startTestApi({ DATABASE_URL: scratch.url });
  return {
    api,
    ds: api.app.get(DataSource),
    close: async () => {
      await api.close();
      await scratch.drop();
    },
  };
}

/** The names of the migrations applied to the database. */
export const appliedMigrations = async (ds: DataSource): Promise<string[]> =>
  (await ds.query('SELECT name FROM schema_migrations')).map((r: { name: string }) => r.name);

/** Reverts migrations, newest first, until `name` is no longer applied. */
export async function revertThrough(ds: DataSource, name: string): Promise<void> {
  while ((await appliedMigrations(ds)).includes(name)) await ds.undoLastMigration({ transaction: 'each' });
}

/** Reverts the migrations applied after `name`, newest first, so that `name` is the last one applied. */
export async function revertNewerThan(ds: DataSource, name: string): Promise<void> {
  for (;;) {
    const applied = await appliedMigrations(ds);
    if (!applied.includes(name) || applied[applied.length - 1] === name) return;
    await ds.undoLastMigration({ transaction: 'each' });
  }
}
