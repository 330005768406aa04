import { createConnection } from 'mysql2/promise';

/**
 * The database a test file runs against: SQLite in memory by default; with TEST_DATABASE_URL
 * (mysql://… or mariadb://…) one database per Jest worker on that server, created on demand.
 * A database whose name lacks "test" is refused, so a suite can never touch a real one.
 */
export async function testDatabaseUrl(): Promise<string> {
  const base = process.env.TEST_DATABASE_URL;
  if (!base) return 'sqlite::memory:';
  const url = new URL(base.replace(/^mariadb:/, 'mysql:'));
  const name = `${url.pathname.replace(/^\//, '') || 'app_test'}_${process.env.JEST_WORKER_ID ?? '1'}`;
  if (!/test/.test(name)) throw new Error(`Refusing to run tests against database "${name}": its name must contain "test"`);
  const admin = await createConnection({
    host: url.hostname,
    port: Number(url.port || 3306),
    user: decodeURIComponent(url.username),
    password: decodeURIComponent(url.password),
  });
  await admin.query(`CREATE DATABASE IF NOT EXISTS \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  await admin.end();
  url.pathname = `/${name}`;
  // Keep the caller's scheme: mariadb:// selects TypeORM's MariaDB dialect.
  return url.toString().replace(/^mysql:/, base.startsWith('mariadb:') ? 'mariadb:' : 'mysql:');
}

export const isMysql = () => Boolean(process.env.TEST_DATABASE_URL);
