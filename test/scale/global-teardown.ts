import { mariadb } from '../reliability/lib/mariadb';
import { ownRedisDir, scaleMariadb } from './lib/env';
import { stopRedis } from './lib/redis';

/** Stops the MariaDB and the Redis that globalSetup started (an external Redis is left alone). */
export default async function globalTeardown(): Promise<void> {
  await mariadb('stop', scaleMariadb());
  if (process.env.SCALE_REDIS_OWNED) stopRedis(ownRedisDir());
}
