import { performance } from 'node:perf_hooks';
import { RawDb } from './db';
import { Target } from './http';
import { summarize, Summary } from './stats';

/** What one change of a tenant's time zone cost, seen from outside the service. */
export interface ZoneChangeFigures {
  from: string;
  to: string;
  /** PATCH /settings sent → the tenant's days switched to the new zone (ms). */
  totalMs: number;
  /** Batches of the recomputation (one transaction each). */
  batches: number;
  /** Time per batch transaction (ms), from the commits the sampler saw; see sampleBatches. */
  batch: Summary & { max: number };
  /** Batches that committed within one sampling interval of another (their interval shared out). */
  merged: number;
  /** Last batch → the switch committed (the step that finds no lead left and switches the days), ms. */
  switchMs: number;
  /** Analytics reads of the tenant while the change was applied (sequential, every route and range in turn). */
  reads: Summary & { max: number; failed: number; failures: string[] };
}

/** How often the sampler reads the tenant's settings row (ms): the resolution of the per-batch times. */
export const SAMPLE_EVERY_MS = 5;
/** Leads a batch recomputes: the service's RECOMPUTE_BATCH_LEADS (src/tenancy/zone-recompute.ts). */
const BATCH_LEADS = 1000;

interface SettingsRow {
  time_zone: string;
  days_time_zone: string;
  recompute_generation: number | null;
  through: number;
}

export const readSettingsRow = async (db: RawDb, tenantId: string): Promise<SettingsRow | undefined> =>
  (
    await db.query<SettingsRow>(
      'SELECT time_zone, days_time_zone, recompute_generation, recomputed_through_lead_id AS through FROM tenant_settings WHERE tenant_id = ?',
      [tenantId],
    )
  )[0];

/**
 * Changes the tenant's time zone as an admin does (PATCH /settings on the running service, which
 * recomputes the zoned rollups in the background in batches, each its own transaction, then switches
 * the days at once) and measures it from outside, without any hook in the service:
 *
 * - the batches: a sampler reads the tenant's settings row every SAMPLE_EVERY_MS on a connection of
 *   its own. Each batch's transaction ends by moving `recomputed_through_lead_id` on, so the time
 *   between two moves the sampler sees is one batch's transaction, from taking the settings row's lock
 *   to its commit (± the sampling interval; the first batch counts from the PATCH's answer). When one
 *   interval saw several batches commit (counted from the leads between the two positions), each gets
 *   an equal share of it.
 * - the reads: meanwhile every analytics route (`reads`) is asked in turn, one request at a time, and
 *   each answer's latency and status are kept; a read that fails is counted, not thrown.
 *
 * Resolves once the days are in `to`.
 */
export async function measureZoneChange(opts: {
  db: RawDb;
  tenantId: string;
  settings: Target;
  to: string;
  reads: Target[];
  timeoutMs?: number;
}): Promise<ZoneChangeFigures> {
  const { db, tenantId, to } = opts;
  const before = await readSettingsRow(db, tenantId);
  if (!before) throw new Error(`tenant ${tenantId} has no settings row`);
  if (before.recompute_generation !== null) throw new Error(`${tenantId} has a change of zone under way already`);
  if (before.days_time_zone === to) throw new Error(`${tenantId}'s days are in ${to} already`);
  const until = Date.now() + (opts.timeoutMs ?? 2 * 60 * 60_000);

  const sent = performance.now();
  const res = await fetch(opts.settings.url, {
    method: 'PATCH',
    headers: { ...opts.settings.headers, 'content-type': 'application/json' },
    body: JSON.stringify({ time_zone: to }),
  });
  const answered = performance.now();
  if (res.status !== 200) throw new Error(`PATCH /settings answered ${res.status}: ${await res.text()}`);

  let done = false;
  const reads: number[] = [];
  const failures: string[] = [];
  const reader = (async () => {
    for (let i = 0; !done; i++) {
      const t = opts.reads[i % opts.reads.length];
      const t0 = performance.now();
      try {
        const r = await fetch(t.url, { headers: t.headers });
        await r.arrayBuffer();
        if (r.status >= 400) failures.push(`${t.url} answered ${r.status}`);
        else reads.push(performance.now() - t0);
      } catch (e) {
        failures.push(`${t.url}: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
  })();

  const batchTimes: number[] = [];
  let merged = 0;
  let batches = 0;
  let through = 0;
  let lastCommit = answered;
  let switchedAt: number;
  try {
    for (;;) {
      const row = await readSettingsRow(db, tenantId);
      const seen = performance.now();
      if (!row) throw new Error(`tenant ${tenantId}'s settings row went away`);
      if (row.time_zone !== to) throw new Error(`${tenantId}'s time zone changed to ${row.time_zone} meanwhile`);
      if (row.recompute_generation === null) {
        if (row.days_time_zone !== to) throw new Error(`${tenantId}'s change to ${to} was given up (days still in ${row.days_time_zone})`);
        switchedAt = seen;
        break;
      }
      if (row.through > through) {
        const k = row.through - through <= BATCH_LEADS ? 1 : Math.ceil((await leadsBetween(db, tenantId, through, row.through)) / BATCH_LEADS);
        if (k > 1) merged += k;
        for (let i = 0; i < k; i++) batchTimes.push((seen - lastCommit) / k);
        batches += k;
        through = row.through;
        lastCommit = seen;
      }
      if (Date.now() > until) throw new Error(`${tenantId}'s days are not in ${to} after ${(opts.timeoutMs ?? 0) / 1000} s`);
      await new Promise((r) => setTimeout(r, SAMPLE_EVERY_MS));
    }
  } finally {
    done = true;
    await reader;
  }
  const sorted = [...batchTimes].sort((a, b) => a - b);
  return {
    from: before.days_time_zone,
    to,
    totalMs: switchedAt - sent,
    batches,
    batch: { ...summarize(batchTimes), max: sorted[sorted.length - 1] ?? NaN },
    merged,
    switchMs: switchedAt - lastCommit,
    reads: { ...summarize(reads), max: Math.max(...reads), failed: failures.length, failures: failures.slice(0, 5) },
  };
}

/** Leads (deleted ones too, as the batches count them) with ids in (afterId, throughId]. */
async function leadsBetween(db: RawDb, tenantId: string, afterId: number, throughId: number): Promise<number> {
  const [row] = await db.query<{ n: number }>('SELECT COUNT(*) AS n FROM leads WHERE tenant_id = ? AND id > ? AND id <= ?', [tenantId, afterId, throughId]);
  return Number(row.n);
}

/**
 * Waits until the tenant has no zone work the service would do on its own while we measure: a change
 * under way (an earlier run stopped during one), or rows of replaced days that the service deletes once
 * their grace has passed (RETIRED_ROWS_GRACE_MS after the switch, then at its next poll). Answers the
 * time waited (ms).
 */
export async function waitForZoneWork(db: RawDb, tenantId: string, timeoutMs: number): Promise<number> {
  const started = Date.now();
  for (;;) {
    const [row] = await db.query<{ pending: number | null; retired_at: unknown }>(
      'SELECT recompute_generation AS pending, retired_at FROM tenant_settings WHERE tenant_id = ?',
      [tenantId],
    );
    if (!row || (row.pending === null && row.retired_at === null)) return Date.now() - started;
    if (Date.now() - started > timeoutMs)
      throw new Error(`${tenantId} still has zone work after ${timeoutMs / 1000} s (a change under way, or replaced rows not yet deleted)`);
    await new Promise((r) => setTimeout(r, 1000));
  }
}
