import { DynamicModule } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Connection } from 'mysql2/promise';
import { AppModule, AppModuleOptions } from '../../src/app.module';
import { API_PREFIX, configureApp, createFastifyAdapter } from '../../src/app.setup';
import { loadConfig } from '../../src/config/app-config';
import { Role } from '../../src/tenancy/tenant-context';
import { connectTo, replicaCaughtUp, testDatabaseUrl, testReplicaUrl } from './database';
import { assertNoSecretLeaks, secrets } from './secrets';
import { mintToken, TEST_ENCRYPTION_KEY, TEST_JWT_SECRET, TokenOptions } from './tokens';

export interface TestResponse {
  statusCode: number;
  headers: Record<string, string | string[] | number | undefined>;
  body: string;
  json<T = any>(): T;
}

export interface RequestOptions {
  headers?: Record<string, string>;
  query?: Record<string, string | number | boolean>;
}

export interface Client {
  get(path: string, o?: RequestOptions): Promise<TestResponse>;
  post(path: string, body?: unknown, o?: RequestOptions): Promise<TestResponse>;
  put(path: string, body?: unknown, o?: RequestOptions): Promise<TestResponse>;
  patch(path: string, body?: unknown, o?: RequestOptions): Promise<TestResponse>;
  delete(path: string, o?: RequestOptions): Promise<TestResponse>;
}

/** The app's log lines: the first LOG_KEEP kept, all counted. */
export interface CapturedLogs {
  lines: string[];
  count: number;
}

export interface TestApi {
  app: NestFastifyApplication;
  logs: CapturedLogs;
  /** A client whose requests carry a fresh token for this principal. Paths are relative to the API base. */
  as(who: { tenant: string; role: Role; sub?: string }): Client;
  /** A client with exactly these headers (or none): for authentication tests. */
  raw(headers?: Record<string, string>): Client;
  close(): Promise<void>;
}

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

const LOG_KEEP = 2000;

const parseOrNull = (text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
};

/** A response the harness saw: its body and header values go through the secret scanner. */
export function scanResponse(res: { statusCode: number; body: string; headers: TestResponse['headers'] }, method: string, url: string): void {
  const where = `the response to ${method} ${url.slice(0, 120)} (${res.statusCode})`;
  secrets.scan(res.body, where);
  let values = '';
  for (const value of Object.values(res.headers)) if (value !== undefined) values += `${String(value)}\n`;
  secrets.scan(values, `the headers of ${where}`);
}

function clientFor(app: NestFastifyApplication, headers: () => Promise<Record<string, string>>, beforeGet?: () => Promise<void>): Client {
  const fastify = app.getHttpAdapter().getInstance();
  const send = async (method: Method, path: string, body: unknown, o: RequestOptions = {}): Promise<TestResponse> => {
    if (method === 'GET') await beforeGet?.();
    const url = path.startsWith('/') && !path.startsWith(`/${API_PREFIX}`) && !/^\/(health|metrics|docs)/.test(path) ? `/${API_PREFIX}${path}` : path;
    const payload = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
    if (payload !== undefined && payload.includes('"integration_key"')) secrets.addIntegrationKeysOf(typeof body === 'string' ? parseOrNull(body) : body);
    const res = await fastify.inject({
      method,
      url,
      query: o.query ? Object.fromEntries(Object.entries(o.query).map(([k, v]) => [k, String(v)])) : undefined,
      headers: { ...(await headers()), ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...o.headers },
      payload,
    });
    scanResponse(res, method, url);
    return { statusCode: res.statusCode, headers: res.headers, body: res.body, json: () => JSON.parse(res.body) };
  };
  return {
    get: (p, o) => send('GET', p, undefined, o),
    post: (p, b, o) => send('POST', p, b ?? {}, o),
    put: (p, b, o) => send('PUT', p, b ?? {}, o),
    patch: (p, b, o) => send('PATCH', p, b ?? {}, o),
    delete: (p, o) => send('DELETE', p, undefined, o),
  };
}

/**
 * Boots the real AppModule on Fastify against the test database (migrations run at start) and
 * returns clients that go through Fastify, the guard, the pipe and the filter, with no socket.
 * The app logs at trace level (env LOG_LEVEL or TEST_LOG_LEVEL may say otherwise) into a sink that
 * keeps the lines in `logs` and scans each for secrets (test/support/secrets.ts), as the clients scan
 * every response; `options.logDestination` also receives each line.
 */
export interface TestApiOptions extends AppModuleOptions {
  /** Modules a host would import beside ours (e.g. EventEmitterModule.forRoot()). */
  imports?: DynamicModule[];
  /**
   * With TEST_REPLICA_URL (the app then has the worker's database's replica as DATABASE_REPLICA_URLS):
   * whether each GET first waits until the replica has caught up with the primary (default true), as
   * a client that allows for the replication delay would. Suites written for one database then stay
   * exact while their analytics read the replica; a test of the delay itself turns it off.
   */
  replicaCatchUp?: boolean;
}

export async function startTestApi(env: Record<string, string> = {}, testOptions: TestApiOptions = {}): Promise<TestApi> {
  const { imports = [], replicaCatchUp = true, ...options } = testOptions;
  // The worker's database's replica, unless the test names a database of its own.
  const replicaUrl = env.DATABASE_URL === undefined ? await testReplicaUrl() : undefined;
  const config = loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: await testDatabaseUrl(),
    ...(replicaUrl ? { DATABASE_REPLICA_URLS: replicaUrl } : {}),
    JWT_SECRET: TEST_JWT_SECRET,
    ENCRYPTION_KEY: TEST_ENCRYPTION_KEY,
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'trace',
    RATE_LIMIT_PER_MINUTE: '100000',
    // No scan on a timer in tests: a pass at an unplanned moment would announce breaches a test does
    // not expect; SLA tests call SlaBreachScan.scanOnce with the day they mean.
    SLA_SCAN_INTERVAL_MS: '0',
    // No webhook relay runs unless a test turns it on (test/webhooks): the outbox is still written.
    WEBHOOKS_ENABLED: 'false',
    ...env,
  });
  if (config.jwt.kind === 'secret') secrets.addLiteral(config.jwt.secret, 'the JWT secret');
  secrets.addKey(config.encryptionKey, 'ENCRYPTION_KEY');
  if (config.metricsToken) secrets.addLiteral(config.metricsToken, 'METRICS_TOKEN');
  const logs: CapturedLogs = { lines: [], count: 0 };
  const forward = options.logDestination;
  const sink = {
    write(line: string) {
      logs.count += 1;
      if (logs.lines.length < LOG_KEEP) logs.lines.push(line);
      secrets.scan(line, 'a log line');
      forward?.write(line);
    },
  };
  const moduleRef = await Test.createTestingModule({ imports: [AppModule.register(config, { ...options, logDestination: sink }), ...imports] }).compile();
  const app = moduleRef.createNestApplication<NestFastifyApplication>(createFastifyAdapter(), { logger: false });
  await configureApp(app, config);
  await app.init();
  await app.getHttpAdapter().getInstance().ready();

  // The replica catch-up before each GET, on two connections of the harness's own.
  const db = config.database;
  let links: Promise<[Connection, Connection]> | undefined;
  const catchUp =
    db.type === 'mysql' && replicaUrl !== undefined && replicaCatchUp
      ? async () => {
          links ??= Promise.all([connectTo(db.url), connectTo(replicaUrl)]);
          await replicaCaughtUp(...(await links));
        }
      : undefined;

  return {
    app,
    logs,
    as: (who) => clientFor(app, async () => ({ authorization: `Bearer ${await mintToken(who as TokenOptions)}` }), catchUp),
    raw: (headers = {}) => clientFor(app, async () => headers, catchUp),
    close: async () => {
      if (links) await Promise.all((await links).map((c) => c.end()));
      await app.close();
      assertNoSecretLeaks();
    },
  };
}
