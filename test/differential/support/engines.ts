import { createConnection } from 'mysql2/promise';
import { API_PREFIX } from '../../../src/app.setup';
import { Role } from '../../../src/tenancy/tenant-context';
import type { TestApi } from '../../support/app';
import type { SecretScanner } from '../../support/secrets';
import { mintToken } from '../../support/tokens';

/**
 * The two instances of the service a differential run drives: the real AppModule on Fastify
 * (test/support/app.ts), one on SQLite in memory and one on a MariaDB/MySQL database of its own,
 * created fresh. Requests go through Fastify's inject (no socket), to both at once.
 *
 * Each instance is loaded in a module registry of its own (jest.isolateModulesAsync): libraries keep
 * process-wide state in their modules, and two AppModules sharing one copy of them are not two
 * services. @nestjs-cls/transactional's @Transactional looks its TransactionHost up in a static map,
 * so with one copy the first app's transactions ran on the database of the app started last.
 */

export type EngineName = 'sqlite' | 'mariadb';
export const ENGINES: EngineName[] = ['sqlite', 'mariadb'];

export interface Request {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Relative to the API base (`/lead-sources/WEBSITE`), or a service route (`/health`). */
  path: string;
  query?: Record<string, string | number | boolean>;
  /** JSON-encoded unless a string (sent as is). */
  body?: unknown;
  headers?: Record<string, string>;
  who?: Who;
}

export interface Who {
  tenant: string;
  role: Role;
  sub: string;
}

export interface Answer {
  status: number;
  /** The body as sent (what is compared: JSON.parse would round numbers past what a double holds). */
  text: string;
  /** Parsed JSON, or the text when the body is not JSON (empty for a 204). */
  body: unknown;
  etag?: string;
  contentType?: string;
}

export interface Engines {
  /** Sends the same request to both instances at once and answers both answers. */
  send(req: Request, requestId: string): Promise<Record<EngineName, Answer>>;
  /** Where the MariaDB instance's data lives (for the report). */
  mariadbDatabase: string;
  close(): Promise<void>;
}

const SERVICE_ROUTE = /^\/(health|metrics|docs)/;

export function urlOf(req: Pick<Request, 'path' | 'query'>): string {
  const base = SERVICE_ROUTE.test(req.path) ? req.path : `/${API_PREFIX}${req.path}`;
  const query = Object.entries(req.query ?? {})
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`)
    .join('&');
  return query ? `${base}?${query}` : base;
}

/** A fresh database on the server of `url` (mysql:// or mariadb://), named `name`, which must contain "test". */
export async function freshDatabase(url: string, name: string): Promise<string> {
  if (!/test/.test(name)) throw new Error(`Refusing to use database "${name}": its name must contain "test"`);
  const u = new URL(url.replace(/^mariadb:/, 'mysql:'));
  const admin = await createConnection({
    host: u.hostname,
    port: Number(u.port || 3306),
    user: decodeURIComponent(u.username),
    password: decodeURIComponent(u.password),
  });
  try {
    await admin.query(`DROP DATABASE IF EXISTS \`${name}\``);
    await admin.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  } finally {
    await admin.end();
  }
  u.pathname = `/${name}`;
  return u.toString().replace(/^mysql:/, url.startsWith('mariadb:') ? 'mariadb:' : 'mysql:');
}

export async function startEngines(mariadbUrl: string, database: string): Promise<Engines> {
  // Only warnings and errors are logged (each line still goes through the harness's secret scan):
  // tens of thousands of requests at trace level would cost more than the requests.
  const env = { LOG_LEVEL: process.env.DIFF_LOG_LEVEL ?? 'warn', RATE_LIMIT_PER_MINUTE: '1000000' };
  const url = await freshDatabase(mariadbUrl, database);
  const apis = {} as Record<EngineName, TestApi>;
  const scanners = {} as Record<EngineName, SecretScanner>;
  for (const [name, databaseUrl] of [
    ['sqlite', 'sqlite::memory:'],
    ['mariadb', url],
  ] as const) {
    await jest.isolateModulesAsync(async () => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const harness = require('../../support/app') as typeof import('../../support/app');
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      scanners[name] = (require('../../support/secrets') as typeof import('../../support/secrets')).secrets;
      apis[name] = await harness.startTestApi({ ...env, DATABASE_URL: databaseUrl });
      // What a library loads lazily, at its first use, comes from the registry active then: the
      // readiness check imports @nestjs/typeorm on its first call (then caches it), so it is called
      // once here, or it would look up the DataSource of another copy of TypeORM and answer 503.
      const ready = await apis[name].app.getHttpAdapter().getInstance().inject({ method: 'GET', url: '/health/ready' });
      if (ready.statusCode !== 200) throw new Error(`${name}: GET /health/ready answered ${ready.statusCode} at start: ${ready.body}`);
    });
  }
  // Tokens live ten years of the run's clock, which moves forward by days: minted once per principal.
  const tokens = new Map<string, Promise<string>>();
  const tokenOf = (who: Who) => {
    const key = `${who.tenant}|${who.role}|${who.sub}`;
    if (!tokens.has(key)) {
      const minted = mintToken({ tenant: who.tenant, role: who.role, sub: who.sub, expiresIn: 10 * 365 * 86_400 });
      // Each instance's log sink scans with its own copy of the harness's scanner: both must know the token.
      void minted.then((token) => ENGINES.forEach((name) => scanners[name].addToken(token)));
      tokens.set(key, minted);
    }
    return tokens.get(key)!;
  };

  const inject = async (name: EngineName, req: Request, requestId: string): Promise<Answer> => {
    const headers: Record<string, string> = { 'x-request-id': requestId, ...req.headers };
    if (req.who) headers.authorization = `Bearer ${await tokenOf(req.who)}`;
    let payload: string | undefined;
    if (req.body !== undefined) {
      payload = typeof req.body === 'string' ? req.body : JSON.stringify(req.body);
      headers['content-type'] ??= 'application/json';
      // As the harness's clients do: an integration key sent is a secret no log line may show.
      if (payload.includes('"integration_key"')) scanners[name].addIntegrationKeysOf(req.body);
    }
    const res = await apis[name].app
      .getHttpAdapter()
      .getInstance()
      .inject({ method: req.method, url: urlOf(req), headers, payload });
    let body: unknown = res.body;
    if (res.body !== '' && /json/.test(String(res.headers['content-type'] ?? ''))) {
      try {
        body = JSON.parse(res.body);
      } catch {
        body = res.body;
      }
    }
    const etag = res.headers.etag === undefined ? undefined : String(res.headers.etag);
    const contentType = res.headers['content-type'] === undefined ? undefined : String(res.headers['content-type']);
    return { status: res.statusCode, text: res.body, body, ...(etag !== undefined ? { etag } : {}), ...(contentType !== undefined ? { contentType } : {}) };
  };

  return {
    mariadbDatabase: url.replace(/\/\/[^@]*@/, '//'),
    async send(req, requestId) {
      const [sqlite, mariadb] = await Promise.all(ENGINES.map((name) => inject(name, req, requestId)));
      return { sqlite, mariadb };
    },
    async close() {
      await Promise.all(ENGINES.map((name) => apis[name].close()));
    },
  };
}
