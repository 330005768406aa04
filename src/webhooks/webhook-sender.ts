import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import { CheckedTarget } from './target-guard';

/** How much of an answer is read before the connection is dropped. */
export const RESPONSE_CAP_BYTES = 64 * 1024;
/** How much of an answer's body is kept in `last_error`. */
const SNIPPET_CHARS = 200;

export interface AttemptResult {
  /** The answer's status, when one came. */
  statusCode: number | null;
  /** Set unless the answer was a 2xx: what went wrong, for `last_error`. */
  error: string | null;
}

/**
 * One POST of a delivery to a checked target: connects to the checked address only (the host name is
 * kept for the Host header, TLS SNI and certificate check), follows no redirect (a 3xx is a failure
 * like any non-2xx), gives up after `timeoutMs` in all, and reads at most RESPONSE_CAP_BYTES of the
 * answer before dropping the connection. Never throws.
 */
export function postWebhook(target: CheckedTarget, headers: Record<string, string>, body: string, timeoutMs: number): Promise<AttemptResult> {
  return new Promise((resolve) => {
    let settled = false;
    const finish = (result: AttemptResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(result);
    };
    const pinned: LookupFunction = (_hostname, options, callback) => {
      if ((options as { all?: boolean }).all)
        (callback as unknown as (e: null, a: { address: string; family: number }[]) => void)(null, [{ address: target.address, family: target.family }]);
      else callback(null, target.address, target.family);
    };
    const { url } = target;
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const req = send(
      {
        protocol: url.protocol,
        hostname: url.hostname.replace(/^\[(.*)\]$/, '$1'),
        port: url.port || undefined,
        path: `${url.pathname}${url.search}`,
        method: 'POST',
        headers: { ...headers, 'content-length': String(Buffer.byteLength(body)), 'user-agent': 'sales-customization-webhooks' },
        lookup: pinned,
        agent: false,
      },
      (res) => {
        const status = res.statusCode ?? 0;
        const chunks: Buffer[] = [];
        let size = 0;
        const done = () => {
          const ok = status >= 200 && status < 300;
          const snippet = Buffer.concat(chunks).toString('utf8').slice(0, SNIPPET_CHARS).replace(/\s+/g, ' ').trim();
          finish({ statusCode: status, error: ok ? null : `HTTP ${status}${snippet ? `: ${snippet}` : ''}` });
          res.destroy();
        };
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (chunks.reduce((n, c) => n + c.length, 0) < SNIPPET_CHARS * 4) chunks.push(chunk);
          if (size >= RESPONSE_CAP_BYTES) done();
        });
        res.on('end', done);
        res.on('error', done);
      },
    );
    const timer = setTimeout(() => {
      finish({ statusCode: null, error: `no answer within ${timeoutMs} ms` });
      req.destroy();
    }, timeoutMs);
    req.on('error', (error: NodeJS.ErrnoException) => finish({ statusCode: null, error: `connection failed: ${error.code ?? error.message}` }));
    req.end(body);
  });
}
