import { Logger } from '@nestjs/common';
import type { ThrottlerStorage } from '@nestjs/throttler';
import type { RedisOptions } from 'ioredis';
import { FailOpenOptions, FailOpenThrottlerStorage } from './fail-open-throttler-storage';
import { SlidingLogThrottlerStorage } from './throttler-storage';

/** Every key of ours in the shared Redis starts with this, so the database can be shared with other applications. */
export const REDIS_KEY_PREFIX = 'sales-customization:';

/**
 * Bounds on every wait for Redis: a request waits at most `requestMs` for it (then its hit is counted
 * locally; each command also times out after `commandMs` in the client); a start waits at most
 * `connectMs` for the first connection; during an outage one request per `probeEveryMs` tries Redis again.
 */
export const REDIS_TIMEOUTS = { connectMs: 1000, commandMs: 250, requestMs: 300, probeEveryMs: 1000 };

/**
 * The client's settings: no offline queue (a command while disconnected fails at once instead of
 * waiting for a reconnection), no retry of a failed command, a timeout on each, and reconnection
 * forever with a back-off capped at 2 s, so that the limit becomes shared again by itself.
 */
export const redisClientOptions = (): RedisOptions => ({
  keyPrefix: REDIS_KEY_PREFIX,
  connectTimeout: REDIS_TIMEOUTS.connectMs,
  commandTimeout: REDIS_TIMEOUTS.commandMs,
  enableOfflineQueue: false,
  maxRetriesPerRequest: 0,
  retryStrategy: (attempt: number) => Math.min(100 * attempt, 2000),
});

async function load<T>(name: string, loader: () => Promise<T>): Promise<T> {
  try {
    return await loader();
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'MODULE_NOT_FOUND') throw e;
    throw new Error(`REDIS_URL (http.redisUrl) needs the package ${name}: npm install ioredis @nest-lab/throttler-storage-redis`, { cause: e });
  }
}

/**
 * The per-tenant counters in Redis at `url` (@nest-lab/throttler-storage-redis: a fixed window per
 * tenant and minute, counted by one Lua script, so all instances see one count), failing open to this
 * process's counters while Redis is unreachable (FailOpenThrottlerStorage). The start waits up to
 * connectMs for Redis and goes on without it: a Redis that is down at the start is an outage like any other.
 */
export async function redisThrottlerStorage(url: string, overrides: Partial<FailOpenOptions> = {}): Promise<FailOpenThrottlerStorage> {
  const { default: Redis } = await load('ioredis', () => import('ioredis'));
  const { ThrottlerStorageRedisService } = await load('@nest-lab/throttler-storage-redis', () => import('@nest-lab/throttler-storage-redis'));
  const logger = new Logger('RateLimit');
  const redis = new Redis(url, redisClientOptions());
  // The outage is logged by the storage, once; the client's own errors would repeat at every reconnection.
  redis.on('error', () => undefined);
  await new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, REDIS_TIMEOUTS.connectMs);
    redis.once('ready', () => {
      clearTimeout(timer);
      resolve();
    });
  });
  const shared: ThrottlerStorage = new ThrottlerStorageRedisService(redis);
  return new FailOpenThrottlerStorage(shared, new SlidingLogThrottlerStorage(), {
    timeoutMs: REDIS_TIMEOUTS.requestMs,
    probeEveryMs: REDIS_TIMEOUTS.probeEveryMs,
    logger,
    close: () => redis.disconnect(false),
    ...overrides,
  });
}
