import { generateSecret, SECRET_PATTERN, secretKey, signWebhook, verifyWebhook } from './signature';

/**
 * The example below was computed by hand, outside this code (Python's hmac over the bytes 0..31):
 * secret whsec_ + base64(00 01 02 … 1f), id evt_0123456789abcdef0123456789abcdef, timestamp 1764950400,
 * body {"type":"lead.created"}.
 */
const SECRET = 'whsec_AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=';
const ID = 'evt_0123456789abcdef0123456789abcdef';
const TS = 1764950400;
const BODY = '{"type":"lead.created"}';
const SIGNATURE = 'v1,c1q5f4u/1WxW9Spm60Er9CU6MmwzRd1pGVTiVuCgImQ=';
const headers = (signature = SIGNATURE, timestamp = String(TS)) => ({ 'webhook-id': ID, 'webhook-timestamp': timestamp, 'webhook-signature': signature });

describe('webhook signatures (Standard Webhooks)', () => {
  it('signs the hand-computed example', () => {
    expect(signWebhook(SECRET, ID, TS, BODY)).toBe(SIGNATURE);
  });

  it('verifies the example within the tolerance, from headers as Node, Fetch or any case give them', () => {
    expect(verifyWebhook(SECRET, headers(), BODY, 300, TS + 299)).toBe(true);
    expect(verifyWebhook(SECRET, headers(), Buffer.from(BODY), 300, TS - 299)).toBe(true);
    expect(verifyWebhook(SECRET, { 'Webhook-Id': ID, 'Webhook-Timestamp': String(TS), 'Webhook-Signature': SIGNATURE }, BODY, 300, TS)).toBe(true);
    expect(verifyWebhook(SECRET, new Headers(headers()), BODY, 300, TS)).toBe(true);
    // Several signatures (a rotation): one valid v1 is enough.
    expect(verifyWebhook(SECRET, headers(`v1,AAAA v1a,xyz ${SIGNATURE}`), BODY, 300, TS)).toBe(true);
  });

  it('refuses a changed body, id, timestamp, secret, an old or future timestamp, and malformed headers', () => {
    expect(verifyWebhook(SECRET, headers(), `${BODY} `, 300, TS)).toBe(false);
    expect(verifyWebhook(SECRET, { ...headers(), 'webhook-id': `${ID}0` }, BODY, 300, TS)).toBe(false);
    expect(verifyWebhook(SECRET, headers(SIGNATURE, String(TS + 1)), BODY, 300, TS)).toBe(false);
    expect(verifyWebhook(generateSecret(), headers(), BODY, 300, TS)).toBe(false);
    expect(verifyWebhook(SECRET, headers(), BODY, 300, TS + 301)).toBe(false);
    expect(verifyWebhook(SECRET, headers(), BODY, 300, TS - 301)).toBe(false);
    expect(verifyWebhook(SECRET, headers('v2,c1q5f4u/1WxW9Spm60Er9CU6MmwzRd1pGVTiVuCgImQ='), BODY, 300, TS)).toBe(false);
    expect(verifyWebhook(SECRET, headers(SIGNATURE, '1764950400.5'), BODY, 300, TS)).toBe(false);
    expect(verifyWebhook(SECRET, { 'webhook-id': ID, 'webhook-timestamp': String(TS) }, BODY, 300, TS)).toBe(false);
    expect(verifyWebhook('not-a-secret', headers(), BODY, 300, TS)).toBe(false);
  });

  it('takes secrets of 24 to 64 bytes only, and generates 32-byte ones', () => {
    expect(secretKey(SECRET)).toEqual(Buffer.from(Array.from({ length: 32 }, (_, i) => i)));
    expect(secretKey(`whsec_${Buffer.alloc(23).toString('base64')}`)).toBeUndefined();
    expect(secretKey(`whsec_${Buffer.alloc(24).toString('base64')}`)).toHaveLength(24);
    expect(secretKey(`whsec_${Buffer.alloc(64).toString('base64')}`)).toHaveLength(64);
    expect(secretKey(`whsec_${Buffer.alloc(65).toString('base64')}`)).toBeUndefined();
    expect(secretKey('whsec_!!!!')).toBeUndefined();
    expect(secretKey(`whsec_${Buffer.alloc(64).toString('base64')}x`)).toBeUndefined();
    for (let n = 24; n <= 64; n++) expect(SECRET_PATTERN.test(`whsec_${Buffer.alloc(n, n).toString('base64')}`)).toBe(true);
    for (const n of [1, 23, 65, 66]) expect(SECRET_PATTERN.test(`whsec_${Buffer.alloc(n, n).toString('base64')}`)).toBe(false);
    expect(secretKey(generateSecret())).toHaveLength(32);
    expect(generateSecret()).not.toBe(generateSecret());
  });
});
