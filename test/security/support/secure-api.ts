import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { API_PREFIX } from '../../../src/app.setup';
import { Role } from '../../../src/tenancy/tenant-context';
import { CapturedLogs, scanResponse, startTestApi } from '../../support/app';
import { SecretScanner, secrets } from '../../support/secrets';
import { mintToken } from '../../support/tokens';

/**
 * The app every security spec runs against: the real AppModule (startTestApi) with its own random
 * JWT secret and ENCRYPTION_KEY, logging at trace level into a sink, and a client that records every
 * response. Each spec ends with `expectClean()`: no secret (token, integration key, JWT secret,
 * encryption key) in any log line or response, and helmet's headers on every response it saw.
 */

export interface Who {
  tenant: string;
  role: Role;
  sub?: string;
}

export interface Res {
  statusCode: number;
  headers: Record<string, string | string[] | number | undefined>;
  body: string;
  json<T = any>(): T;
}

export interface SendOptions {
  body?: unknown;
  /** Sent as is (no JSON encoding); with `body` unset. */
  payload?: string | Buffer | Readable;
  query?: Record<string, string | number | boolean>;
  headers?: Record<string, string>;
}

export interface SClient {
  send(method: string, path: string, o?: SendOptions): Promise<Res>;
  get(path: string, o?: SendOptions): Promise<Res>;
  post(path: string, body?: unknown, o?: SendOptions): Promise<Res>;
  put(path: string, body?: unknown, o?: SendOptions): Promise<Res>;
  patch(path: string, body?: unknown, o?: SendOptions): Promise<Res>;
  delete(path: string, o?: SendOptions): Promise<Res>;
}

/** What helmet sends with our settings (app.setup.ts): its defaults minus CSP and COEP (an API, plus the Swagger page). */
export const SECURITY_HEADERS: Record<string, RegExp> = {
  'x-content-type-options': /^nosniff$/,
  'x-frame-options': /^SAMEORIGIN$/,
  'strict-transport-security': /^max-age=\d{7,}; includeSubDomains$/,
  'referrer-policy': /^no-referrer$/,
  'cross-origin-opener-policy': /^same-origin$/,
  'cross-origin-resource-policy': /^same-origin$/,
  'origin-agent-cluster': /^\?1$/,
  'x-dns-prefetch-control': /^off$/,
  'x-download-options': /^noopen$/,
  'x-permitted-cross-domain-policies': /^none$/,
  'x-xss-protection': /^0$/,
};
/** Headers that only tell an attacker what runs here. */
export const ABSENT_HEADERS = ['x-powered-by', 'server'];

/** The headers of SECURITY_HEADERS a response lacks or gets wrong, and the ABSENT_HEADERS it has. */
export function headerProblems(headers: Res['headers']): string[] {
  const wrong = Object.entries(SECURITY_HEADERS)
    .filter(([name, pattern]) => !pattern.test(String(headers[name] ?? '')))
    .map(([name]) => `${name}: ${headers[name] ?? '(missing)'}`);
  return [...wrong, ...ABSENT_HEADERS.filter((name) => headers[name] !== undefined).map((name) => `${name} present`)];
}

export { INTEGRATION_KEY_SHAPE, SecretScanner } from '../../support/secrets';

export interface SecureApi {
  app: NestFastifyApplication;
  scanner: SecretScanner;
  jwtSecret: string;
  /** Every log line the app wrote (capped), and how many. */
  logs: CapturedLogs;
  /** Responses seen, and those that lacked a security header. */
  seen: { responses: number; headerProblems: string[] };
  /** A token for this principal, signed with the app's secret (registered as a secret). */
  token(who: Who, claims?: Record<string, unknown>): Promise<string>;
  as(who: Who): SClient;
  raw(headers?: Record<string, string>): SClient;
  /** Any method, any URL (relative to the API base unless it starts with /api, /health, /docs, /metrics). */
  inject(o: { method: string; url: string; headers?: Record<string, string>; payload?: string | Buffer | Readable }): Promise<Res>;
  expectClean(): void;
  close(): Promise<void>;
}

export const apiUrl = (path: string) => (/^\/(api|health|docs|metrics)(\/|$|-)/.test(path) ? path : `/${API_PREFIX}${path}`);

const queryString = (query?: SendOptions['query']) =>
  query && Object.keys(query).length > 0
    ? `?${Object.entries(query)
        .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`)
        .join('&')}`
    : '';

export async function startSecureApi(env: Record<string, string> = {}): Promise<SecureApi> {
  // The harness's scanner (test/support/secrets.ts): startTestApi registers the app's JWT secret and
  // encryption key, scans every log line, and test/support/secrets-check.ts fails the file on a finding.
  const scanner: SecretScanner = secrets;
  // With JWT_PUBLIC_KEY the app verifies RS/ES tokens and has no secret (loadConfig refuses both).
  const jwtSecret = env.JWT_PUBLIC_KEY ? '' : (env.JWT_SECRET ?? randomBytes(32).toString('base64url'));
  const encryptionKey = randomBytes(32);
  const api = await startTestApi({
    LOG_LEVEL: process.env.SECURITY_LOG_LEVEL ?? 'trace',
    ...env,
    JWT_SECRET: jwtSecret,
    ENCRYPTION_KEY: encryptionKey.toString('base64'),
  });
  const logs = api.logs;
  const fastify = api.app.getHttpAdapter().getInstance();
  const seen = { responses: 0, headerProblems: [] as string[] };

  const inject: SecureApi['inject'] = async (o) => {
    const url = apiUrl(o.url);
    for (const value of Object.values(o.headers ?? {})) if (/^Bearer /i.test(value)) scanner.addToken(value.slice(7).trim());
    const res = await fastify.inject({ method: o.method as 'GET', url, headers: o.headers, payload: o.payload });
    seen.responses += 1;
    const where = `the response to ${o.method} ${url.slice(0, 120)} (${res.statusCode})`;
    scanResponse(res, o.method, url);
    // A CORS preflight is answered by the CORS hook before any other (Nest's Fastify adapter): it has
    // no body, and browsers read only its Access-Control-* headers. Every other answer is checked.
    const preflight = o.method === 'OPTIONS' && o.headers?.['access-control-request-method'] !== undefined && res.statusCode === 204;
    const problems = preflight ? [] : headerProblems(res.headers);
    if (problems.length > 0 && seen.headerProblems.length < 50) seen.headerProblems.push(`${where}: ${problems.join(', ')}`);
    return { statusCode: res.statusCode, headers: res.headers, body: res.body, json: () => JSON.parse(res.body) };
  };

  const tokens = new Map<string, string>();
  const token: SecureApi['token'] = async (who, claims) => {
    const key = claims ? undefined : `${who.tenant}|${who.role}|${who.sub ?? ''}`;
    const cached = key && tokens.get(key);
    if (cached) return cached;
    const minted = await mintToken({ tenant: who.tenant, role: who.role, sub: who.sub, claims, secret: jwtSecret });
    scanner.addToken(minted);
    if (key) tokens.set(key, minted);
    return minted;
  };

  const clientFor = (headers: () => Promise<Record<string, string>>): SClient => {
    const send = async (method: string, path: string, o: SendOptions = {}) => {
      const hasBody = o.body !== undefined || o.payload !== undefined;
      return inject({
        method,
        url: `${path}${queryString(o.query)}`,
        headers: { ...(await headers()), ...(o.body !== undefined ? { 'content-type': 'application/json' } : {}), ...o.headers },
        payload: o.payload ?? (hasBody ? JSON.stringify(o.body) : undefined),
      });
    };
    return {
      send,
      get: (p, o) => send('GET', p, o),
      post: (p, b, o) => send('POST', p, { ...o, body: b ?? {} }),
      put: (p, b, o) => send('PUT', p, { ...o, body: b ?? {} }),
      patch: (p, b, o) => send('PATCH', p, { ...o, body: b ?? {} }),
      delete: (p, o) => send('DELETE', p, o),
    };
  };

  return {
    app: api.app,
    scanner,
    jwtSecret,
    logs,
    seen,
    token,
    as: (who) => clientFor(async () => ({ authorization: `Bearer ${await token(who)}` })),
    raw: (headers = {}) => clientFor(async () => headers),
    inject,
    expectClean() {
      expect(scanner.findings).toEqual([]);
      expect(seen.headerProblems).toEqual([]);
      // Not vacuous: the app did log (request lines at least), and responses were checked.
      expect(logs.count).toBeGreaterThan(0);
      expect(logs.lines.some((line) => line.includes('"msg":"request completed"'))).toBe(true);
      expect(seen.responses).toBeGreaterThan(0);
    },
    close: () => api.close(),
  };
}

/** Fails with the server's answer when a setup request does not succeed. */
export function ok(res: Res, ...statuses: number[]): any {
  const expected = statuses.length > 0 ? statuses : [200, 201, 204];
  if (!expected.includes(res.statusCode)) throw new Error(`expected ${expected.join('/')}, got ${res.statusCode}: ${res.body.slice(0, 500)}`);
  return res.body === '' ? undefined : res.json();
}
