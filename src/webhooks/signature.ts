import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Standard Webhooks signing (https://www.standardwebhooks.com): a secret is `whsec_` followed by the
 * base64 of 24 to 64 random bytes; the signature of a delivery is `v1,` + base64 of HMAC-SHA256, keyed by
 * those bytes, over `${webhook-id}.${webhook-timestamp}.${body}`. Pure functions: the relay signs with
 * them and receivers verify with `verifyWebhook` (exported by the package; docs/webhooks.md).
 */
export const SECRET_PREFIX = 'whsec_';
export const SECRET_MIN_BYTES = 24;
export const SECRET_MAX_BYTES = 64;
/**
 * What a secret looks like: `whsec_` and padded base64 of 24 to 64 bytes (8 to 20 groups of four
 * characters and an optional last partial group, or 21 groups and at most one more byte).
 */
export const SECRET_PATTERN = /^whsec_(?:(?:[A-Za-z0-9+/]{4}){8,20}(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?|(?:[A-Za-z0-9+/]{4}){21}(?:[A-Za-z0-9+/]{2}==)?)$/;

/** A new secret: 32 random bytes. */
export const generateSecret = (): string => `${SECRET_PREFIX}${randomBytes(32).toString('base64')}`;

/** The HMAC key of a secret; undefined when it is not `whsec_` + base64 of 24..64 bytes. */
export function secretKey(secret: string): Buffer | undefined {
  if (typeof secret !== 'string' || !SECRET_PATTERN.test(secret)) return undefined;
  const key = Buffer.from(secret.slice(SECRET_PREFIX.length), 'base64');
  return key.length >= SECRET_MIN_BYTES && key.length <= SECRET_MAX_BYTES ? key : undefined;
}

/** The `webhook-signature` value of one delivery attempt. */
export function signWebhook(secret: string, id: string, timestamp: number, body: string): string {
  const key = secretKey(secret);
  if (!key) throw new Error('not a webhook secret (whsec_ + base64 of 24 to 64 bytes)');
  return `v1,${createHmac('sha256', key).update(`${id}.${timestamp}.${body}`, 'utf8').digest('base64')}`;
}

/** Headers as Node, Fetch or a plain object hold them. */
export type WebhookHeaders = Record<string, string | string[] | undefined> | { get(name: string): string | null };

function header(headers: WebhookHeaders, name: string): string | undefined {
  if (typeof (headers as { get?: unknown }).get === 'function') return (headers as { get(name: string): string | null }).get(name) ?? undefined;
  const plain = headers as Record<string, string | string[] | undefined>;
  const key = Object.keys(plain).find((k) => k.toLowerCase() === name);
  const value = key === undefined ? undefined : plain[key];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * For receivers: whether a request is a genuine delivery signed with `secret`, sent at most
 * `toleranceSeconds` from now (either way; default 5 minutes) so that a captured request cannot be
 * replayed later. `body` is the raw request body, exactly as received (before any JSON parsing).
 * `webhook-signature` may carry several space-separated signatures (during a secret rotation): one
 * matching `v1` signature is enough. Compared in constant time. `nowSeconds` is for tests.
 */
export function verifyWebhook(
  secret: string,
  headers: WebhookHeaders,
  body: string | Buffer,
  toleranceSeconds = 300,
  nowSeconds = Math.floor(Date.now() / 1000),
): boolean {
  const key = secretKey(secret);
  const id = header(headers, 'webhook-id');
  const timestampText = header(headers, 'webhook-timestamp');
  const signatures = header(headers, 'webhook-signature');
  if (!key || !id || !timestampText || !signatures || !/^\d{1,15}$/.test(timestampText)) return false;
  const timestamp = Number(timestampText);
  if (Math.abs(nowSeconds - timestamp) > toleranceSeconds) return false;
  const expected = createHmac('sha256', key)
    .update(`${id}.${timestamp}.`, 'utf8')
    .update(typeof body === 'string' ? Buffer.from(body, 'utf8') : body)
    .digest();
  return signatures.split(' ').some((candidate) => {
    const [version, value] = candidate.split(',', 2);
    if (version !== 'v1' || !value) return false;
    const given = Buffer.from(value, 'base64');
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
}
