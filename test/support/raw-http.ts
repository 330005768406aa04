import { connect } from 'node:net';
import { TestResponse } from './app';

/**
 * Sends bytes as they are over a TCP socket and reads the answer until the server closes the
 * connection (or `waitMs` passes): for what `inject` cannot send, because it never goes through
 * Node's HTTP parser (control characters in headers, raw non-ASCII in the URL, oversized headers).
 */
export function rawHttp(port: number, request: string | Buffer, waitMs = 5000): Promise<TestResponse & { raw: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    const done = () => {
      clearTimeout(timer);
      const raw = Buffer.concat(chunks).toString('utf8');
      const split = raw.indexOf('\r\n\r\n');
      if (split === -1) return reject(new Error(`no HTTP answer: ${JSON.stringify(raw.slice(0, 200))}`));
      const [statusLine, ...lines] = raw.slice(0, split).split('\r\n');
      const headers: Record<string, string> = {};
      for (const line of lines) {
        const colon = line.indexOf(':');
        headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
      }
      const body = raw.slice(split + 4);
      resolve({ raw, statusCode: Number(statusLine.split(' ')[1]), headers, body, json: () => JSON.parse(body) });
    };
    const timer = setTimeout(() => socket.destroy(), waitMs);
    socket.on('data', (chunk) => chunks.push(chunk));
    // The server may reset the connection after answering: what arrived is the answer.
    socket.on('error', () => undefined);
    socket.on('close', done);
    socket.write(request);
  });
}
