import { performance } from 'node:perf_hooks';
import { Http, isProperUnavailable, NoReply, Reply, token } from './http';

/**
 * The mixed workload of the scenarios: reads, lead writes (create, status and value changes,
 * deletes), lead milestones, campaign metric upserts and analytics, from N concurrent callers over
 * several tenants. Every write is entered in a ledger with what it asked for and how it was answered,
 * so that afterwards the stored rows can be compared with the writes acknowledged with 2xx.
 *
 * Each caller owns its leads and its metric keys (a (channel, day) of its tenant's campaign): the
 * writes of one row come from one caller, one at a time, so the state a row must have is known. A
 * write without a definite answer (a 5xx, no answer) may or may not have been applied: the ledger
 * keeps each such attempt as a possible state ("in doubt") besides the last acknowledged one.
 */

export const OPS = ['read', 'createLead', 'patchLead', 'deleteLead', 'milestone', 'metric', 'analytics'] as const;
export type Op = (typeof OPS)[number];
export type Mix = Record<Op, number>;
export const DEFAULT_MIX: Mix = { read: 30, createLead: 20, patchLead: 12, deleteLead: 2, milestone: 16, metric: 10, analytics: 10 };

export const CAMPAIGN = 'REL';
export const CHANNELS = ['EMAIL', 'FACEBOOK', 'GOOGLE_ADS'];
export const METRIC_DAYS = 60;
const STATUSES = ['new', 'contacted', 'qualified', 'negotiation', 'converted', 'lost'];
const PLACES: [string, string | undefined][] = [
  ['WEBSITE', undefined],
  ['EMAIL', undefined],
  ['REFERRAL', undefined],
  ['SOCIAL', 'FACEBOOK'],
  ['SOCIAL', 'LINKEDIN'],
];
const LEAD_CHANNELS = [undefined, 'DIRECT', 'ORGANIC', 'PAID', 'REFERRAL'];
const MILESTONE_TYPES = ['LEAD_GENERATED', 'CONTACTED', 'SITE_VISIT', 'PROPOSAL_SENT', 'CONVERTED'];
const MILESTONE_STATUSES = ['completed', 'completed', 'in_progress', 'pending', 'failed'];
const TIMES = [null, '09:00:00', '13:30:00', '17:45:00'];

const DAY = 86_400_000;
export const today = () => new Date().toISOString().slice(0, 10);
export const dayBefore = (n: number, from = today()) => new Date(Date.parse(`${from}T00:00:00Z`) - n * DAY).toISOString().slice(0, 10);
/** The analytics range of the scenarios: covers every fact they write. */
export const range = () => ({ start_date: dayBefore(100), end_date: today() });

export type Outcome = 'ok' | 'unavailable' | 'server_error' | 'unexpected' | 'no_reply';

export interface Event {
  op: Op;
  caller: number;
  /** performance.now() at send and at answer. */
  t0: number;
  t1: number;
  outcome: Outcome;
  status: number;
  /** The socket error code, or the problem code of an unexpected answer. */
  detail?: string;
}

export interface LeadState {
  status: string;
  expected_value: number;
  deleted: boolean;
}

export interface LeadEntry {
  tenant: string;
  code: string;
  id?: number;
  createdDay: string;
  /** The create was acknowledged (201): the row must be there. */
  acked: boolean;
  /** States the row may be in: the last acknowledged one, then every later attempt without a definite answer. */
  states: LeadState[];
  /** When the last acknowledged write of this lead was answered (performance.now()). */
  ackedAt?: number;
  milestoneIds: number[];
  milestonesInDoubt: number;
  /** No more writes: deleted, or its create or delete is in doubt. */
  retired: boolean;
}

export interface MetricValues {
  impressions: number;
  clicks: number;
  leads_generated: number;
  conversions: number;
  spend: number;
  revenue: number;
}

export interface MetricEntry {
  tenant: string;
  channel: string;
  day: string;
  acked: boolean;
  states: MetricValues[];
  ackedAt?: number;
}

/** Deterministic per caller, so a failing run can be replayed in thought. */
class Rng {
  constructor(private s: number) {}
  next(): number {
    this.s = (this.s + 0x6d2b79f5) | 0;
    let t = Math.imul(this.s ^ (this.s >>> 15), 1 | this.s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)];
  }
  money(max: number): number {
    return this.int(max * 100) / 100;
  }
}

/** Registers the tenant (first request seeds its defaults) and creates what the workload writes to. */
export async function prepareTenant(http: Http, tenant: string): Promise<void> {
  const t = await token(tenant);
  const expect = (r: Reply, ...ok: number[]) => {
    if (!ok.includes(r.status)) throw new Error(`setup of ${tenant}: ${r.status} ${r.body}`);
  };
  expect(await http.call({ path: '/lead-sources', token: t }), 200);
  expect(await http.call({ method: 'PATCH', path: '/lead-sources/SOCIAL/subsources/FACEBOOK', token: t, body: { cost_per_lead: 7.5 } }), 200);
  expect(
    await http.call({
      method: 'POST',
      path: '/campaigns',
      token: t,
      body: {
        campaign_code: CAMPAIGN,
        campaign_name: 'Reliability campaign',
        campaign_type_code: 'EMAIL_BLAST',
        start_date: dayBefore(METRIC_DAYS + 30),
        channels: CHANNELS.map((channel_code) => ({ channel_code, allocated_budget: 1000 })),
      },
    }),
    201,
  );
}

export class Workload {
  readonly events: Event[] = [];
  readonly leads: LeadEntry[] = [];
  readonly metrics = new Map<string, MetricEntry>();
  private readonly own: LeadEntry[][] = [];
  private readonly ownKeys: { channel: string; day: string }[][] = [];
  private readonly rngs: Rng[] = [];
  private readonly tokens = new Map<string, string>();
  private readonly weights: [Op, number][];
  private stopped = false;

  constructor(
    private readonly http: Http,
    private readonly tenants: string[],
    private readonly callers: number,
    mix: Mix = DEFAULT_MIX,
    /** Distinguishes the lead codes of several workloads over the same tenants. */
    private readonly tag = 'w',
  ) {
    const total = OPS.reduce((s, op) => s + mix[op], 0);
    let acc = 0;
    this.weights = OPS.map((op) => [op, (acc += mix[op] / total)] as [Op, number]);
    const perTenant = Math.ceil(callers / tenants.length);
    for (let c = 0; c < callers; c++) {
      this.own.push([]);
      this.rngs.push(new Rng(1000 + c));
      const slot = Math.floor(c / tenants.length);
      const keys: { channel: string; day: string }[] = [];
      for (let d = 0; d < METRIC_DAYS; d++) {
        CHANNELS.forEach((channel, i) => {
          if ((d * CHANNELS.length + i) % perTenant === slot) keys.push({ channel, day: dayBefore(d) });
        });
      }
      this.ownKeys.push(keys);
    }
  }

  private tenantOf(caller: number): string {
    return this.tenants[caller % this.tenants.length];
  }

  /** Runs the callers until stop() (or `until` says so); resolves when every caller has finished its request. */
  async run(until: () => boolean = () => false): Promise<void> {
    for (const t of this.tenants) this.tokens.set(t, await token(t));
    await Promise.all(
      Array.from({ length: this.callers }, async (_, c) => {
        while (!this.stopped && !until()) {
          const x = this.rngs[c].next();
          const op = this.weights.find(([, w]) => x < w)?.[0] ?? 'read';
          const outcome = await this.step(c, op);
          // A refused connection answers at once: do not spin on a service that is gone.
          if (outcome === 'no_reply') await new Promise((r) => setTimeout(r, 50));
        }
      }),
    );
  }

  stop(): void {
    this.stopped = true;
  }

  private async send(
    caller: number,
    op: Op,
    call: Parameters<Http['call']>[0],
    ok: number[],
    http = this.http,
  ): Promise<{ outcome: Outcome; reply?: Reply; t1: number }> {
    const t0 = performance.now();
    let reply: Reply | undefined;
    let outcome: Outcome;
    let detail: string | undefined;
    try {
      reply = await http.call({ ...call, token: this.tokens.get(this.tenantOf(caller)) });
      if (ok.includes(reply.status)) outcome = 'ok';
      else if (isProperUnavailable(reply)) outcome = 'unavailable';
      else if (reply.status >= 500) outcome = 'server_error';
      else outcome = 'unexpected';
      if (outcome !== 'ok' && outcome !== 'unavailable') detail = `${call.method ?? 'GET'} ${call.path} → ${reply.status} ${reply.body.slice(0, 300)}`;
    } catch (e) {
      if (!(e instanceof NoReply)) throw e;
      outcome = 'no_reply';
      detail = e.code;
    }
    const t1 = performance.now();
    this.events.push({ op, caller, t0, t1, outcome, status: reply?.status ?? 0, detail });
    return { outcome, reply, t1 };
  }

  private async step(c: number, op: Op): Promise<Outcome> {
    const rng = this.rngs[c];
    const mine = this.own[c].filter((l) => !l.retired);
    const lead = mine.length > 0 ? rng.pick(mine) : undefined;
    if (!lead && (op === 'patchLead' || op === 'deleteLead' || op === 'milestone')) op = 'createLead';
    switch (op) {
      case 'read':
        return this.read(c, rng, lead);
      case 'createLead':
        return this.createLead(c, rng);
      case 'patchLead':
        return this.patchLead(c, rng, lead!);
      case 'deleteLead':
        return this.deleteLead(c, lead!);
      case 'milestone':
        return this.milestone(c, rng, lead!);
      case 'metric':
        return this.metric(c, rng);
      case 'analytics':
        return this.analytics(c, rng);
    }
  }

  private async read(c: number, rng: Rng, lead?: LeadEntry): Promise<Outcome> {
    const paths = ['/lead-sources', '/leads?limit=20', `/campaigns/${CAMPAIGN}/metrics?limit=50`, '/milestone-types'];
    if (lead) paths.push(`/leads/${lead.id}`, `/milestones/${lead.id}`, `/milestones/${lead.id}/timeline`);
    return (await this.send(c, 'read', { path: rng.pick(paths) }, [200])).outcome;
  }

  private async createLead(c: number, rng: Rng): Promise<Outcome> {
    const tenant = this.tenantOf(c);
    const code = `${this.tag}${c}-${this.own[c].length + 1}`;
    const created = new Date(Date.now() - rng.int(40 * DAY));
    const [source_code, sub_source_code] = rng.pick(PLACES);
    const channel_code = rng.pick(LEAD_CHANNELS);
    const state: LeadState = { status: rng.pick(STATUSES), expected_value: rng.money(5000), deleted: false };
    const body = {
      lead_code: code,
      source_code,
      ...(sub_source_code ? { sub_source_code } : {}),
      ...(channel_code ? { channel_code } : {}),
      ...(rng.int(3) === 0 ? { campaign_code: CAMPAIGN } : {}),
      status: state.status,
      expected_value: state.expected_value,
      ...(rng.int(2) === 0 ? { acquisition_cost: rng.money(80) } : {}),
      created_at: created.toISOString(),
    };
    const entry: LeadEntry = {
      tenant,
      code,
      createdDay: created.toISOString().slice(0, 10),
      acked: false,
      states: [state],
      milestoneIds: [],
      milestonesInDoubt: 0,
      retired: true,
    };
    this.own[c].push(entry);
    this.leads.push(entry);
    const { outcome, reply, t1 } = await this.send(c, 'createLead', { method: 'POST', path: '/leads', body }, [201]);
    if (outcome === 'ok') {
      Object.assign(entry, { id: reply!.json().id, acked: true, retired: false, ackedAt: t1 });
    } else if (outcome === 'unexpected') {
      entry.states = []; // refused: must not be stored
    }
    return outcome;
  }

  /**
   * One POST /leads/bulk of n leads by this caller (a long request: the shutdown scenario keeps a few
   * in flight when SIGTERM arrives). Entered in the ledger like single creates.
   */
  async bulk(c: number, n: number, http = this.http, sourceCode = 'WEBSITE'): Promise<Event> {
    const tenant = this.tenantOf(c);
    if (!this.tokens.has(tenant)) this.tokens.set(tenant, await token(tenant));
    const created = new Date(Date.now() - 3 * DAY).toISOString();
    const entries: LeadEntry[] = Array.from({ length: n }, (_, i) => ({
      tenant,
      code: `${this.tag}bulk${c}-${this.own[c].length + i + 1}`,
      createdDay: created.slice(0, 10),
      acked: false,
      states: [{ status: 'new', expected_value: 10 + (i % 50), deleted: false }],
      milestoneIds: [],
      milestonesInDoubt: 0,
      retired: true,
    }));
    this.own[c].push(...entries);
    this.leads.push(...entries);
    const body = {
      leads: entries.map((e) => ({ lead_code: e.code, source_code: sourceCode, expected_value: e.states[0].expected_value, created_at: created })),
    };
    const { outcome, reply, t1 } = await this.send(c, 'createLead', { method: 'POST', path: '/leads/bulk', body, timeoutMs: 60_000 }, [201], http);
    if (outcome === 'ok') {
      const ids: number[] = reply!.json().data.map((l: { id: number }) => l.id);
      entries.forEach((e, i) => Object.assign(e, { id: ids[i], acked: true, ackedAt: t1 }));
    } else if (outcome === 'unexpected') entries.forEach((e) => (e.states = []));
    return this.events[this.events.length - 1];
  }

  /**
   * The ledger for a run in which no write may be in doubt: every write that was not acknowledged
   * must have left no trace (it was refused before its handler ran, or never reached the service).
   */
  strictLedger(): { leads: LeadEntry[]; metrics: MetricEntry[] } {
    return {
      leads: this.leads.map((l) => ({ ...l, states: l.acked ? l.states.slice(0, 1) : [], milestonesInDoubt: 0 })),
      metrics: [...this.metrics.values()].map((m) => ({ ...m, states: m.acked ? m.states.slice(0, 1) : [] })),
    };
  }

  private async patchLead(c: number, rng: Rng, lead: LeadEntry): Promise<Outcome> {
    const state: LeadState = { status: rng.pick(STATUSES), expected_value: rng.money(5000), deleted: false };
    const body = { status: state.status, expected_value: state.expected_value };
    const { outcome, t1 } = await this.send(c, 'patchLead', { method: 'PATCH', path: `/leads/${lead.id}`, body }, [200]);
    if (outcome === 'ok') Object.assign(lead, { states: [state], ackedAt: t1 });
    else if (outcome !== 'unexpected') lead.states.push(state);
    return outcome;
  }

  private async deleteLead(c: number, lead: LeadEntry): Promise<Outcome> {
    const { outcome, t1 } = await this.send(c, 'deleteLead', { method: 'DELETE', path: `/leads/${lead.id}` }, [204]);
    if (outcome === 'ok') Object.assign(lead, { states: lead.states.map((s) => ({ ...s, deleted: true })), ackedAt: t1, retired: true });
    else if (outcome !== 'unexpected') {
      // Which of the in-doubt states was deleted is unknown: any of them, deleted, is possible.
      lead.states.push(...lead.states.map((s) => ({ ...s, deleted: true })));
      lead.retired = true;
    }
    return outcome;
  }

  private async milestone(c: number, rng: Rng, lead: LeadEntry): Promise<Outcome> {
    const span = Math.max(0, Math.round((Date.parse(`${today()}T00:00:00Z`) - Date.parse(`${lead.createdDay}T00:00:00Z`)) / DAY));
    const time = rng.pick(TIMES);
    const body = {
      milestone_type_code: rng.pick(MILESTONE_TYPES),
      achieved_date: dayBefore(rng.int(span + 1)),
      ...(time ? { achieved_time: time } : {}),
      status: rng.pick(MILESTONE_STATUSES),
      ...(rng.int(4) === 0 ? { follow_up_required: true } : {}),
    };
    const { outcome, reply, t1 } = await this.send(c, 'milestone', { method: 'POST', path: `/milestones/${lead.id}`, body }, [201]);
    if (outcome === 'ok') {
      lead.milestoneIds.push(reply!.json().id);
      lead.ackedAt = t1;
    } else if (outcome !== 'unexpected') lead.milestonesInDoubt += 1;
    return outcome;
  }

  private async metric(c: number, rng: Rng): Promise<Outcome> {
    const keys = this.ownKeys[c];
    if (keys.length === 0) return this.read(c, rng);
    const { channel, day } = rng.pick(keys);
    const impressions = rng.int(100_000);
    const values: MetricValues = {
      impressions,
      clicks: rng.int(impressions + 1),
      leads_generated: rng.int(200),
      conversions: rng.int(40),
      spend: rng.money(3000),
      revenue: rng.money(9000),
    };
    const tenant = this.tenantOf(c);
    const key = `${tenant}|${channel}|${day}`;
    let entry = this.metrics.get(key);
    if (!entry) {
      entry = { tenant, channel, day, acked: false, states: [] };
      this.metrics.set(key, entry);
    }
    const body = { channel_code: channel, metric_date: day, ...values };
    const { outcome, t1 } = await this.send(c, 'metric', { method: 'PUT', path: `/campaigns/${CAMPAIGN}/metrics`, body }, [200, 201]);
    if (outcome === 'ok') Object.assign(entry, { acked: true, states: [values], ackedAt: t1 });
    else if (outcome !== 'unexpected') entry.states.push(values);
    return outcome;
  }

  private async analytics(c: number, rng: Rng): Promise<Outcome> {
    const { start_date, end_date } = range();
    const q = `start_date=${start_date}&end_date=${end_date}`;
    const paths = [
      `/lead-sources/analytics/performance?${q}`,
      `/lead-sources/analytics/trends?${q}&interval=week`,
      `/lead-sources/SOCIAL/performance?${q}`,
      `/milestones/analytics/completion?${q}`,
      `/milestones/analytics/time-trends?${q}&interval=week`,
      `/milestones/analytics/bottlenecks?${q}`,
      `/campaigns/analytics/channels?${q}`,
      `/campaigns/analytics/types?${q}`,
      `/campaigns/analytics/trends?${q}&interval=day`,
    ];
    return (await this.send(c, 'analytics', { path: rng.pick(paths) }, [200])).outcome;
  }
}

/** Counts and latency of the events, by outcome and by operation. */
export function summarize(events: Event[]) {
  const by = (o: Outcome) => events.filter((e) => e.outcome === o).length;
  const writes = events.filter((e) => e.op !== 'read' && e.op !== 'analytics');
  return {
    requests: events.length,
    ok: by('ok'),
    writes: writes.length,
    writesAcked: writes.filter((e) => e.outcome === 'ok').length,
    unavailable503: by('unavailable'),
    serverErrors: by('server_error'),
    unexpected: by('unexpected'),
    noReply: by('no_reply'),
  };
}

/** A few examples of what went wrong, for the failure message. */
export const examples = (events: Event[], outcomes: Outcome[], n = 5) =>
  events
    .filter((e) => outcomes.includes(e.outcome))
    .slice(0, n)
    .map((e) => `${e.op}: ${e.outcome} ${e.detail ?? e.status}`);
