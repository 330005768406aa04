import { createServer } from 'node:net';
import { join } from 'node:path';

/** Where and how long the reliability scenarios run. Everything listens on 127.0.0.1 only. */
export const ROOT = join(__dirname, '..', '..', '..');
/**
 * The MariaDB's folder and port, chosen by globalSetup for the run (a folder of its own, the first
 * free port of MARIADB_PORTS unless RELIABILITY_MARIADB_PORT names one) and published in the
 * environment, so that runs side by side never share a server.
 */
export const mariadbDir = (): string => process.env.RELIABILITY_MARIADB_DIR ?? `/tmp/reliability-mariadb-${process.pid}`;
export const mariadbPort = (): number => Number(process.env.RELIABILITY_MARIADB_PORT ?? 3330);
export const MARIADB_PORTS: [number, number] = [3330, 3339];
/** The service is compiled here (same tsconfig as `npm run build`), so a concurrent build of dist/ cannot change it under a run. */
export const BUILD_DIR = process.env.RELIABILITY_BUILD_DIR ?? join(ROOT, 'node_modules', '.cache', 'reliability-build');
/** Each scenario's service listens on the first free port of this range (RELIABILITY_PORT_BASE to +9). */
export const SERVICE_PORT_BASE = Number(process.env.RELIABILITY_PORT_BASE ?? 3340);
export const SERVICE_PORTS: [number, number] = [SERVICE_PORT_BASE, SERVICE_PORT_BASE + 9];

/** Whether nothing listens on 127.0.0.1:port (checked by listening on it a moment). */
export const portIsFree = (port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });

/** The first free port of [from, to], or a clear error naming the range (another run, a leftover). */
export async function freePort([from, to]: [number, number], what: string, skip: number[] = []): Promise<number> {
  for (let port = from; port <= to; port++) if (!skip.includes(port) && (await portIsFree(port))) return port;
  throw new Error(`reliability: no free port for ${what} in 127.0.0.1:${from}-${to} (another run or a leftover process holds them)`);
}
/** Logs of the service and the database, and the figures of each scenario (figures.json). */
export const OUT_DIR = process.env.RELIABILITY_OUT ?? '/tmp/reliability-out';
/** The load scenario's duration; the other scenarios scale from it. */
export const SECONDS = Number(process.env.RELIABILITY_SECONDS ?? 60);

export const JWT_SECRET = 'reliability-secret-that-is-long-enough-for-hs256-0123456789';
export const ENCRYPTION_KEY = Buffer.alloc(32, 9).toString('base64');

/** The URL globalSetup publishes (mariadb://app:app@127.0.0.1:PORT/app_test). */
export const baseDatabaseUrl = (): string => {
  const url = process.env.RELIABILITY_DATABASE_URL;
  if (!url) throw new Error('RELIABILITY_DATABASE_URL is not set: run through `npm run test:reliability`');
  return url;
};

/** The URL of one scenario's own database on the shared server. */
export const databaseUrl = (name: string): string => baseDatabaseUrl().replace(/\/[^/]*$/, `/${name}`);
