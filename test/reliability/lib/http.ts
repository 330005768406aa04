import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';
import { SignJWT } from 'jose';
import { JWT_SECRET } from './env';

export interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  /** Milliseconds from sending to the last byte. */
  ms: number;
  json<T = any>(): T;
}

/** No HTTP answer: the connection failed or was cut (code from the socket), or CLIENT_TIMEOUT. */
export class NoReply extends Error {
  constructor(
    readonly code: string,
    readonly ms: number,
  ) {
    super(`no HTTP answer: ${code} after ${Math.round(ms)} ms`);
  }
}

export interface Call {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  token?: string;
  body?: unknown;
  headers?: Record<string, string>;
  timeoutMs?: number;
}

export const API = '/api/v1/customization';

/**
 * A small HTTP/1.1 client on keep-alive sockets (one per concurrent caller): the load of the
 * scenarios. Answers every call with a Reply, or rejects with NoReply; never hangs beyond timeoutMs.
 */
export class Http {
  private readonly agent: Agent;

  constructor(
    private readonly port: number,
    sockets = 64,
    private readonly timeoutMs = 20_000,
  ) {
    this.agent = new Agent({ keepAlive: true, maxSockets: sockets, maxFreeSockets: sockets });
  }

  call(c: Call): Promise<Reply> {
    const payload = c.body === undefined ? undefined : JSON.stringify(c.body);
    const headers: Record<string, string> = { ...c.headers };
    if (c.token) headers.authorization = `Bearer ${c.token}`;
    if (payload !== undefined) {
      headers['content-type'] = 'application/json';
      headers['content-length'] = String(Buffer.byteLength(payload));
    }
    const path = c.path.startsWith('/health') || c.path.startsWith('/metrics') || c.path.startsWith(API) ? c.path : API + c.path;
    const started = performance.now();
    return new Promise<Reply>((resolve, reject) => {
      let settled = false;
      const fail = (code: string) => {
        if (settled) return;
        settled = true;
        reject(new NoReply(code, performance.now() - started));
      };
      const req = request({ host: '127.0.0.1', port: this.port, method: c.method ?? 'GET', path, headers, agent: this.agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (d: Buffer) => chunks.push(d));
        res.on('error', (e: NodeJS.ErrnoException) => fail(e.code ?? 'RESPONSE_ERROR'));
        res.on('aborted', () => fail('RESPONSE_ABORTED'));
        res.on('end', () => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          const body = Buffer.concat(chunks).toString('utf8');
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body, ms: performance.now() - started, json: () => JSON.parse(body) });
        });
      });
      const timer = setTimeout(() => {
        fail('CLIENT_TIMEOUT');
        req.destroy();
      }, c.timeoutMs ?? this.timeoutMs);
      req.on('error', (e: NodeJS.ErrnoException) => {
        clearTimeout(timer);
        fail(e.code ?? e.message);
      });
      req.end(payload);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}

const tokens = new Map<string, Promise<string>>();

/** A bearer token for a tenant and role, signed with the service's secret (valid for 6 hours). */
export function token(tenant: string, role: 'admin' | 'manager' | 'agent' | 'viewer' = 'admin'): Promise<string> {
  const key = `${tenant}|${role}`;
  let t = tokens.get(key);
  if (!t) {
    const now = Math.floor(Date.now() / 1000);
    t = new SignJWT({ tenant_id: tenant, role })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(`${role}-reliability`)
      .setIssuedAt(now)
      .setExpirationTime(now + 6 * 3600)
      .sign(new TextEncoder().encode(JWT_SECRET));
    tokens.set(key, t);
  }
  return t;
}

/** A 503 as API.md §1 promises: problem+json, code SERVICE_UNAVAILABLE, Retry-After, no driver text. */
export function isProperUnavailable(r: Reply): boolean {
  if (r.status !== 503) return false;
  if (!String(r.headers['content-type'] ?? '').startsWith('application/problem+json')) return false;
  if (!(Number(r.headers['retry-after']) > 0)) return false;
  if (/ECONN|PROTOCOL_|127\.0\.0\.1|sql/i.test(r.body)) return false;
  try {
    return r.json().code === 'SERVICE_UNAVAILABLE';
  } catch {
    return false;
  }
}
