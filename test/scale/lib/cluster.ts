import { freePort } from '../../reliability/lib/env';
import { Call, Http, NoReply, Reply } from '../../reliability/lib/http';
import { Service } from '../../reliability/lib/service';
import { ENTRY, OUT_DIR, SERVICE_PORTS } from './env';

/** One request's fate: the instance it went to, and its answer or why there was none. */
export interface Sent {
  instance: number;
  t0: number;
  t1: number;
  reply?: Reply;
  noReply?: NoReply;
}

/**
 * Instances of the built service on one database and one Redis, and a client that spreads requests
 * round-robin across them, as a load balancer without health checks would (a dead instance keeps
 * getting its share: what it answers, or does not, is measured).
 */
export class Cluster {
  private turn = 0;

  private constructor(
    readonly instances: Service[],
    private readonly clients: Http[],
  ) {}

  /**
   * Starts `n` instances: the first alone (it runs the migrations at its start, as the reliability
   * harness's service does), then the others at once.
   */
  static async start(n: number, databaseUrl: string, env: Record<string, string>, sockets = 32): Promise<Cluster> {
    const ports: number[] = [];
    for (let i = 0; i < n; i++) ports.push(await freePort(SERVICE_PORTS, `instance ${i + 1}`, ports));
    const start = (i: number) => Service.start(`instance-${i + 1}`, ports[i], databaseUrl, env, { entry: ENTRY, logDir: OUT_DIR });
    const first = await start(0);
    const others = await Promise.allSettled(ports.slice(1).map((_, i) => start(i + 1)));
    const failed = others.find((o): o is PromiseRejectedResult => o.status === 'rejected');
    const started = [first, ...others.flatMap((o) => (o.status === 'fulfilled' ? [o.value] : []))];
    if (failed) {
      await Promise.all(started.map((s) => s.stop()));
      throw failed.reason;
    }
    return new Cluster(
      started,
      started.map((s) => new Http(s.port, sockets)),
    );
  }

  get size(): number {
    return this.instances.length;
  }

  /** The next instance in turn. */
  send(call: Call): Promise<Sent> {
    const instance = this.turn;
    this.turn = (this.turn + 1) % this.size;
    return this.sendTo(instance, call);
  }

  async sendTo(instance: number, call: Call): Promise<Sent> {
    const t0 = Date.now();
    try {
      const reply = await this.clients[instance].call(call);
      return { instance, t0, t1: Date.now(), reply };
    } catch (e) {
      if (!(e instanceof NoReply)) throw e;
      return { instance, t0, t1: Date.now(), noReply: e };
    }
  }

  async stop(): Promise<void> {
    this.clients.forEach((c) => c.close());
    await Promise.all(this.instances.map((s) => s.stop()));
  }
}

/** Runs `count` tasks with at most `concurrency` at once; resolves with their results in order. */
export async function pool<T>(count: number, concurrency: number, task: (i: number) => Promise<T>): Promise<T[]> {
  const results: T[] = new Array(count);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, count) }, async () => {
      while (next < count) {
        const i = next++;
        results[i] = await task(i);
      }
    }),
  );
  return results;
}

/** Statuses counted: `{ 200: 12, 429: 3, none: 1 }` (none: no HTTP answer). */
export const tally = (sent: Sent[]): Record<string, number> =>
  sent.reduce<Record<string, number>>((m, s) => {
    const k = s.reply ? String(s.reply.status) : 'none';
    return { ...m, [k]: (m[k] ?? 0) + 1 };
  }, {});
