import { join } from 'node:path';

/** Where and how long the reliability scenarios run. Everything listens on 127.0.0.1 only. */
export const ROOT = join(__dirname, '..', '..', '..');
export const MARIADB_DIR = process.env.RELIABILITY_MARIADB_DIR ?? '/tmp/reliability-mariadb';
export const MARIADB_PORT = Number(process.env.RELIABILITY_MARIADB_PORT ?? 3330);
/** The service is compiled here (same tsconfig as `npm run build`), so a concurrent build of dist/ cannot change it under a run. */
export const BUILD_DIR = process.env.RELIABILITY_BUILD_DIR ?? join(ROOT, 'node_modules', '.cache', 'reliability-build');
/** Each scenario's service listens on its own port from here on. */
export const SERVICE_PORT_BASE = Number(process.env.RELIABILITY_PORT_BASE ?? 3340);
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
