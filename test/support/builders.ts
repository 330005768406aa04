import { Client } from './app';
import { ok } from './responses';

/**
 * Bodies and HTTP builders for the rows most specs need. A builder fails the test with the server's
 * answer when the row is not created.
 */

/** A lead-source body: an event source named after its code. */
export const aSource = (code: string, extra: Record<string, unknown> = {}) => ({
  source_code: code,
  source_name: `Source ${code}`,
  source_type: 'event',
  ...extra,
});

/** POST /leads: 201 and the created lead. */
export async function createLead(client: Client, body: Record<string, unknown>): Promise<any> {
  return ok(await client.post('/leads', body), 201);
}

/** A campaign body: SPRING, an email blast from 2026-03-01. */
export const aCampaign = (over: Record<string, unknown> = {}) => ({
  campaign_code: 'SPRING',
  campaign_name: 'Spring campaign',
  campaign_type_code: 'EMAIL_BLAST',
  start_date: '2026-03-01',
  ...over,
});

/** POST /campaigns: 201 and the created campaign. */
export async function createCampaign(client: Client, over: Record<string, unknown> = {}): Promise<any> {
  return ok(await client.post('/campaigns', aCampaign(over)), 201);
}

/** PUT /campaigns/:code/metrics: 200 (replaced) or 201 (new day) and the row. */
export async function putMetric(client: Client, code: string, row: Record<string, unknown>): Promise<any> {
  return ok(await client.put(`/campaigns/${code}/metrics`, row), [200, 201]);
}

/** POST /campaigns/:code/metrics/bulk: 200 and the answer. */
export async function bulkMetrics(client: Client, code: string, metrics: Record<string, unknown>[]): Promise<any> {
  return ok(await client.post(`/campaigns/${code}/metrics/bulk`, { metrics }), 200);
}

/** POST /milestones/:leadId: 201 and the created milestone. */
export async function createMilestone(client: Client, leadId: number, body: Record<string, unknown>): Promise<any> {
  return ok(await client.post(`/milestones/${leadId}`, body), 201);
}

/**
 * PATCH /settings, then waits until the tenant's answers use the zone set (a change of zone is applied
 * in the background): the settings as they are then.
 */
export async function setSettings(client: Client, body: { time_zone?: string; week_start?: string }): Promise<any> {
  ok(await client.patch('/settings', body));
  return settledSettings(client);
}

/** Waits until no change of zone is being applied to the tenant: its settings then. */
export async function settledSettings(client: Client, timeoutMs = 20_000): Promise<any> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const settings = ok(await client.get('/settings'));
    if (settings.time_zone_change_started_at === null) return settings;
    if (Date.now() > until) throw new Error(`the tenant's days are still in ${settings.days_time_zone}, not ${settings.time_zone}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
