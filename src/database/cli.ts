process.env.TZ = 'UTC';
import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { loadConfig } from '../config/app-config';
import { buildDataSourceOptions } from './data-source';
import { probeDatabase } from './probe';

/**
 * `npm run migration:run | migration:revert | migration:show`: the same data source options as the
 * app, against DATABASE_URL (default: the embedded SQLite file), except that statements have no
 * timeout: an ALTER on a large table may rightly take longer than DB_QUERY_TIMEOUT_MS.
 */
async function main(command: string | undefined): Promise<void> {
  const { config: database } = await probeDatabase(loadConfig().database);
  const dataSource = new DataSource(buildDataSourceOptions(database, { statementTimeout: false }));
  await dataSource.initialize();
  try {
    if (command === 'run') {
      const done = await dataSource.runMigrations({ transaction: 'each' });
      process.stdout.write(done.length ? done.map((m) => `applied ${m.name}\n`).join('') : 'schema is up to date\n');
    } else if (command === 'revert') {
      await dataSource.undoLastMigration({ transaction: 'each' });
      process.stdout.write('reverted the last migration\n');
    } else if (command === 'show') {
      const pending = await dataSource.showMigrations();
      process.stdout.write(pending ? 'there are pending migrations\n' : 'schema is up to date\n');
    } else {
      throw new Error('usage: cli.js run | revert | show');
    }
  } finally {
    await dataSource.destroy();
  }
}

main(process.argv[2]).catch((e: Error) => {
  process.stderr.write(`${e.message}\n`);
  process.exit(1);
});
