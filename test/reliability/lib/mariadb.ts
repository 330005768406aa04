import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Connection, createConnection } from 'mysql2/promise';
import { baseDatabaseUrl, mariadbDir, mariadbPort, ROOT } from './env';

const run = promisify(execFile);

/** Where a throwaway MariaDB lives, and whether every commit is flushed to disk (a crash test needs it). */
export interface MariadbInstance {
  dir: string;
  port: number;
  durable: boolean;
}

/**
 * scripts/mariadb.sh on an instance: by default the reliability instance, durable (on disk, redo log
 * flushed at every commit); the scale harness (test/scale) passes its own.
 */
export async function mariadb(
  cmd: 'start' | 'stop' | 'kill' | 'restart',
  at: MariadbInstance = { dir: mariadbDir(), port: mariadbPort(), durable: true },
): Promise<string> {
  const { stdout } = await run('bash', [join(ROOT, 'scripts', 'mariadb.sh'), cmd, at.dir, String(at.port)], {
    env: { ...process.env, MARIADB_DURABLE: at.durable ? '1' : '0' },
    timeout: 180_000,
  });
  return stdout.trim();
}

export const mariadbPid = (): number => Number(readFileSync(join(mariadbDir(), 'mysqld.pid'), 'utf8').trim());

/** A direct connection (no service in between): to create databases and to read what is stored. */
export async function connect(database?: string): Promise<Connection> {
  const url = new URL(baseDatabaseUrl().replace(/^mariadb:/, 'mysql:'));
  return createConnection({
    host: url.hostname,
    port: Number(url.port),
    user: decodeURIComponent(url.username),
    password: decodeURIComponent(url.password),
    database,
    dateStrings: true,
    supportBigNumbers: true,
    decimalNumbers: true,
    timezone: 'Z',
  });
}

/** A fresh, empty database for one scenario (its service runs the migrations at start). */
export async function freshDatabase(name: string): Promise<void> {
  const admin = await connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS \`${name}\``);
    await admin.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  } finally {
    await admin.end();
  }
}

export async function query<T>(db: Connection, sql: string, params: unknown[] = []): Promise<T[]> {
  const [rows] = await db.query(sql, params);
  return rows as T[];
}
