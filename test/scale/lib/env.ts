import { join } from 'node:path';
import { MariadbInstance } from '../../reliability/lib/mariadb';
import { ROOT } from '../../reliability/lib/env';

/**
 * Where the multi-instance proof runs (npm run test:scale). Everything listens on 127.0.0.1; every port
 * and folder comes from the environment so that CI and runs side by side choose their own.
 */

/** The one MariaDB of the run: fast, not durable (no server crash here: an instance of the service dies). */
export const scaleMariadb = (): MariadbInstance => ({
  dir: process.env.SCALE_MARIADB_DIR ?? '/tmp/scale-mariadb',
  port: Number(process.env.SCALE_MARIADB_PORT ?? 3350),
  durable: false,
});

/** An external Redis to use (CI starts one), else the harness starts its own redis-server on SCALE_REDIS_PORT. */
export const externalRedisUrl = (): string | undefined => process.env.SCALE_REDIS_URL || undefined;
export const ownRedisPort = (): number => Number(process.env.SCALE_REDIS_PORT ?? 6390);
export const ownRedisDir = (): string => process.env.SCALE_REDIS_DIR ?? '/tmp/scale-redis';

/** The three instances listen on the first free ports of [SCALE_PORT_BASE, +9]. */
export const SERVICE_PORT_BASE = Number(process.env.SCALE_PORT_BASE ?? 3380);
export const SERVICE_PORTS: [number, number] = [SERVICE_PORT_BASE, SERVICE_PORT_BASE + 9];

/** The per-tenant limit the instances run with (RATE_LIMIT_PER_MINUTE): scenario (a) spends 3 × it at once. */
export const RATE_LIMIT = Number(process.env.SCALE_RATE_LIMIT ?? 100);

/** The service as `npm start` runs it: dist/ built by scripts/build.js. */
export const ENTRY = join(ROOT, 'dist', 'main.js');
export const OUT_DIR = process.env.SCALE_OUT ?? '/tmp/scale-out';

/** What globalSetup publishes to the scenarios. */
export const published = (): { databaseUrl: string; redisUrl: string } => {
  const databaseUrl = process.env.SCALE_DATABASE_URL_IN_USE;
  const redisUrl = process.env.SCALE_REDIS_URL_IN_USE;
  if (!databaseUrl || !redisUrl) throw new Error('the scale harness was not set up: run it through `npm run test:scale`');
  return { databaseUrl, redisUrl };
};

/** Prints one scenario's measured figures (stdout, beside Jest's report). */
export function figures(scenario: string, values: Record<string, string | number>): void {
  process.stdout.write(
    `\n[scale ${scenario}] ${Object.entries(values)
      .map(([k, v]) => `${k}: ${v}`)
      .join(', ')}\n`,
  );
}
