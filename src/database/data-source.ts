import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import * as mysql2 from 'mysql2';
import { DataSourceOptions } from 'typeorm';
import { DatabaseConfig } from '../config/app-config';
import { ENTITIES } from './entities';
import { MIGRATIONS } from './migrations';
import { SnakeNamingStrategy } from './naming.strategy';
import { ClusterPool, ReplicaCluster } from './replica-cluster';

/**
 * THE data source options: used by the app, the migration CLI and the tests alike. Never synchronize:
 * the schema is what the migrations build. On MySQL/MariaDB every statement is bounded by
 * DB_QUERY_TIMEOUT_MS (boundedMysql2) unless `statementTimeout: false` (for a migration run whose
 * DDL on a large table may legitimately take longer).
 *
 * With read replicas (DATABASE_REPLICA_URLS), TypeORM's replication: the primary is `master`, the
 * replicas `slaves`, each with a pool of the same size and bounds (boundedMysql2's ReplicaCluster).
 * Everything reads and writes the primary (`defaultMode: 'master'`: TypeORM would otherwise send every
 * SELECT outside a transaction to a replica); only analytics ask for a replica (ReplicaReads). The
 * migration CLI (`statementTimeout: false`) works on the primary alone.
 */
export function buildDataSourceOptions(db: DatabaseConfig, options: { statementTimeout?: boolean } = {}): DataSourceOptions {
  const common = {
    entities: ENTITIES,
    migrations: MIGRATIONS,
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

  const replicas = options.statementTimeout === false ? [] : (db.replicaUrls ?? []);
  return {
    ...common,
    type: db.flavor,
    ...(replicas.length === 0
      ? { url: db.url }
      : { replication: { master: { url: db.url }, slaves: replicas.map((url) => ({ url })), defaultMode: 'master' as const } }),
    charset: 'utf8mb4_unicode_ci',
    timezone: 'Z',
    dateStrings: ['DATE'],
    supportBigNumbers: true,
    bigNumberStrings: false,
    poolSize: db.poolSize,
    // mysql2 with every pooled connection's statements bounded, the replicas' pools too (see boundedMysql2).
    ...(options.statementTimeout === false ? {} : { driver: boundedMysql2(db.flavor, db.queryTimeoutMs) }),
    extra: {
      // Bounded pool and bounded waits: a dead database answers 503 quickly instead of hanging requests.
      connectionLimit: db.poolSize,
      connectTimeout: 5_000,
      queueLimit: 200,
      enableKeepAlive: true,
      waitForConnections: true,
    },
    // Also logs a query slower than the bound (it has been cut off by the server by then).
    maxQueryExecutionTime: db.queryTimeoutMs,
  };
}

/** The code of the error a pool connection wait longer than the bound ends with (answered 503). */
export const POOL_ACQUIRE_TIMEOUT = 'POOL_ACQUIRE_TIMEOUT';

/**
 * The session statements that bound every statement of a connection to DB_QUERY_TIMEOUT_MS.
 * - MariaDB: `max_statement_time` (seconds, fractional) covers every statement, reads and writes;
 *   a statement over it fails with ER_STATEMENT_TIMEOUT (1969).
 * - MySQL 8: `max_execution_time` (ms) covers read-only SELECTs only (ER_QUERY_TIMEOUT, 3024). Writes
 *   here are single-row or per-tenant statements through indexes: what can hold them long is a lock
 *   wait, so `innodb_lock_wait_timeout` (whole seconds, at least 1) bounds it to the same time, rounded
 *   up (ER_LOCK_WAIT_TIMEOUT). A write that is slow for another reason is not cut off on MySQL.
 */
export function statementTimeoutSql(flavor: 'mysql' | 'mariadb', timeoutMs: number): string[] {
  if (flavor === 'mariadb') return [`SET SESSION max_statement_time = ${(timeoutMs / 1000).toFixed(3)}`];
  return [`SET SESSION max_execution_time = ${Math.ceil(timeoutMs)}`, `SET SESSION innodb_lock_wait_timeout = ${Math.max(1, Math.ceil(timeoutMs / 1000))}`];
}

/**
 * Sent on every connection to a read replica: a write misrouted there fails loudly (ER_CANT_EXECUTE_IN_READ_ONLY_TRANSACTION)
 * even where the replica's server is not read_only.
 */
export const READ_ONLY_SESSION = 'SET SESSION TRANSACTION READ ONLY';

interface Pool extends ClusterPool {
  on(event: 'connection', listener: (connection: { query(sql: string, cb: (err: Error | null) => void): void; destroy(): void }) => void): void;
}

/**
 * mysql2 as TypeORM loads it, except that its pools
 * - send the statement-timeout session statements on every new connection before anything else (a
 *   connection runs its commands in order, so the caller's first query waits for them); a connection
 *   that cannot take them is destroyed, so none runs unbounded;
 * - bound the wait for a free connection (mysql2 has no acquire timeout) to the same time: past it
 *   the caller gets an error coded POOL_ACQUIRE_TIMEOUT, and the connection, if it comes later, goes
 *   straight back to the pool;
 * - with replication, make their pool cluster a ReplicaCluster of such pools, the replicas' sessions
 *   read-only besides (READ_ONLY_SESSION).
 */
export function boundedMysql2(flavor: 'mysql' | 'mariadb', timeoutMs: number): typeof mysql2 {
  const createPool = (options: unknown, replica = false) => {
    const pool = (mysql2.createPool as (o: unknown) => unknown)(options) as Pool;
    const statements = [...statementTimeoutSql(flavor, timeoutMs), ...(replica ? [READ_ONLY_SESSION] : [])];
    pool.on('connection', (connection) => {
      for (const sql of statements) connection.query(sql, (err) => err && connection.destroy());
    });
    const getConnection = pool.getConnection.bind(pool);
    pool.getConnection = (cb) => {
      let done = false;
      const timer = setTimeout(() => {
        done = true;
        cb(Object.assign(new Error('No database connection became free in time'), { code: POOL_ACQUIRE_TIMEOUT }));
      }, timeoutMs);
      getConnection((err, connection) => {
        if (done) {
          connection?.release();
          return;
        }
        done = true;
        clearTimeout(timer);
        cb(err, connection);
      });
    };
    return pool;
  };
  return Object.create(mysql2, {
    createPool: { value: (options: unknown) => createPool(options) },
    createPoolCluster: { value: () => new ReplicaCluster(createPool) },
  }) as typeof mysql2;
}
