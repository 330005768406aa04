import { createConnection } from 'mysql2/promise';
import { DatabaseConfig } from '../config/app-config';

/** A database the service cannot use, said in one line an operator can act on. */
export class DatabaseUnavailableError extends Error {}

export interface ProbedDatabase {
  config: DatabaseConfig;
  /** `MariaDB 10.11.6`, `MySQL 8.4.3` or `SQLite`: for the start-up banner. */
  server: string;
}

/** Errors worth waiting for: the server may still be starting (a container beside ours). */
const TRANSIENT = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'EAI_AGAIN', 'PROTOCOL_CONNECTION_LOST']);

/**
 * Connects once before anything else to learn what the server is, and to turn a database that cannot
 * work into one clear sentence instead of a pool's stack traces.
 *
 * MySQL and MariaDB both answer the `mysql://` and `mariadb://` schemes; the scheme is only a hint.
 * The server's `VERSION()` decides the flavour, which picks the DDL dialect (MariaDB refuses NULL on
 * generated columns) and the statement-timeout variable (MariaDB has no `max_execution_time`: setting
 * it ends the connection, which TypeORM then reported as "write after end").
 *
 * Unreachable hosts are retried for about `waitMs` (the server may be starting); wrong credentials and
 * unknown databases are not (waiting cannot fix them).
 */
export async function probeDatabase(db: DatabaseConfig, waitMs = 10_000): Promise<ProbedDatabase> {
  if (db.type === 'sqlite') return { config: db, server: `SQLite ${db.path}` };
  const url = new URL(db.url);
  const where = `${url.hostname}:${url.port || 3306}`;
  const database = decodeURIComponent(url.pathname.replace(/^\//, ''));
  const user = decodeURIComponent(url.username);
  const deadline = Date.now() + waitMs;
  for (;;) {
    try {
      const connection = await createConnection({ uri: db.url, connectTimeout: 5_000 });
      try {
        const [rows] = await connection.query('SELECT VERSION() AS version');
        const version = String((rows as { version: string }[])[0].version);
        const flavor = /mariadb/i.test(version) ? 'mariadb' : 'mysql';
        const number = version.split('-')[0];
        return { config: { ...db, flavor }, server: `${flavor === 'mariadb' ? 'MariaDB' : 'MySQL'} ${number} at ${where}/${database}` };
      } finally {
        await connection.end().catch(() => undefined);
      }
    } catch (e) {
      const code = (e as { code?: string }).code ?? '';
      if (TRANSIENT.has(code) && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 1_000));
        continue;
      }
      throw new DatabaseUnavailableError(describe(code, e as Error, { where, database, user }));
    }
  }
}

function describe(code: string, e: Error, at: { where: string; database: string; user: string }): string {
  switch (code) {
    case 'ER_ACCESS_DENIED_ERROR':
      return `the database at ${at.where} refused user "${at.user}": wrong user or password in DATABASE_URL`;
    case 'ER_DBACCESS_DENIED_ERROR':
    case 'ER_TABLEACCESS_DENIED_ERROR':
      return `user "${at.user}" may not use database "${at.database}" at ${at.where}: grant it access`;
    case 'ER_BAD_DB_ERROR':
      return `database "${at.database}" does not exist at ${at.where}: create it (CREATE DATABASE \`${at.database}\` CHARACTER SET utf8mb4)`;
    case 'ECONNREFUSED':
      return `nothing accepts connections at ${at.where} (DATABASE_URL): is the database running?`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `the database host in DATABASE_URL (${at.where}) does not resolve`;
    case 'ETIMEDOUT':
    case 'EHOSTUNREACH':
      return `the database at ${at.where} (DATABASE_URL) did not answer in time`;
    default:
      return `cannot use the database at ${at.where}: ${code ? `${code}: ` : ''}${e.message}`;
  }
}
