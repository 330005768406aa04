import { Client } from '../support/app';
import { createLead, createMilestone } from '../support/builders';
import { ok } from '../support/responses';
// Ties are ordered by code as bytes, the documented order on both engines (docs/conventions.md, "Text, codes and order").
import { compareCodePoints as byCode } from '../../src/common/text/text-key';

export async function aLead(c: Client, createdAt: string, source_code = 'WEBSITE'): Promise<number> {
  return (await createLead(c, { source_code, created_at: createdAt })).id;
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
  return createMilestone(c, leadId, body);
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

const median = (sorted: number[]) => (sorted.length % 2 ? sorted[(sorted.length - 1) / 2] : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2);

/**
 * Completion and bottlenecks recomputed the straightforward way from a tenant's live milestones
 * (`byLead`, all of them in the range asked for), with each code's sla_days; `codes` are the live
 * type codes (completion answers a row for each, zeros included). Names are left out.
 */
export function recompute(byLead: Milestone[][], codes: string[], sla: Record<string, number | null>) {
  const all = byLead.flat();
  const completion = codes
    .map((type_code) => {
      const own = all.filter((m) => m.type_code === type_code);
      const n = (...s: string[]) => own.filter((m) => s.includes(m.status)).length;
      return {
        type_code,
        total: own.length,
        completed: n('completed'),
        in_progress: n('pending', 'in_progress'),
        skipped: n('skipped'),
        failed: n('failed'),
        completion_rate: pct(n('completed'), own.length),
      };
    })
    .sort((a, b) => (b.completion_rate ?? -1) - (a.completion_rate ?? -1) || byCode(a.type_code, b.type_code));
  const groups = new Map<string, { days: number; lead: number; completed: boolean }[]>();
  for (const rows of byLead) {
    for (const m of chain(rows)) {
      if (!m.previous) continue;
      const key = `${m.previous.type_code}>${m.type_code}`;
      groups.set(key, [...(groups.get(key) ?? []), { days: m.days!, lead: m.lead_id, completed: m.status === 'completed' }]);
    }
  }
  const bottlenecks = [...groups.entries()]
    .map(([key, ts]) => {
      const [from, to] = key.split('>');
      const values = ts.map((t) => t.days).sort((a, b) => a - b);
      return {
        from_milestone: from,
        to_milestone: to,
        transitions: values.length,
        leads_affected: new Set(ts.map((t) => t.lead)).size,
        average_days: r2(values.reduce((s, v) => s + v, 0) / values.length),
        median_days: median(values),
        p90_days: values[Math.ceil((9 * values.length) / 10) - 1],
        completion_rate: pct(ts.filter((t) => t.completed).length, values.length),
        sla_breach_percent: sla[to] === null ? null : pct(values.filter((v) => v > sla[to]!).length, values.length),
      };
    })
    .sort((a, b) => b.average_days - a.average_days || byCode(a.from_milestone, b.from_milestone) || byCode(a.to_milestone, b.to_milestone));
  return { completion, bottlenecks };
}

/** An analytics answer's rows without the names (recompute leaves them out). */
export const withoutNames = (rows: Record<string, unknown>[]) =>
  rows.map(({ type_name, from_name, to_name, ...row }) => (void type_name, void from_name, void to_name, row));
