import { addDays, daysBetween } from '../common/analytics/dates';
import { TimeZone } from '../common/analytics/time-zone';
import { LeadStatus } from '../lead-sources/lead.entity';
import { MilestoneStatus } from './lead-milestone.entity';
import { progressAgainst } from './milestone-figures';

/** The day SLA rules count in: the day of `now` in the tenant's zone (UTC for a tenant that set none). */
export const slaToday = (now: Date, zone: TimeZone = TimeZone.of(TimeZone.UTC_NAME)): string => zone.dayOf(now);

/**
 * Lead statuses that close a lead: a converted or lost lead is not stalled (nothing more is expected
 * of it), so the scan never announces a breach for it. Every other status is open.
 */
export const CLOSED_LEAD_STATUSES: readonly LeadStatus[] = ['converted', 'lost'];

/** What the scan needs of a lead's milestone, in chain order (achieved_date, achieved_time, id). */
export interface StageMilestone {
  typeCode: string;
  achievedDate: string;
  status: MilestoneStatus;
}

/** What the scan needs of the tenant's milestone setup, read once per pass. */
export interface SlaPlan {
  /** The live codes of the default standard template's sequence, in order (the timeline's). */
  sequence: string[];
  /** The live types of those codes. */
  types: Map<string, { id: number; slaDays: number | null }>;
}

/** A lead past the SLA of the type expected next. */
export interface OverdueStage {
  typeId: number;
  typeCode: string;
  slaDays: number;
  /** The day the lead entered its stage: its current milestone's achieved_date. */
  enteredOn: string;
  /** The last day within the SLA: enteredOn + slaDays. */
  dueOn: string;
  /** Whole days from enteredOn to today. */
  daysInStage: number;
}

/** The tenant's plan names at least one type with an SLA (else no lead of it can be overdue). */
export const planHasSla = (plan: SlaPlan): boolean => plan.sequence.some((code) => (plan.types.get(code)?.slaDays ?? null) !== null);

/** Chain order: achieved_date, then achieved_time (a day without a time first), then id. */
export function chainOrder<T extends { achievedDate: string; achievedTime: string | null; id: number }>(rows: T[]): T[] {
  return [...rows].sort((a, b) => a.achievedDate.localeCompare(b.achievedDate) || (a.achievedTime ?? '').localeCompare(b.achievedTime ?? '') || a.id - b.id);
}

/**
 * Where a lead sits against the SLA on `today`, as the timeline sees it: its current milestone is the
 * last completed one of its chain (the timeline's current_milestone; entered on its achieved_date),
 * the type expected next is the timeline's next_expected (the first code of the plan's sequence the
 * lead has not completed). The lead is overdue when that type has an sla_days and
 * today > enteredOn + sla_days. A lead with no completed milestone has entered no stage yet; one that
 * completed the whole sequence expects nothing more: neither is ever overdue.
 */
export function overdueStage(chain: StageMilestone[], plan: SlaPlan, today: string): OverdueStage | null {
  const completed = chain.filter((m) => m.status === 'completed');
  if (completed.length === 0) return null;
  const enteredOn = completed[completed.length - 1].achievedDate;
  const next = progressAgainst(plan.sequence, new Set(completed.map((m) => m.typeCode))).nextExpected;
  const type = next === null ? undefined : plan.types.get(next);
  if (!type || type.slaDays === null || next === null) return null;
  const dueOn = addDays(enteredOn, type.slaDays);
  if (today <= dueOn) return null;
  return { typeId: type.id, typeCode: next, slaDays: type.slaDays, enteredOn, dueOn, daysInStage: daysBetween(enteredOn, today) };
}
