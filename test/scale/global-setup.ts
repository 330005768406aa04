import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { portIsFree, ROOT } from '../reliability/lib/env';
import { mariadb } from '../reliability/lib/mariadb';
import { externalRedisUrl, ownRedisDir, ownRedisPort, scaleMariadb } from './lib/env';
import { pingRedis, startRedis, stopRedis } from './lib/redis';

const run = promisify(execFile);

/**
 * Builds the service as `npm start` does (scripts/build.js --if-stale: dist/), starts the run's one
 * MariaDB and its one Redis (or checks SCALE_REDIS_URL's), and publishes their URLs to the scenarios.
 */
export default async function globalSetup(): Promise<void> {
  const started = Date.now();
  const db = scaleMariadb();
  await mariadb('stop', db); // a leftover of an interrupted run in the same folder
  if (!(await portIsFree(db.port))) throw new Error(`scale: SCALE_MARIADB_PORT ${db.port} is taken on 127.0.0.1`);
  const build = run(process.execPath, ['scripts/build.js', '--if-stale'], { cwd: ROOT, timeout: 300_000 });
  try {
    process.env.SCALE_DATABASE_URL_IN_USE = await mariadb('start', db);
    const external = externalRedisUrl();
    if (external) {
      await pingRedis(external); // set but unreachable: the run fails, it does not skip
      process.env.SCALE_REDIS_URL_IN_USE = external;
    } else {
      stopRedis(ownRedisDir());
      if (!(await portIsFree(ownRedisPort()))) throw new Error(`scale: SCALE_REDIS_PORT ${ownRedisPort()} is taken on 127.0.0.1`);
      process.env.SCALE_REDIS_URL_IN_USE = await startRedis(ownRedisPort(), ownRedisDir());
      process.env.SCALE_REDIS_OWNED = '1';
    }
    await build;
  } catch (e) {
    await mariadb('stop', db).catch(() => undefined);
    if (process.env.SCALE_REDIS_OWNED) stopRedis(ownRedisDir());
    throw e;
  }
  process.stdout.write(
    `\nscale: MariaDB ${db.dir}:${db.port}, Redis ${process.env.SCALE_REDIS_URL_IN_USE}, build and servers ready in ${((Date.now() - started) / 1000).toFixed(1)} s\n`,
  );
}
