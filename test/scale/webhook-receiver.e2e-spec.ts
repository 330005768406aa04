import { sign, verify, WebhookReceiver } from './lib/webhook-receiver';

/**
 * The scale harness's webhook receiver (test/scale/lib/webhook-receiver.ts): its signature check
 * against HMACs computed by hand (openssl, outside this code), and its de-duplication by webhook-id,
 * over real HTTP on 127.0.0.1. Needs no database and no Redis: it runs with `npm test`.
 */

// The Standard Webhooks specification's own example, and one of ours in the body format we send; both
// computed with `printf '%s' "$id.$ts.$body" | openssl dgst -sha256 -mac HMAC -macopt hexkey:<key> -binary | base64`.
const SPEC = {
  secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  id: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
  timestamp: '1614265330',
  body: '{"test": 2432232314}',
  signature: 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
};
const OURS = {
  // base64 of the 32 ASCII bytes "sales-customization-test-secret!"
  secret: 'whsec_c2FsZXMtY3VzdG9taXphdGlvbi10ZXN0LXNlY3JldCE=',
  id: 'evt_42',
  timestamp: '1767225600',
  body: '{"type":"lead.created","timestamp":"2026-01-01T00:00:00.000Z","data":{"lead_id":42}}',
  signature: 'v1,rleNokKc47nIJrPa4tVlxECurEpYm80F1OpyMFKULnk=',
};

describe('webhook signature (Standard Webhooks)', () => {
  it.each([
    ['the specification’s example', SPEC],
    ['our body format', OURS],
  ])('signs as computed by hand: %s', (_name, v) => {
    expect(sign(v.secret, v.id, v.timestamp, v.body)).toBe(v.signature);
    expect(verify(v.secret, v, v.body, Number(v.timestamp))).toBeUndefined();
  });

  it('takes any one valid signature of several, and refuses a changed body, id, timestamp, secret or a stale time', () => {
    const at = Number(OURS.timestamp);
    const other = `v1,${Buffer.alloc(32, 7).toString('base64')}`;
    expect(verify(OURS.secret, { ...OURS, signature: `${other} ${OURS.signature}` }, OURS.body, at)).toBeUndefined();
    expect(verify(OURS.secret, { ...OURS, signature: `v2,${OURS.signature.slice(3)}` }, OURS.body, at)).toBe('bad signature');
    expect(verify(OURS.secret, OURS, OURS.body.replace('42}', '43}'), at)).toBe('bad signature');
    expect(verify(OURS.secret, { ...OURS, id: 'evt_43' }, OURS.body, at)).toBe('bad signature');
    expect(verify(OURS.secret, { ...OURS, timestamp: String(at + 1) }, OURS.body, at)).toBe('bad signature');
    expect(verify(SPEC.secret, OURS, OURS.body, at)).toBe('bad signature');
    expect(verify(OURS.secret, OURS, OURS.body, at + 301)).toBe('stale timestamp');
    expect(verify(OURS.secret, OURS, OURS.body, at - 301)).toBe('stale timestamp');
    expect(verify(OURS.secret, { ...OURS, signature: undefined }, OURS.body, at)).toBe('missing headers');
    expect(verify('not-a-secret', OURS, OURS.body, at)).toBe('bad secret');
  });
});

describe('WebhookReceiver', () => {
  let receiver: WebhookReceiver;
  beforeAll(async () => {
    receiver = await new WebhookReceiver(OURS.secret, (id) => (id === 'evt_flaky' ? 2 : 0)).start();
  });
  afterAll(() => receiver.stop());

  const post = (id: string, body: string, signature?: string, timestamp = String(Math.floor(Date.now() / 1000))) =>
    fetch(receiver.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'webhook-id': id,
        'webhook-timestamp': timestamp,
        'webhook-signature': signature ?? sign(OURS.secret, id, timestamp, body),
      },
      body,
    }).then((r) => r.status);

  it('keeps one copy per webhook-id, refuses bad signatures with 401, and answers 500 as many times as told', async () => {
    const body = (n: number) => JSON.stringify({ type: 'lead.created', timestamp: '2026-01-01T00:00:00.000Z', data: { lead_id: n } });
    expect(await post('evt_1', body(1))).toBe(204);
    expect(await post('evt_1', body(1))).toBe(204); // a retry of a delivery that had arrived
    expect(await post('evt_2', body(2))).toBe(204);
    expect(await post('evt_3', body(3), OURS.signature)).toBe(401);
    expect(await post('evt_flaky', body(4))).toBe(500);
    expect(await post('evt_flaky', body(4))).toBe(500);
    expect(await post('evt_flaky', body(4))).toBe(204);
    expect(await post('evt_flaky', body(4))).toBe(204);

    expect([...receiver.unique.keys()]).toEqual(['evt_1', 'evt_2', 'evt_flaky']);
    expect(receiver.unique.get('evt_2')!.json.data).toEqual({ lead_id: 2 });
    expect(receiver.accepted).toHaveLength(5);
    expect(receiver.rejected).toEqual([{ id: 'evt_3', problem: 'bad signature' }]);
    expect(receiver.failed).toEqual(['evt_flaky', 'evt_flaky']);
  });
});
