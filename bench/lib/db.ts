import Database from 'better-sqlite3';
import { createPool, Pool } from 'mysql2/promise';
import { DatabaseConfig } from '../../src/config/app-config';

/** Direct SQL for the baselines and the bare server: `?` placeholders on both engines. */
export interface RawDb {
  kind: 'sqlite' | 'mysql';
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  close(): Promise<void>;
}

export function openRawDb(db: DatabaseConfig, poolSize = 8): RawDb {
  if (db.type === 'sqlite') {
    const conn = new Database(db.path, { readonly: true });
    conn.pragma('busy_timeout = 5000');
    const cache = new Map<string, Database.Statement>();
    return {
      kind: 'sqlite',
      query: async <T>(sql: string, params: unknown[] = []) => {
        let stmt = cache.get(sql);
        if (!stmt) cache.set(sql, (stmt = conn.prepare(sql)));
        return stmt.all(...params) as T[];
      },
      close: async () => {
        conn.close();
      },
    };
  }
  const pool: Pool = createPool({ uri: db.url, connectionLimit: poolSize, timezone: 'Z', dateStrings: ['DATE'], supportBigNumbers: true });
  return {
    kind: 'mysql',
    query: async <T>(sql: string, params: unknown[] = []) => (await pool.query(sql, params))[0] as T[],
    close: () => pool.end(),
  };
}
