import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import Redis from 'ioredis';

const run = promisify(execFile);

/** PING within 2 s, or an error saying which Redis did not answer. */
export async function pingRedis(url: string): Promise<void> {
  const client = new Redis(url, { lazyConnect: true, connectTimeout: 2000, maxRetriesPerRequest: 0, retryStrategy: () => null });
  client.on('error', () => undefined);
  try {
    await client.connect();
    if ((await client.ping()) !== 'PONG') throw new Error('PING did not answer PONG');
  } catch (e) {
    throw new Error(`Redis at ${url} does not answer: ${(e as Error).message}`, { cause: e });
  } finally {
    client.disconnect();
  }
}

/** A throwaway redis-server on 127.0.0.1:port (no persistence), daemonized; its pid in dir/redis.pid. */
export async function startRedis(port: number, dir: string): Promise<string> {
  mkdirSync(dir, { recursive: true });
  try {
    await run('redis-server', ['--version']);
  } catch {
    throw new Error('redis-server is not installed: apt-get install -y redis-server (or set SCALE_REDIS_URL to a running Redis)');
  }
  await run('redis-server', [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--save',
    '',
    '--appendonly',
    'no',
    '--daemonize',
    'yes',
    '--dir',
    dir,
    '--pidfile',
    join(dir, 'redis.pid'),
    '--logfile',
    join(dir, 'redis.log'),
  ]);
  const url = `redis://127.0.0.1:${port}`;
  const started = Date.now();
  for (;;) {
    try {
      await pingRedis(url);
      return url;
    } catch (e) {
      if (Date.now() - started > 10_000) throw e;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

/** Stops the redis-server startRedis started (by its pid file). */
export function stopRedis(dir: string): void {
  try {
    process.kill(Number(readFileSync(join(dir, 'redis.pid'), 'utf8').trim()), 'SIGTERM');
  } catch {
    // not running
  }
}
