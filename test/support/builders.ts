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
