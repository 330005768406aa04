import { Client, TestResponse } from '../support/app';

/** Builders and small helpers shared by the campaign e2e specs. */

export const aCampaign = (over: Record<string, unknown> = {}) => ({
  campaign_code: 'SPRING',
  campaign_name: 'Spring campaign',
  campaign_type_code: 'EMAIL_BLAST',
  start_date: '2026-03-01',
  ...over,
});

/** Expects a status and returns the JSON body, with the body in the failure message. */
export function expectStatus(res: TestResponse, status: number): any {
  if (res.statusCode !== status) throw new Error(`expected ${status}, got ${res.statusCode}: ${res.body}`);
  return res.body === '' ? undefined : res.json();
}

export async function createCampaign(client: Client, over: Record<string, unknown> = {}): Promise<any> {
  return expectStatus(await client.post('/campaigns', aCampaign(over)), 201);
}

export async function putMetric(client: Client, code: string, row: Record<string, unknown>): Promise<any> {
  const res = await client.put(`/campaigns/${code}/metrics`, row);
  if (res.statusCode !== 200 && res.statusCode !== 201) throw new Error(`metric write failed ${res.statusCode}: ${res.body}`);
  return res.json();
}

export async function bulkMetrics(client: Client, code: string, metrics: Record<string, unknown>[]): Promise<any> {
  return expectStatus(await client.post(`/campaigns/${code}/metrics/bulk`, { metrics }), 200);
}

/** The distinct fields a 400 names (a field failing two constraints is named once). */
export const fields = (res: TestResponse): string[] => [...new Set<string>((res.json().errors ?? []).map((e: { field: string }) => e.field))];
