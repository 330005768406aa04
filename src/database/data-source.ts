import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { DataSourceOptions } from 'typeorm';
import { DatabaseConfig } from '../config/app-config';
import { SnakeNamingStrategy } from './naming.strategy';

const SRC = join(__dirname, '..');

/**
 * THE data source options: used by the app, the migration CLI and the tests alike. Never synchronize:
 * the schema is what the migrations build.
 */
export function buildDataSourceOptions(db: DatabaseConfig): DataSourceOptions {
  const common = {
    entities: [join(SRC, '**', '*.entity.{ts,js}')],
    migrations: [join(__dirname, 'migrations', '*.{ts,js}')],
    migrationsTableName: 'schema_migrations',
    metadataTableName: 'typeorm_metadata',
    namingStrategy: new SnakeNamingStrategy(),
    synchronize: false,
    migrationsRun: false,
    logging: false,
  };

  if (db.type === 'sqlite') {
    if (db.path !== ':memory:') mkdirSync(dirname(db.path), { recursive: true });
    return {
      ...common,
      type: 'better-sqlite3',
      database: db.path,
      // WAL lets readers proceed during a write; foreign keys on; wait rather than fail on a busy file.
      prepareDatabase: (conn: { pragma: (s: string) => unknown }) => {
        conn.pragma('journal_mode = WAL');
        conn.pragma('foreign_keys = ON');
        conn.pragma('busy_timeout = 5000');
        conn.pragma('synchronous = NORMAL');
      },
    };
  }

  return {
    ...common,
    type: db.flavor,
    url: db.url,
    charset: 'utf8mb4_unicode_ci',
    timezone: 'Z',
    dateStrings: ['DATE'],
    supportBigNumbers: true,
    bigNumberStrings: false,
    poolSize: db.poolSize,
    extra: {
      // Bounded pool and bounded waits: a dead database answers 503 quickly instead of hanging requests.
      connectionLimit: db.poolSize,
      connectTimeout: 5_000,
      queueLimit: 200,
      enableKeepAlive: true,
      waitForConnections: true,
    },
    maxQueryExecutionTime: db.queryTimeoutMs,
  };
}
