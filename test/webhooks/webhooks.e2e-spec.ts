import { getTransactionHostToken, Propagation, TransactionHost } from '@nestjs-cls/transactional';
import { DataSource } from 'typeorm';
import { CUSTOMIZATION_TX } from '../../src/database/transactional';
import { LeadsService } from '../../src/lead-sources/leads.service';
import { TenantScope } from '../../src/tenancy/tenant-scope';
import { verifyWebhook } from '../../src/webhooks/signature';
import { CrossTenantJobs } from '../../src/tenancy/cross-tenant-jobs';
import { WebhookDeliveryEntity } from '../../src/webhooks/webhook-delivery.entity';
import { WebhookDeliveryRepository } from '../../src/webhooks/webhook-delivery.repository';
import { WebhookRelay } from '../../src/webhooks/webhook-relay';
import { Client, startTestApi, TestApi } from '../support/app';
import { isMysql } from '../support/database';
import { metricValue } from '../support/metrics';
import { secrets } from '../support/secrets';
import { newTenantId } from '../support/tenants';
import { eventually, Receiver } from './receiver';

/** Fast retries for tests: the relay polls every 40 ms, waits up to 20 × 2^(n-1) ms, gives up 1.5 s after the first attempt. */
const FAST = {
  WEBHOOKS_ENABLED: 'true',
  WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true',
  WEBHOOK_POLL_INTERVAL_MS: '40',
  WEBHOOK_RETRY_BASE_MS: '20',
  WEBHOOK_RETRY_FOR_MS: '1500',
  WEBHOOK_TIMEOUT_MS: '2000',
};

const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

/**
 * Webhooks from the transactional outbox (docs/webhooks.md), through HTTP on a real database, to a
 * receiver on 127.0.0.1 (private targets allowed in this app's configuration).
 */
describe('webhooks', () => {
  let api: TestApi;
  let receiver: Receiver;
  beforeAll(async () => {
    receiver = await new Receiver().start();
    api = await startTestApi(FAST);
  });
  afterAll(async () => {
    await api?.close();
    await receiver?.stop();
  });

  const admin = (tenant: string): Client => api.as({ tenant, role: 'admin', sub: 'admin-1' });

  /** Creates a subscription to `path` on the receiver and answers it with its (registered) secret. */
  async function subscribe(c: Client, path: string, eventTypes = ['lead.created'], extra: Record<string, unknown> = {}) {
    const res = await c.post('/webhook-subscriptions', { url: receiver.url(path), event_types: eventTypes, ...extra });
    expect(res.statusCode).toBe(201);
    const body = res.json();
    // From here on the secret must never appear in a response or a log line.
    secrets.addLiteral(body.secret, 'a webhook secret');
    return body as { id: number; secret: string; secret_last4: string; version: number };
  }

  const deliveries = async (c: Client, id: number) => (await c.get(`/webhook-subscriptions/${id}/deliveries`)).json().data as Record<string, unknown>[];

  it('delivers a new lead once, signed, with the Standard Webhooks headers and the event as body', async () => {
    const tenant = newTenantId();
    const c = admin(tenant);
    const sub = await subscribe(c, '/one');
    expect(sub.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(sub.secret_last4).toBe(sub.secret.slice(-4));
    const lead = (await c.post('/leads', { source_code: 'WEBSITE', lead_code: 'W-1' })).json();

    await eventually('the delivery', () => receiver.on('/one').length === 1);
    const [got] = receiver.on('/one');
    expect(got.headers['content-type']).toBe('application/json');
    expect(got.headers['webhook-id']).toMatch(/^evt_[0-9a-f]{32}$/);
    expect(Math.abs(Number(got.headers['webhook-timestamp']) - Date.now() / 1000)).toBeLessThan(30);
    expect(got.headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]{43}=$/);
    expect(verifyWebhook(sub.secret, got.headers, got.body, 300)).toBe(true);
    expect(verifyWebhook(sub.secret, got.headers, got.body.replace('W-1', 'W-2'), 300)).toBe(false);
    expect(JSON.parse(got.body)).toEqual({
      type: 'lead.created',
      timestamp: expect.stringMatching(ISO),
      data: {
        tenant_id: tenant,
        actor: 'admin-1',
        occurred_at: JSON.parse(got.body).timestamp,
        lead_id: lead.id,
        lead_code: 'W-1',
        source_code: 'WEBSITE',
        sub_source_code: null,
        channel_code: null,
        campaign_code: null,
        status: 'new',
      },
    });

    await eventually('the delivery log', async () => (await deliveries(c, sub.id))[0]?.status === 'delivered');
    expect(await deliveries(c, sub.id)).toEqual([
      {
        id: expect.any(Number),
        event_id: got.headers['webhook-id'],
        event_type: 'lead.created',
        status: 'delivered',
        attempts: 1,
        last_status_code: 200,
        last_error: null,
        next_attempt_at: null,
        delivered_at: expect.stringMatching(ISO),
        created_at: expect.stringMatching(ISO),
      },
    ]);
    // Nothing more comes: one event, one subscription, one POST.
    await new Promise((r) => setTimeout(r, 200));
    expect(receiver.on('/one')).toHaveLength(1);
  });

  it('sends only the event types a subscription lists, and nothing to an inactive one', async () => {
    const tenant = newTenantId();
    const c = admin(tenant);
    await subscribe(c, '/typed', ['lead.converted']);
    await subscribe(c, '/inactive', ['lead.created', 'lead.converted'], { active: false });
    await c.post('/leads', { source_code: 'WEBSITE' });
    await c.post('/leads', { source_code: 'WEBSITE', status: 'converted', converted_value: 10 });
    await eventually('the converted lead', () => receiver.on('/typed').length === 1);
    await new Promise((r) => setTimeout(r, 200));
    expect(receiver.on('/typed').map((r) => JSON.parse(r.body).type)).toEqual(['lead.converted']);
    expect(receiver.on('/inactive')).toEqual([]);
  });

  it('writes no event for a write that rolls back or fails', async () => {
    const tenant = newTenantId();
    const c = admin(tenant);
    await subscribe(c, '/rollback');
    const scope = api.app.get(TenantScope);
    const leads = api.app.get(LeadsService);
    const txHost = api.app.get<TransactionHost>(getTransactionHostToken(CUSTOMIZATION_TX));
    await expect(
      scope.run(tenant, () =>
        txHost.withTransaction(async () => {
          await leads.create({ source_code: 'WEBSITE', lead_code: 'GONE' });
          throw new Error('the write gives up');
        }),
      ),
    ).rejects.toThrow('the write gives up');
    // A savepoint that rolls back takes its events with it; the rest of its transaction keeps theirs.
    await scope.run(tenant, () =>
      txHost.withTransaction(async () => {
        await leads.create({ source_code: 'WEBSITE', lead_code: 'OUTER' });
        await expect(
          txHost.withTransaction(Propagation.Nested, async () => {
            await leads.create({ source_code: 'WEBSITE', lead_code: 'INNER' });
            throw new Error('inner gives up');
          }),
        ).rejects.toThrow('inner gives up');
        await txHost.withTransaction(Propagation.Nested, () => leads.create({ source_code: 'EMAIL', lead_code: 'INNER-KEPT' }));
        // A later sibling savepoint that rolls back drops its own events only, not the released one's.
        await expect(
          txHost.withTransaction(Propagation.Nested, async () => {
            await leads.create({ source_code: 'WEBSITE', lead_code: 'INNER-AFTER' });
            throw new Error('the sibling gives up');
          }),
        ).rejects.toThrow('the sibling gives up');
      }),
    );
    // The released savepoint's audit entry stayed too (BeforeCommit, like the outbox rows).
    const kept = await api.app
      .get(DataSource)
      .query("SELECT COUNT(*) AS n FROM audit_log WHERE tenant_id = ? AND entity_type = 'lead' AND action = 'create'", [tenant]);
    expect(Number(kept[0].n)).toBe(2);
    await c.post('/leads', { source_code: 'WEBSITE', lead_code: 'DUP' });
    expect((await c.post('/leads', { source_code: 'WEBSITE', lead_code: 'DUP' })).statusCode).toBe(409);
    await c.post('/leads', { source_code: 'WEBSITE', lead_code: 'LAST' });
    await eventually('the committed leads', () => receiver.on('/rollback').length === 4);
    await new Promise((r) => setTimeout(r, 200));
    // Deliveries claimed in one pass go out at once: their order is not kept.
    expect(
      receiver
        .on('/rollback')
        .map((r) => JSON.parse(r.body).data.lead_code)
        .sort(),
    ).toEqual(['DUP', 'INNER-KEPT', 'LAST', 'OUTER']);
    const outbox = await api.app.get(DataSource).query('SELECT COUNT(*) AS n FROM event_outbox WHERE tenant_id = ?', [tenant]);
    expect(Number(outbox[0].n)).toBe(0);
  });

  /** The value of a metric line (`name{labels} value`) on /metrics. */
  const metric = async (series: string): Promise<number> => metricValue((await api.raw().get('/metrics')).body, series);

  it('retries a failing receiver with the same webhook-id until it answers 2xx', async () => {
    const tenant = newTenantId();
    const c = admin(tenant);
    const sub = await subscribe(c, '/flaky');
    const counted = async () => ({
      relayed: await metric('webhook_events_relayed_total'),
      retrying: await metric('webhook_attempts_total{outcome="retrying"}'),
      delivered: await metric('webhook_attempts_total{outcome="delivered"}'),
    });
    const before0 = await counted();
    const before = receiver.answer;
    receiver.answer = (r, nth) => (r.path === '/flaky' && nth <= 2 ? 500 : before(r, nth));
    try {
      await c.post('/leads', { source_code: 'WEBSITE' });
      await eventually('the third attempt', () => receiver.on('/flaky').length === 3);
      await eventually('the delivery log', async () => (await deliveries(c, sub.id))[0]?.status === 'delivered');
    } finally {
      receiver.answer = before;
    }
    const attempts = receiver.on('/flaky');
    expect(new Set(attempts.map((r) => r.headers['webhook-id'])).size).toBe(1);
    expect(new Set(attempts.map((r) => r.body)).size).toBe(1);
    for (const r of attempts) expect(verifyWebhook(sub.secret, r.headers, r.body, 300)).toBe(true);
    expect(await deliveries(c, sub.id)).toEqual([expect.objectContaining({ status: 'delivered', attempts: 3, last_status_code: 200, last_error: null })]);
    // /metrics: this process relayed the event and counted its two failed attempts and the delivered one
    // (at least: other tests' deliveries share the process). The outbox drains (this relay takes every
    // event of the database); the due deliveries are a count (other files' leftovers may be among them).
    const after = await counted();
    expect(after.relayed - before0.relayed).toBeGreaterThanOrEqual(1);
    expect(after.retrying - before0.retrying).toBeGreaterThanOrEqual(2);
    expect(after.delivered - before0.delivered).toBeGreaterThanOrEqual(1);
    await eventually('an empty outbox', async () => (await metric('webhook_backlog{queue="outbox"}')) === 0);
    expect(Number.isInteger(await metric('webhook_backlog{queue="due"}'))).toBe(true);
  });

  it('gives up after the retry window: dead, with the last error in the log; the dead are sent again on request', async () => {
    const tenant = newTenantId();
    const c = admin(tenant);
    const sub = await subscribe(c, '/down');
    const before = receiver.answer;
    receiver.answer = (r, nth) => (r.path === '/down' ? 500 : before(r, nth));
    let dead: Record<string, unknown> | undefined;
    try {
      await c.post('/leads', { source_code: 'WEBSITE' });
      await eventually('a dead delivery', async () => ((dead = (await deliveries(c, sub.id))[0]), dead?.status === 'dead'), 15_000);
    } finally {
      receiver.answer = before;
    }
    expect(dead).toEqual(
      expect.objectContaining({ status: 'dead', last_status_code: 500, last_error: 'HTTP 500: receiver says no', next_attempt_at: null, delivered_at: null }),
    );
    expect(dead!.attempts).toBeGreaterThanOrEqual(2);
    expect(receiver.on('/down')).toHaveLength(dead!.attempts as number);
    expect(new Set(receiver.on('/down').map((r) => r.headers['webhook-id'])).size).toBe(1);
    expect((await c.get(`/webhook-subscriptions/${sub.id}/deliveries`, { query: { status: 'dead' } })).json().total).toBe(1);
    expect((await c.get(`/webhook-subscriptions/${sub.id}/deliveries`, { query: { status: 'pending' } })).json().total).toBe(0);

    const retried = await c.post(`/webhook-subscriptions/${sub.id}/deliveries/retry`);
    expect(retried.statusCode).toBe(200);
    expect(retried.json()).toEqual({ retried: 1 });
    await eventually('the redelivery', async () => (await deliveries(c, sub.id))[0]?.status === 'delivered');
    expect(new Set(receiver.on('/down').map((r) => r.headers['webhook-id'])).size).toBe(1);
    expect((await deliveries(c, sub.id))[0]).toMatchObject({ attempts: (dead!.attempts as number) + 1, last_status_code: 200, last_error: null });
    expect((await c.post(`/webhook-subscriptions/${sub.id}/deliveries/retry`)).json()).toEqual({ retried: 0 });
    expect((await c.get('/audit-log', { query: { entity_type: 'webhook_subscription', entity_key: String(sub.id) } })).json().data[0]).toMatchObject({
      action: 'update',
      changes: { dead_deliveries_retried: [null, 1] },
    });
  });

  it('keeps the secret write-only, versions and audits the subscription', async () => {
    const tenant = newTenantId();
    const c = admin(tenant);
    const chosen = `whsec_${Buffer.alloc(32, 9).toString('base64')}`;
    // A secret the client chose is never echoed, not even by the create answer.
    secrets.addLiteral(chosen, 'a chosen webhook secret');
    const created = await c.post('/webhook-subscriptions', { url: receiver.url('/crud'), event_types: ['lead.created'], secret: chosen, description: 'CRM' });
    expect(created.statusCode).toBe(201);
    expect(created.headers.etag).toBe('"1"');
    expect(created.json()).toEqual({
      id: expect.any(Number),
      created_at: expect.stringMatching(ISO),
      updated_at: expect.stringMatching(ISO),
      created_by: 'admin-1',
      updated_by: 'admin-1',
      version: 1,
      url: receiver.url('/crud'),
      event_types: ['lead.created'],
      secret_last4: chosen.slice(-4),
      active: true,
      description: 'CRM',
    });
    const { id } = created.json();
    const got = await c.get(`/webhook-subscriptions/${id}`);
    expect(got.json()).not.toHaveProperty('secret');
    expect(got.json()).not.toHaveProperty('secret_sealed');
    expect(got.headers.etag).toBe('"1"');
    expect((await c.get('/webhook-subscriptions')).json()).toMatchObject({ total: 1, data: [{ id, secret_last4: chosen.slice(-4) }] });

    expect((await c.patch(`/webhook-subscriptions/${id}`, { active: false }, { headers: { 'if-match': '"7"' } })).statusCode).toBe(412);
    const rotated = `whsec_${Buffer.alloc(24, 3).toString('base64')}`;
    secrets.addLiteral(rotated, 'a rotated webhook secret');
    const patched = await c.patch(
      `/webhook-subscriptions/${id}`,
      { secret: rotated, event_types: ['lead.created', 'lead.deleted'] },
      { headers: { 'if-match': '"1"' } },
    );
    expect(patched.statusCode).toBe(200);
    expect(patched.json()).toMatchObject({ version: 2, secret_last4: rotated.slice(-4), event_types: ['lead.created', 'lead.deleted'] });
    expect(patched.json()).not.toHaveProperty('secret');
    expect((await c.patch(`/webhook-subscriptions/${id}`, { secret: 'whsec_c2hvcnQ=' })).statusCode).toBe(400);
    expect((await c.patch(`/webhook-subscriptions/${id}`, { event_types: [] })).statusCode).toBe(400);
    expect((await c.patch(`/webhook-subscriptions/${id}`, { event_types: ['lead.exploded'] })).statusCode).toBe(400);

    const audit = (await c.get('/audit-log', { query: { entity_type: 'webhook_subscription' } })).json().data;
    expect(audit.map((e: { action: string }) => e.action)).toEqual(['update', 'create']);
    expect(JSON.stringify(audit)).not.toContain('whsec_');

    expect((await c.delete(`/webhook-subscriptions/${id}`, { headers: { 'if-match': '"2"' } })).statusCode).toBe(204);
    expect((await c.get(`/webhook-subscriptions/${id}`)).statusCode).toBe(404);
    expect((await c.get(`/webhook-subscriptions/${id}/deliveries`)).statusCode).toBe(404);
  });

  it('is for admins only', async () => {
    const tenant = newTenantId();
    const sub = await subscribe(admin(tenant), '/roles');
    for (const role of ['manager', 'agent', 'viewer'] as const) {
      const c = api.as({ tenant, role });
      for (const res of [
        await c.get('/webhook-subscriptions'),
        await c.post('/webhook-subscriptions', { url: receiver.url('/x'), event_types: ['lead.created'] }),
        await c.get(`/webhook-subscriptions/${sub.id}`),
        await c.patch(`/webhook-subscriptions/${sub.id}`, { active: false }),
        await c.delete(`/webhook-subscriptions/${sub.id}`),
        await c.get(`/webhook-subscriptions/${sub.id}/deliveries`),
        await c.post(`/webhook-subscriptions/${sub.id}/deliveries/retry`),
      ]) {
        expect(res.statusCode).toBe(403);
        expect(res.json().code).toBe('FORBIDDEN');
      }
    }
    expect((await admin(tenant).get(`/webhook-subscriptions/${sub.id}`)).json()).toMatchObject({ version: 1, active: true });
  });

  it("keeps tenants apart: another tenant neither sees nor changes a subscription, nor receives the tenant's events", async () => {
    const owner = newTenantId();
    const other = newTenantId();
    const mine = await subscribe(admin(owner), '/mine');
    const theirs = await subscribe(admin(other), '/theirs');
    // Ids are per tenant: make the other tenant's ids differ from the owner's before addressing them.
    const o = admin(other);
    const foreignId = mine.id === theirs.id ? mine.id + 1 : mine.id;
    if (foreignId !== theirs.id) {
      expect((await o.get(`/webhook-subscriptions/${foreignId}`)).statusCode).toBe(404);
      expect((await o.patch(`/webhook-subscriptions/${foreignId}`, { active: false })).statusCode).toBe(404);
      expect((await o.delete(`/webhook-subscriptions/${foreignId}`)).statusCode).toBe(404);
      expect((await o.get(`/webhook-subscriptions/${foreignId}/deliveries`)).statusCode).toBe(404);
      expect((await o.post(`/webhook-subscriptions/${foreignId}/deliveries/retry`)).statusCode).toBe(404);
    }
    expect((await o.get('/webhook-subscriptions')).json()).toMatchObject({ total: 1, data: [{ id: theirs.id, url: receiver.url('/theirs') }] });
    await admin(owner).post('/leads', { source_code: 'WEBSITE', lead_code: 'OWN' });
    await eventually("the owner's delivery", () => receiver.on('/mine').length === 1);
    await new Promise((r) => setTimeout(r, 200));
    expect(receiver.on('/theirs')).toEqual([]);
    expect((await admin(owner).get(`/webhook-subscriptions/${mine.id}`)).json()).toMatchObject({ version: 1, active: true });
  });

  it('delivers each event once while two relays race on the same outbox', async () => {
    const tenant = newTenantId();
    const c = admin(tenant);
    await subscribe(c, '/race', ['lead.created']);
    // MariaDB/MySQL: a second instance on the same database, relaying on its own timer; SQLite (one
    // process): a second worker in this one. Both also run passes by hand, at once, meanwhile.
    const second = isMysql() ? await startTestApi(FAST) : undefined;
    try {
      const relays = [api.app.get(WebhookRelay), (second ?? api).app.get(WebhookRelay)];
      const count = 40;
      const writes = Array.from({ length: count }, (_, i) => c.post('/leads', { source_code: 'WEBSITE', lead_code: `R-${i}` }));
      const passes = Array.from({ length: 6 }, (_, i) => relays[i % 2].runOnce());
      await Promise.all([...writes, ...passes]);
      await eventually('every event', () => receiver.on('/race').length >= count, 20_000);
      await new Promise((r) => setTimeout(r, 300));
      const ids = receiver.on('/race').map((r) => r.headers['webhook-id']);
      expect(ids).toHaveLength(count);
      expect(new Set(ids).size).toBe(count);
    } finally {
      await second?.close();
    }
  });
});

describe('a claim whose instance died', () => {
  it('expires with its lease: the delivery is tried again by another pass, and the dead claim cannot record a result', async () => {
    const receiver = await new Receiver().start();
    // No relay on a timer here: the passes are made by hand.
    const api = await startTestApi({ ...FAST, WEBHOOKS_ENABLED: 'false' });
    try {
      const tenant = newTenantId();
      const c = api.as({ tenant, role: 'admin' });
      const sub = (await c.post('/webhook-subscriptions', { url: receiver.url('/lease'), event_types: ['lead.created'] })).json();
      secrets.addLiteral(sub.secret, 'a webhook secret');
      const relay = api.app.get(WebhookRelay);
      receiver.answer = (_r, nth) => (nth === 1 ? 500 : 200);
      await c.post('/leads', { source_code: 'WEBSITE' });
      // (On a database other runs left rows in, a pass may also take other tenants' work: only this tenant's is checked.)
      await relay.runOnce();
      expect(receiver.received).toHaveLength(1);
      await new Promise((r) => setTimeout(r, 50)); // past the first retry's wait (at most 20 ms)
      // Another instance claims it, then dies before it records anything.
      const dead = (await api.app.get(CrossTenantJobs).claimDue(WebhookDeliveryEntity, 100, 400)).find((claim) => claim.tenantId === tenant)!;
      expect(dead).toMatchObject({ tenantId: tenant, id: expect.any(Number) });
      await relay.runOnce();
      expect(receiver.received).toHaveLength(1);
      await new Promise((r) => setTimeout(r, 450));
      await relay.runOnce();
      expect(receiver.received).toHaveLength(2);
      expect(receiver.received[1].headers['webhook-id']).toBe(receiver.received[0].headers['webhook-id']);
      const log = (await c.get(`/webhook-subscriptions/${sub.id}/deliveries`)).json().data;
      expect(log).toEqual([expect.objectContaining({ status: 'delivered', attempts: 2, last_status_code: 200 })]);
      // The dead claim's late result changes nothing: its version is no longer the row's.
      const stale = await api.app
        .get(TenantScope)
        .run(tenant, () => api.app.get(WebhookDeliveryRepository).update(dead.id, { status: 'dead', lastError: 'late' }, dead.version));
      expect(stale).toBe(0);
      expect((await c.get(`/webhook-subscriptions/${sub.id}/deliveries`)).json().data[0]).toMatchObject({ status: 'delivered', last_error: null });
    } finally {
      await api.close();
      await receiver.stop();
    }
  });
});

describe('webhook relay shutdown', () => {
  it('awaits the attempt in flight, then sends nothing more', async () => {
    const receiver = await new Receiver().start();
    const api = await startTestApi(FAST);
    try {
      const c = api.as({ tenant: newTenantId(), role: 'admin' });
      const sub = (await c.post('/webhook-subscriptions', { url: receiver.url('/slow'), event_types: ['lead.created'] })).json();
      secrets.addLiteral(sub.secret, 'a webhook secret');
      receiver.delayMs = 400;
      await c.post('/leads', { source_code: 'WEBSITE' });
      await eventually('the attempt in flight', () => receiver.received.length === 1);
      expect(receiver.answeredAt).toEqual([]);
      const relay = api.app.get(WebhookRelay);
      expect(relay.busy).toBe(true);
      await api.close();
      const closedAt = Date.now();
      expect(receiver.answeredAt).toHaveLength(1);
      expect(receiver.answeredAt[0]).toBeLessThanOrEqual(closedAt);
      expect(relay.busy).toBe(false);
      await c.post('/leads', { source_code: 'WEBSITE' }).catch(() => undefined);
      await new Promise((r) => setTimeout(r, 200));
      expect(receiver.received).toHaveLength(1);
    } finally {
      await receiver.stop();
    }
  });
});

describe('webhook targets (private targets not allowed)', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi({ WEBHOOKS_ENABLED: 'false' });
  });
  afterAll(() => api.close());

  it.each([
    ['https://127.0.0.1/hook', 'loopback'],
    ['https://10.1.2.3/hook', 'private'],
    ['https://169.254.169.254/latest/meta-data', 'link-local (metadata service)'],
    ['https://[::1]/hook', 'IPv6 loopback'],
    ['https://[::ffff:127.0.0.1]/hook', 'IPv4-mapped loopback'],
    ['https://localhost/hook', 'a name resolving to loopback'],
    ['https://100.64.0.1/hook', 'carrier-grade NAT'],
    ['https://[fd00::1]/hook', 'unique local'],
  ])('refuses %s (%s) with a 400 naming url', async (url) => {
    const res = await api.as({ tenant: newTenantId(), role: 'admin' }).post('/webhook-subscriptions', { url, event_types: ['lead.created'] });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ field: 'url', message: expect.stringMatching(/public address/) }] });
  });

  it('refuses plain http and URLs with credentials, and the same on PATCH', async () => {
    const c = api.as({ tenant: newTenantId(), role: 'admin' });
    const http = await c.post('/webhook-subscriptions', { url: 'http://93.184.215.14/hook', event_types: ['lead.created'] });
    expect(http.statusCode).toBe(400);
    expect(http.json().errors).toEqual([{ field: 'url', message: 'url must use https' }]);
    const creds = await c.post('/webhook-subscriptions', { url: 'https://user:pw@93.184.215.14/hook', event_types: ['lead.created'] });
    expect(creds.statusCode).toBe(400);
    const ok = await c.post('/webhook-subscriptions', { url: 'https://93.184.215.14/hook', event_types: ['lead.created'] });
    expect(ok.statusCode).toBe(201);
    secrets.addLiteral(ok.json().secret, 'a webhook secret');
    const patch = await c.patch(`/webhook-subscriptions/${ok.json().id}`, { url: 'https://192.168.1.10/hook' });
    expect(patch.statusCode).toBe(400);
    expect(patch.json().errors[0].field).toBe('url');
  });
});
