import { Client, TestResponse } from '../support/app';

/** Fails the test with the server's answer when a setup request does not succeed. */
export function ok(res: TestResponse, status = 200): any {
  if (res.statusCode !== status) throw new Error(`expected ${status}, got ${res.statusCode}: ${res.body}`);
  return res.body === '' ? undefined : res.json();
}

export async function aLead(c: Client, createdAt: string, source_code = 'WEBSITE'): Promise<number> {
  return ok(await c.post('/leads', { source_code, created_at: createdAt }), 201).id;
}

export interface Milestone {
  id: number;
  lead_id: number;
  type_code: string;
  achieved_date: string;
  achieved_time: string | null;
  status: string;
  follow_up_required: boolean;
  days_from_previous: number | null;
  sla_breached: boolean;
  version: number;
  completed_by: string | null;
}

export async function aMilestone(c: Client, leadId: number, body: Record<string, unknown>): Promise<Milestone> {
  return ok(await c.post(`/milestones/${leadId}`, body), 201);
}

export async function milestonesOf(c: Client, leadId: number): Promise<Milestone[]> {
  return ok(await c.get(`/milestones/${leadId}`, { query: { limit: 500 } })).data;
}

/** Whole days from a to b (YYYY-MM-DD). */
export const days = (a: string, b: string) => Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);

/** The chain the straightforward way: sort by (date, time with none first, id), subtract neighbours. */
export function chain<M extends Pick<Milestone, 'id' | 'achieved_date' | 'achieved_time'>>(rows: M[]): (M & { days: number | null; previous: M | null })[] {
  const sorted = [...rows].sort(
    (a, b) => a.achieved_date.localeCompare(b.achieved_date) || (a.achieved_time ?? '').localeCompare(b.achieved_time ?? '') || a.id - b.id,
  );
  return sorted.map((m, i) => ({ ...m, days: i === 0 ? null : days(sorted[i - 1].achieved_date, m.achieved_date), previous: i === 0 ? null : sorted[i - 1] }));
}

/** Rounds half away from zero to 2 decimals, as the API does. */
export const r2 = (x: number) => (Math.sign(x) * Math.round(Number((Math.abs(x) * 100).toFixed(6)))) / 100;
export const pct = (a: number, b: number) => (b === 0 ? null : r2((a / b) * 100));
