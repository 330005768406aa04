import { randomBytes } from 'node:crypto';
import { Call, token } from '../reliability/lib/http';
import { metricValue } from '../support/metrics';
import { Cluster, pool, Sent, tally } from './lib/cluster';
import { figures, published, RATE_LIMIT } from './lib/env';
import { startWebhookReceiver, WebhookReceiver } from './lib/webhook-receiver';

/**
 * The multi-instance proof: three instances of the built service on one MariaDB and one Redis, the
 * client spreading its requests round-robin across them. Each scenario uses tenants of its own (each
 * tenant's rate limit, RATE_LIMIT per minute, is counted in Redis over the three instances): the rate
 * limit holds in total; a new tenant's racing first requests seed it once; every acknowledged write is
 * stored once; every outbox event reaches a webhook receiver once after de-duplication, signed, its
 * retries included; one instance killed mid-load leaves the others serving. The last scenario kills an
 * instance: it runs last.
 */
const L = RATE_LIMIT;
const tenantId = (scenario: string) => `scale-${scenario}-${randomBytes(4).toString('hex')}`;
const ok = (s: Sent, ...statuses: number[]) => s.reply !== undefined && statuses.includes(s.reply.status);
const describeSent = (s: Sent) => `instance ${s.instance + 1}: ${s.reply ? `${s.reply.status} ${s.reply.body.slice(0, 200)}` : s.noReply!.message}`;
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('three instances, one MariaDB, one Redis', () => {
  let cluster: Cluster;
  const tokens = new Map<string, string>();
  const as = async (tenant: string, call: Call): Promise<Call> => {
    if (!tokens.has(tenant)) tokens.set(tenant, await token(tenant));
    return { ...call, token: tokens.get(tenant) };
  };

  beforeAll(async () => {
    const { databaseUrl, redisUrl } = published();
    const started = Date.now();
    cluster = await Cluster.start(3, databaseUrl, {
      RATE_LIMIT_PER_MINUTE: String(L),
      REDIS_URL: redisUrl,
      // Every instance relays the outbox (the server's default), to a receiver on loopback, polling and
      // retrying fast so that the scenario's retries happen within seconds; nothing goes dead in a run.
      WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true',
      WEBHOOK_POLL_INTERVAL_MS: '50',
      WEBHOOK_RETRY_BASE_MS: '20',
      WEBHOOK_RETRY_FOR_MS: '120000',
      WEBHOOK_TIMEOUT_MS: '2000',
    });
    figures('start', { instances: cluster.size, ports: cluster.instances.map((s) => s.port).join(' '), 'started in': seconds(Date.now() - started) });
  });
  afterAll(() => cluster?.stop());

  /** Every row of a tenant's list (of a configuration resource: deleted and inactive ones included), read through one instance. */
  const everything = async (tenant: string, path: string, instance = 0): Promise<Record<string, unknown>[]> => {
    const query = path === '/leads' ? 'limit=500' : 'include_deleted=true&include_inactive=true&limit=500';
    const sent = await cluster.sendTo(instance, await as(tenant, { path: `${path}?${query}` }));
    if (!ok(sent, 200)) throw new Error(`GET ${path}: ${describeSent(sent)}`);
    const page = sent.reply!.json<{ data: Record<string, unknown>[]; total: number }>();
    expect(page.total).toBe(page.data.length);
    return page.data;
  };

  it(`(a) holds the rate limit in total: a burst of ${3 * L} requests of one tenant over the three instances gets exactly ${L} answers that are not 429`, async () => {
    const tenant = tenantId('limit');
    const call = await as(tenant, { path: '/lead-sources' });
    const started = Date.now();
    const sent = await pool(3 * L, 30, () => cluster.send(call));
    const ms = Date.now() - started;
    const counts = tally(sent);
    const perInstance = [0, 1, 2].map((i) => sent.filter((s) => s.instance === i && s.reply?.status === 200).length);
    figures('a rate limit', {
      requests: sent.length,
      limit: L,
      '200': counts['200'] ?? 0,
      '429': counts['429'] ?? 0,
      'answered 200 by instance': perInstance.join('/'),
      time: seconds(ms),
    });
    // Redis counts every hit with one atomic script: no slack. Every answer is a 200 or a 429.
    expect(counts).toEqual({ 200: L, 429: 2 * L });
    const limited = sent.find((s) => s.reply?.status === 429)!.reply!;
    expect(limited.json()).toMatchObject({ code: 'RATE_LIMITED' });
    expect(Number(limited.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    // Spread: each instance answered some of the tenant's allowance.
    expect(perInstance.every((n) => n > 0)).toBe(true);
    // Counted in Redis by every instance, none fell back to its own counters.
    for (let i = 0; i < cluster.size; i++) {
      const scrape = await cluster.sendTo(i, { path: '/metrics' });
      expect(scrape.reply?.body).toMatch(/^rate_limit_shared_storage_in_use 1$/m);
      expect(scrape.reply?.body).toMatch(/^rate_limit_storage_fallbacks_total 0$/m);
    }
  });

  it('(b) seeds a brand-new tenant once when its first 30 requests race on all three instances', async () => {
    const tenant = tenantId('seed');
    const first: Call[] = [
      { path: '/lead-sources' },
      { path: '/milestone-types' },
      { path: '/campaign-types' },
      { path: '/lead-channels' },
      { method: 'POST', path: '/leads', body: { source_code: 'WEBSITE' } },
    ];
    const calls = await Promise.all(Array.from({ length: 30 }, (_, i) => as(tenant, first[i % first.length])));
    const started = Date.now();
    // 10 per instance, all at once.
    const sent = await Promise.all(calls.map((c, i) => cluster.sendTo(i % 3, c)));
    const ms = Date.now() - started;
    figures('b first requests', { requests: sent.length, answers: JSON.stringify(tally(sent)), time: seconds(ms) });
    expect(sent.filter((s) => !ok(s, 200, 201)).map(describeSent)).toEqual([]);

    const codes = async (path: string, field: string, instance: number) => (await everything(tenant, path, instance)).map((r) => r[field]).sort();
    expect(await codes('/lead-sources', 'source_code', 0)).toEqual(['EMAIL', 'REFERRAL', 'SOCIAL', 'UNMAPPED', 'WEBSITE']);
    expect(await codes('/lead-sources/SOCIAL/subsources', 'sub_source_code', 1)).toEqual(['FACEBOOK', 'LINKEDIN']);
    expect(await codes('/lead-channels', 'channel_code', 2)).toEqual(['DIRECT', 'ORGANIC', 'PAID', 'REFERRAL']);
    expect(await codes('/milestone-types', 'type_code', 0)).toEqual(['CONTACTED', 'CONVERTED', 'LEAD_GENERATED', 'PROPOSAL_SENT', 'SITE_VISIT']);
    expect(await codes('/campaign-types', 'type_code', 1)).toEqual(['EMAIL_BLAST', 'SEO_CAMPAIGN', 'SOCIAL_ADS']);
    expect(await codes('/campaign-channels', 'channel_code', 2)).toEqual(['EMAIL', 'FACEBOOK', 'GOOGLE_ADS']);
    expect(await codes('/campaign-statuses', 'status_code', 0)).toEqual(['ACTIVE', 'COMPLETED', 'DRAFT', 'PAUSED']);
    expect(await codes('/campaign-budget-types', 'budget_type_code', 1)).toEqual(['PER_CHANNEL', 'TOTAL', 'VARIABLE']);
    // The six leads of the race, each once, with distinct ids.
    const leadIds = sent.filter((s) => s.reply?.status === 201).map((s) => s.reply!.json<{ id: number }>().id);
    expect(new Set(leadIds).size).toBe(6);
    expect((await everything(tenant, '/leads', 2)).map((l) => l.id).sort()).toEqual([...leadIds].sort());
  });

  it('(c) stores every acknowledged write exactly once: concurrent lead creations across the instances, read back one by one', async () => {
    const tenants = Array.from({ length: 6 }, () => tenantId('writes'));
    const PER_TENANT = 30;
    const creates = await Promise.all(
      Array.from({ length: tenants.length * PER_TENANT }, (_, i) =>
        as(tenants[i % tenants.length], { method: 'POST', path: '/leads', body: { lead_code: `C-${i}`, source_code: 'WEBSITE' } }),
      ),
    );
    const started = Date.now();
    const sent = await pool(creates.length, 30, (i) => cluster.send(creates[i]));
    // The same code created on all three instances at once, twice each: one wins.
    const races = await Promise.all(
      tenants.map(async (tenant) => {
        const call = await as(tenant, { method: 'POST', path: '/leads', body: { lead_code: 'RACE', source_code: 'WEBSITE' } });
        return Promise.all(Array.from({ length: 6 }, (_, i) => cluster.sendTo(i % 3, call)));
      }),
    );
    const ms = Date.now() - started;
    expect(sent.filter((s) => !ok(s, 201)).map(describeSent)).toEqual([]);
    for (const race of races) {
      expect(tally(race)).toEqual({ 201: 1, 409: 5 });
      for (const s of race.filter((x) => x.reply!.status === 409)) expect(s.reply!.json()).toMatchObject({ code: 'DUPLICATE_CODE' });
    }

    // Each acknowledged lead, by its id, through the instances in turn: its own code.
    const acked = [
      ...sent.map((s, i) => ({ tenant: tenants[i % tenants.length], code: `C-${i}`, id: s.reply!.json<{ id: number }>().id })),
      ...races.map((race, t) => ({ tenant: tenants[t], code: 'RACE', id: race.find((s) => s.reply!.status === 201)!.reply!.json<{ id: number }>().id })),
    ];
    const readBack = await pool(acked.length, 30, async (i) => cluster.send(await as(acked[i].tenant, { path: `/leads/${acked[i].id}` })));
    expect(readBack.filter((s) => !ok(s, 200)).map(describeSent)).toEqual([]);
    expect(readBack.map((s) => s.reply!.json<{ lead_code: string }>().lead_code)).toEqual(acked.map((a) => a.code));
    // And each tenant's whole list: every acknowledged code once, nothing else.
    let listed = 0;
    for (const [t, tenant] of tenants.entries()) {
      const rows = await everything(tenant, '/leads', t % 3);
      listed += rows.length;
      const expected = acked.filter((a) => a.tenant === tenant);
      expect(rows.map((r) => `${String(r.lead_code)}#${String(r.id)}`).sort()).toEqual(expected.map((a) => `${a.code}#${a.id}`).sort());
    }
    figures('c writes', {
      creates: sent.length,
      'same-code races': `${races.length} × 6 (one 201 each)`,
      acknowledged: acked.length,
      'read back': readBack.length,
      'rows listed': listed,
      time: seconds(ms),
    });
  });

  it('(d) delivers every outbox event to the receiver once after de-duplication, signed, when all three relay it, retries after 500s included', async () => {
    const tenant = tenantId('hooks');
    const secret = `whsec_${randomBytes(32).toString('base64')}`;
    // One event in four (by the last hex digit of its id) is answered 500 twice before it is taken.
    const failFirst = (id: string) => (parseInt(id.slice(-1), 16) % 4 === 0 ? 2 : 0);
    let receiver: WebhookReceiver | undefined;
    try {
      receiver = await startWebhookReceiver(secret, failFirst);
      const subscribe = await cluster.sendTo(
        0,
        await as(tenant, { method: 'POST', path: '/webhook-subscriptions', body: { url: receiver.url, event_types: ['lead.created'], secret } }),
      );
      if (!ok(subscribe, 201)) throw new Error(`POST /webhook-subscriptions: ${describeSent(subscribe)}`);
      const subscription = subscribe.reply!.json<{ id: number }>().id;

      const N = 90;
      const started = Date.now();
      const calls = await Promise.all(
        Array.from({ length: N }, (_, i) => as(tenant, { method: 'POST', path: '/leads', body: { lead_code: `H-${i}`, source_code: 'WEBSITE' } })),
      );
      const sent = await pool(N, 15, (i) => cluster.send(calls[i]));
      expect(sent.filter((s) => !ok(s, 201)).map(describeSent)).toEqual([]);
      const leads = new Map(sent.map((s, i) => [s.reply!.json<{ id: number }>().id, `H-${i}`]));

      // Every event arrives (bounded: 60 s), then a moment more for any copy sent twice.
      for (const deadline = Date.now() + 60_000; receiver.unique.size < N && Date.now() < deadline;) await sleep(100);
      const allIn = Date.now() - started;
      await sleep(1_000);

      const retried = [...receiver.unique.keys()].filter((id) => failFirst(id) > 0);
      const log = async (status: string) =>
        (await cluster.send(await as(tenant, { path: `/webhook-subscriptions/${subscription}/deliveries?status=${status}&limit=500` }))).reply!.json<{
          total: number;
          data: { event_id: string; attempts: number }[];
        }>();
      const delivered = await log('delivered');
      // Each instance's own count of its attempts (/metrics): together they made exactly the attempts
      // the receiver saw, and the outbox and the due deliveries are empty for all of them.
      const scrapes = await Promise.all([0, 1, 2].map(async (i) => (await cluster.sendTo(i, { path: '/metrics' })).reply!.body));
      const deliveredBy = scrapes.map((t) => metricValue(t, 'webhook_attempts_total{outcome="delivered"}'));
      const retriedBy = scrapes.map((t) => metricValue(t, 'webhook_attempts_total{outcome="retrying"}'));
      figures('d webhooks', {
        'delivered by instance': deliveredBy.join('/'),
        'retried by instance': retriedBy.join('/'),
        events: N,
        'received once (by webhook-id)': receiver.unique.size,
        'answered 2xx': receiver.accepted.length,
        'answered 500 on purpose': receiver.failed.length,
        'events retried': retried.length,
        'bad signatures': receiver.rejected.length,
        'all in after': seconds(allIn),
      });

      expect(receiver.rejected).toEqual([]);
      // Each lead's event once after de-duplication, with the lead's own fields.
      expect(receiver.unique.size).toBe(N);
      const byLead = [...receiver.unique.values()].map((d) => {
        expect(d.json.type).toBe('lead.created');
        expect(d.id).toMatch(/^evt_[0-9a-f]{32}$/);
        return [d.json.data.lead_id as number, d.json.data.lead_code as string] as const;
      });
      expect(new Map(byLead)).toEqual(leads);
      // Shared without sending twice: in this normal run (no instance dies) no event was taken twice.
      expect(receiver.accepted.length).toBe(N);
      // The retried events came back after their two 500s, with the same id, and the log says 3 attempts.
      expect(retried.length).toBeGreaterThan(0);
      for (const id of retried) expect(receiver.failed.filter((f) => f === id)).toHaveLength(2);
      expect(receiver.failed.length).toBe(2 * retried.length);
      expect(delivered.total).toBe(N);
      for (const d of delivered.data) expect(d.attempts).toBe(failFirst(d.event_id) > 0 ? 3 : 1);
      expect(deliveredBy.reduce((a, b) => a + b, 0)).toBe(N);
      expect(retriedBy.reduce((a, b) => a + b, 0)).toBe(receiver.failed.length);
      for (const text of scrapes) {
        expect(metricValue(text, 'webhook_backlog{queue="outbox"}')).toBe(0);
        expect(metricValue(text, 'webhook_backlog{queue="due"}')).toBe(0);
      }
      expect((await log('pending')).total).toBe(0);
      expect((await log('dead')).total).toBe(0);
    } finally {
      await receiver?.stop();
    }
  });

  it('(e) keeps serving on the two others when one instance is killed (SIGKILL) mid-load; every acknowledged write is stored once', async () => {
    const tenants = Array.from({ length: 8 }, () => tenantId('kill'));
    const BUDGET = 80; // requests per tenant, under its limit
    const victim = 2;
    const spent = new Map(tenants.map((t) => [t, 0]));
    const writes: { tenant: string; code: string; sent: Sent }[] = [];
    const reads: Sent[] = [];
    let killedAt: number | undefined;
    let total = 0;
    const started = Date.now();

    await Promise.all(
      Array.from({ length: 24 }, async (_, caller) => {
        const tenant = tenants[caller % tenants.length];
        for (let k = 0; spent.get(tenant)! < BUDGET; k++) {
          spent.set(tenant, spent.get(tenant)! + 1);
          total += 1;
          if (killedAt === undefined && total >= (tenants.length * BUDGET) / 3) {
            killedAt = Date.now();
            cluster.instances[victim].signal('SIGKILL');
          }
          if (k % 3 === 2) {
            reads.push(await cluster.send(await as(tenant, { path: '/leads?limit=5' })));
          } else {
            const code = `K-${caller}-${k}`;
            writes.push({
              tenant,
              code,
              sent: await cluster.send(await as(tenant, { method: 'POST', path: '/leads', body: { lead_code: code, source_code: 'WEBSITE' } })),
            });
          }
        }
      }),
    );
    const ms = Date.now() - started;
    const exit = await cluster.instances[victim].waitExit(5000);
    expect(exit?.signal).toBe('SIGKILL');

    const all = [...writes.map((w) => w.sent), ...reads];
    const toSurvivors = all.filter((s) => s.instance !== victim);
    const afterKill = toSurvivors.filter((s) => s.t0 >= killedAt!);
    const toVictimAfter = all.filter((s) => s.instance === victim && s.t0 >= killedAt!);
    figures('e kill', {
      requests: all.length,
      'to survivors': toSurvivors.length,
      'to survivors after the kill': afterKill.length,
      'survivor answers': JSON.stringify(tally(toSurvivors)),
      'to the killed instance': JSON.stringify(tally(all.filter((s) => s.instance === victim))),
      'writes acknowledged': writes.filter((w) => ok(w.sent, 201)).length,
      'writes in doubt (cut in flight)': writes.filter((w) => !w.sent.reply && w.sent.noReply!.code !== 'ECONNREFUSED').length,
      'killed after': seconds(killedAt! - started),
      time: seconds(ms),
    });

    // The survivors answered everything, before and after the kill; the killed one answers nothing after it.
    expect(toSurvivors.filter((s) => !ok(s, 200, 201)).map(describeSent)).toEqual([]);
    expect(afterKill.length).toBeGreaterThan(100);
    expect(toVictimAfter.filter((s) => s.reply !== undefined).map(describeSent)).toEqual([]);
    for (const instance of [0, 1]) expect(await cluster.instances[instance].waitUntil('/health/ready', 5000)).toBeGreaterThanOrEqual(0);

    // Every acknowledged write once; one in flight on the killed instance at most once; nothing else.
    for (const [t, tenant] of tenants.entries()) {
      const rows = await everything(tenant, '/leads', t % 2);
      const stored = rows.map((r) => String(r.lead_code));
      const mine = writes.filter((w) => w.tenant === tenant);
      const acked = mine.filter((w) => ok(w.sent, 201));
      // No answer: in doubt if it may have reached the instance; refused connections never did.
      const inDoubt = new Set(mine.filter((w) => !w.sent.reply && w.sent.noReply!.code !== 'ECONNREFUSED').map((w) => w.code));
      expect(stored.filter((c, i) => stored.indexOf(c) !== i)).toEqual([]);
      expect(acked.filter((w) => !stored.includes(w.code)).map((w) => w.code)).toEqual([]);
      expect(stored.filter((c) => !acked.some((w) => w.code === c) && !inDoubt.has(c))).toEqual([]);
      for (const w of acked) expect(rows.find((r) => r.lead_code === w.code)!.id).toBe(w.sent.reply!.json<{ id: number }>().id);
    }
  });
});
