import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';

/**
 * A receiver of the service's webhooks on 127.0.0.1, as another service of the ERP would write one:
 * it verifies each delivery's Standard Webhooks signature and keeps one copy per `webhook-id` (the
 * idempotency key: a retry carries the same id). The multi-instance scenario of the outbox
 * (test/scale/multi-instance.scale-spec.ts, "webhooks") subscribes it and counts what arrived.
 */

export interface WebhookHeaders {
  id: string;
  timestamp: string;
  signature: string;
}

/** Why a delivery's signature does not hold, or undefined when it does. */
export type SignatureProblem = 'missing headers' | 'bad secret' | 'stale timestamp' | 'bad signature';

/** The key of a `whsec_` secret: the bytes of its base64 part. */
export function secretKey(secret: string): Buffer | undefined {
  const match = /^whsec_([A-Za-z0-9+/]+={0,2})$/.exec(secret);
  if (!match) return undefined;
  const key = Buffer.from(match[1], 'base64');
  return key.length > 0 ? key : undefined;
}

/** `v1,` + base64 HMAC-SHA256 of `${id}.${timestamp}.${body}` under the secret's key. */
export function sign(secret: string, id: string, timestamp: string, body: string): string {
  const key = secretKey(secret);
  if (!key) throw new Error('a webhook secret is whsec_ followed by base64');
  return `v1,${createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64')}`;
}

/**
 * Checks a delivery as Standard Webhooks receivers do: the timestamp within `toleranceSeconds` of
 * `nowSeconds`, and one of the space-separated `v1,` signatures equal (in constant time) to ours.
 */
export function verify(
  secret: string,
  headers: Partial<WebhookHeaders>,
  body: string,
  nowSeconds = Math.floor(Date.now() / 1000),
  toleranceSeconds = 300,
): SignatureProblem | undefined {
  const { id, timestamp, signature } = headers;
  if (!id || !timestamp || !signature) return 'missing headers';
  if (!secretKey(secret)) return 'bad secret';
  if (!/^\d+$/.test(timestamp) || Math.abs(nowSeconds - Number(timestamp)) > toleranceSeconds) return 'stale timestamp';
  const expected = Buffer.from(sign(secret, id, timestamp, body).slice(3), 'base64');
  for (const candidate of signature.split(' ')) {
    const [version, value] = candidate.split(',', 2);
    if (version !== 'v1' || !value) continue;
    const given = Buffer.from(value, 'base64');
    if (given.length === expected.length && timingSafeEqual(given, expected)) return undefined;
  }
  return 'bad signature';
}

export interface Delivery {
  id: string;
  timestamp: string;
  body: string;
  /** The parsed body: `{ type, timestamp, data }`. */
  json: { type: string; timestamp: string; data: Record<string, unknown> };
}

export class WebhookReceiver {
  /** One entry per webhook-id: the first delivery with a valid signature. */
  readonly unique = new Map<string, Delivery>();
  /** Every delivery answered 2xx, duplicates included. */
  readonly accepted: Delivery[] = [];
  /** Deliveries refused for their signature (answered 401), with the reason. */
  readonly rejected: { id?: string; problem: SignatureProblem }[] = [];
  /** Deliveries answered 500 on purpose (failFirst). */
  readonly failed: string[] = [];
  private readonly failuresLeft = new Map<string, number>();
  private server?: Server;
  port = 0;

  /**
   * @param secret the subscription's secret (`whsec_…`)
   * @param failFirst how many times to answer 500 to a webhook-id before taking it (its retries must then arrive)
   */
  constructor(
    private readonly secret: string,
    private readonly failFirst: (id: string) => number = () => 0,
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}/hooks`;
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as { port: number }).port;
    return this;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const header = (name: string) => (typeof req.headers[name] === 'string' ? (req.headers[name] as string) : undefined);
    const headers = { id: header('webhook-id'), timestamp: header('webhook-timestamp'), signature: header('webhook-signature') };
    const problem = req.method === 'POST' ? verify(this.secret, headers, body) : 'missing headers';
    if (problem) {
      this.rejected.push({ id: headers.id, problem });
      res.writeHead(401).end();
      return;
    }
    const id = headers.id!;
    let json: Delivery['json'];
    try {
      json = JSON.parse(body) as Delivery['json'];
    } catch {
      res.writeHead(400).end();
      return;
    }
    const left = this.failuresLeft.get(id) ?? this.failFirst(id);
    if (left > 0) {
      this.failuresLeft.set(id, left - 1);
      this.failed.push(id);
      res.writeHead(500).end();
      return;
    }
    this.failuresLeft.set(id, 0);
    const delivery: Delivery = { id, timestamp: headers.timestamp!, body, json };
    this.accepted.push(delivery);
    if (!this.unique.has(id)) this.unique.set(id, delivery);
    res.writeHead(204).end();
  }
}

/** The receiver the multi-instance webhook scenario subscribes, listening: its secret is the subscription's. */
export function startWebhookReceiver(secret: string, failFirst?: (webhookId: string) => number): Promise<WebhookReceiver> {
  return new WebhookReceiver(secret, failFirst).start();
}
