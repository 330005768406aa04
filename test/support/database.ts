import { Connection, createConnection } from 'mysql2/promise';

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

/**
 * A scratch database of the engine under test, empty: SQLite in memory, or on TEST_DATABASE_URL's
 * server a database of its own next to the worker's, named with `suffix` (dropped and created again,
 * dropped by `drop`).
 */
export async function scratchDatabase(suffix: string): Promise<{ url: string; drop(): Promise<void> }> {
  const workerUrl = await testDatabaseUrl();
  if (workerUrl.startsWith('sqlite:')) return { url: workerUrl, drop: async () => {} };
  const url = new URL(workerUrl.replace(/^mariadb:/, 'mysql:'));
  const name = `${url.pathname.replace(/^\//, '')}_${suffix}`;
  const admin = async (sql: string) => {
    const connection = await createConnection({
      host: url.hostname,
      port: Number(url.port || 3306),
      user: decodeURIComponent(url.username),
      password: decodeURIComponent(url.password),
    });
    try {
      await connection.query(sql);
    } finally {
      await connection.end();
    }
  };
  await admin(`DROP DATABASE IF EXISTS \`${name}\``);
  await admin(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  const scratch = new URL(workerUrl);
  scratch.pathname = `/${name}`;
  return { url: scratch.toString(), drop: () => admin(`DROP DATABASE IF EXISTS \`${name}\``) };
}

/**
 * The read replica of the worker's database (TEST_REPLICA_URL: the replica server of TEST_DATABASE_URL's
 * primary, which replicates the worker's database to it), or undefined without TEST_REPLICA_URL.
 */
export async function testReplicaUrl(): Promise<string | undefined> {
  const base = process.env.TEST_REPLICA_URL;
  if (!base) return undefined;
  if (!process.env.TEST_DATABASE_URL) throw new Error('TEST_REPLICA_URL needs TEST_DATABASE_URL (its primary)');
  const primary = new URL((await testDatabaseUrl()).replace(/^mariadb:/, 'mysql:'));
  const url = new URL(base.replace(/^mariadb:/, 'mysql:'));
  url.pathname = primary.pathname;
  return url.toString().replace(/^mysql:/, process.env.TEST_DATABASE_URL.startsWith('mariadb:') ? 'mariadb:' : 'mysql:');
}

/** A connection to a mysql:// or mariadb:// URL (the caller ends it). */
export const connectTo = (url: string) => createConnection({ uri: url.replace(/^mariadb:/, 'mysql:') });

/**
 * Waits until the replica has applied everything the primary has committed so far (MariaDB GTIDs),
 * at most `timeoutS`; fails when it has not.
 */
export async function replicaCaughtUp(primary: Connection, replica: Connection, timeoutS = 20): Promise<void> {
  const [[{ pos }]] = (await primary.query('SELECT @@gtid_binlog_pos AS pos')) as unknown as [[{ pos: string }]];
  const [[{ waited }]] = (await replica.query('SELECT MASTER_GTID_WAIT(?, ?) AS waited', [pos, timeoutS])) as unknown as [[{ waited: number }]];
  if (Number(waited) !== 0) throw new Error(`the replica did not reach the primary's position ${pos} within ${timeoutS} s`);
}
