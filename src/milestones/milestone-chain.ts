import { daysBetween } from '../common/analytics/dates';
import { MilestoneStatus } from './lead-milestone.entity';

/**
 * A lead's milestone chain and what each live milestone adds to the rollups. Pure: the same
 * functions feed the writes, the rollups and the unit tests.
 *
 * Chain order is (achieved_date, achieved_time, id), a missing time first within its day (as
 * `ORDER BY … ASC` puts NULLs first on MySQL and SQLite). Each milestone after the first ends one
 * transition A→B, A being the milestone before it.
 */

/** Stands for "no earlier occurrence" in milestone_transition_leads, whose key columns cannot be NULL. */
export const NO_PREVIOUS_DATE = '1000-01-01';

/** What the chain derives for one milestone (stored on its row). */
export interface ChainLinks {
  /** Whole days since the previous milestone's achieved_date; null for the first. */
  daysFromPrevious: number | null;
  /** The previous milestone's type: the transition's "from"; null for the first. */
  previousTypeId: number | null;
  /**
   * achieved_date of this lead's previous transition with the same (from, to) type codes, if any:
   * by code, not type id, so that the types of a code re-used after a delete count as one pair.
   */
  pairPreviousDate: string | null;
}

export interface ChainMilestone extends ChainLinks {
  id: number;
  milestoneTypeId: number;
  /** The type's code (immutable, so the code of milestoneTypeId). */
  typeCode: string;
  achievedDate: string;
  achievedTime: string | null;
  status: MilestoneStatus;
  followUpRequired: boolean;
}

export function compareChain(
  a: Pick<ChainMilestone, 'achievedDate' | 'achievedTime' | 'id'>,
  b: Pick<ChainMilestone, 'achievedDate' | 'achievedTime' | 'id'>,
): number {
  if (a.achievedDate !== b.achievedDate) return a.achievedDate < b.achievedDate ? -1 : 1;
  const ta = a.achievedTime ?? '';
  const tb = b.achievedTime ?? '';
  if (ta !== tb) return ta < tb ? -1 : 1;
  return a.id - b.id;
}

/** The links of every milestone of one lead's live chain, by id. */
export function linkChain(milestones: Omit<ChainMilestone, keyof ChainLinks>[]): Map<number, ChainLinks> {
  const ordered = [...milestones].sort(compareChain);
  const links = new Map<number, ChainLinks>();
  const lastOfPair = new Map<string, string>();
  ordered.forEach((m, i) => {
    if (i === 0) {
      links.set(m.id, { daysFromPrevious: null, previousTypeId: null, pairPreviousDate: null });
      return;
    }
    const previous = ordered[i - 1];
    const pair = `${previous.typeCode}>${m.typeCode}`;
    links.set(m.id, {
      daysFromPrevious: daysBetween(previous.achievedDate, m.achievedDate),
      previousTypeId: previous.milestoneTypeId,
      pairPreviousDate: lastOfPair.get(pair) ?? null,
    });
    lastOfPair.set(pair, m.achievedDate);
  });
  return links;
}

export const sameLinks = (a: ChainLinks, b: ChainLinks) =>
  a.daysFromPrevious === b.daysFromPrevious && a.previousTypeId === b.previousTypeId && a.pairPreviousDate === b.pairPreviousDate;

export const DAILY_MEASURES = ['milestones', 'completed', 'inProgress', 'skipped', 'failed', 'followUps', 'daysToHit'] as const;
export type DailyMeasure = (typeof DAILY_MEASURES)[number];
export type DailyMeasures = Record<DailyMeasure, number>;

export interface DailyDelta {
  day: string;
  milestoneTypeId: number;
  measures: DailyMeasures;
}

export interface TransitionDelta {
  day: string;
  fromTypeId: number;
  toTypeId: number;
  days: number;
  transitions: number;
  completed: number;
}

export interface TransitionLeadDelta {
  day: string;
  fromTypeId: number;
  toTypeId: number;
  previousDate: string;
  leads: number;
}

export interface RollupDeltas {
  daily: DailyDelta[];
  transitions: TransitionDelta[];
  leads: TransitionLeadDelta[];
}

export const zeroDaily = (): DailyMeasures => ({ milestones: 0, completed: 0, inProgress: 0, skipped: 0, failed: 0, followUps: 0, daysToHit: 0 });

/**
 * The rollup rows one live milestone adds: its day and type (completion, time trends), and, when it
 * ends a transition, the transition's histogram cell and its distinct-lead cell.
 * `leadCreatedDay` is the day of the lead's created_at in the tenant's time zone (time to hit = achieved_date − that day).
 */
export function contributionOf(m: ChainMilestone, leadCreatedDay: string): RollupDeltas {
  const daily: DailyDelta = {
    day: m.achievedDate,
    milestoneTypeId: m.milestoneTypeId,
    measures: {
      milestones: 1,
      completed: m.status === 'completed' ? 1 : 0,
      inProgress: m.status === 'pending' || m.status === 'in_progress' ? 1 : 0,
      skipped: m.status === 'skipped' ? 1 : 0,
      failed: m.status === 'failed' ? 1 : 0,
      followUps: m.followUpRequired ? 1 : 0,
      daysToHit: daysBetween(leadCreatedDay, m.achievedDate),
    },
  };
  if (m.previousTypeId === null || m.daysFromPrevious === null) return { daily: [daily], transitions: [], leads: [] };
  // Literals, not spreads of a shared `pair`: bulk imports call this millions of times.
  const [day, fromTypeId, toTypeId] = [m.achievedDate, m.previousTypeId, m.milestoneTypeId];
  return {
    daily: [daily],
    transitions: [{ day, fromTypeId, toTypeId, days: m.daysFromPrevious, transitions: 1, completed: m.status === 'completed' ? 1 : 0 }],
    leads: [{ day, fromTypeId, toTypeId, previousDate: m.pairPreviousDate ?? NO_PREVIOUS_DATE, leads: 1 }],
  };
}

/**
 * Sums signed contributions per rollup key (`-1` for the chain as it was, `+1` for the chain as it
 * is), drops the keys that cancel out, and sorts by key, so that concurrent writers of the same
 * rollup rows always lock them in the same order. A change may carry its own lead's creation day
 * (a bulk import nets the changes of many leads at once); otherwise `leadCreatedDay` applies.
 */
export function netDeltas(changes: { milestone: ChainMilestone; sign: 1 | -1; leadCreatedDay?: string }[], leadCreatedDay?: string): RollupDeltas {
  const daily = new Map<string, DailyDelta>();
  const transitions = new Map<string, TransitionDelta>();
  const leads = new Map<string, TransitionLeadDelta>();
  for (const change of changes) {
    const { milestone, sign } = change;
    const createdDay = change.leadCreatedDay ?? leadCreatedDay;
    if (createdDay === undefined) throw new Error('netDeltas: no creation day for the lead of a change');
    const c = contributionOf(milestone, createdDay);
    for (const d of c.daily) {
      const key = `${d.day}|${pad(d.milestoneTypeId)}`;
      const acc = daily.get(key) ?? { day: d.day, milestoneTypeId: d.milestoneTypeId, measures: zeroDaily() };
      for (const m of DAILY_MEASURES) acc.measures[m] += sign * d.measures[m];
      daily.set(key, acc);
    }
    for (const t of c.transitions) {
      const key = `${t.day}|${pad(t.fromTypeId)}|${pad(t.toTypeId)}|${pad(t.days)}`;
      const acc = transitions.get(key) ?? { day: t.day, fromTypeId: t.fromTypeId, toTypeId: t.toTypeId, days: t.days, transitions: 0, completed: 0 };
      acc.transitions += sign * t.transitions;
      acc.completed += sign * t.completed;
      transitions.set(key, acc);
    }
    for (const l of c.leads) {
      const key = `${l.day}|${pad(l.fromTypeId)}|${pad(l.toTypeId)}|${l.previousDate}`;
      const acc = leads.get(key) ?? { day: l.day, fromTypeId: l.fromTypeId, toTypeId: l.toTypeId, previousDate: l.previousDate, leads: 0 };
      acc.leads += sign * l.leads;
      leads.set(key, acc);
    }
  }
  const sorted = <T>(m: Map<string, T>) => [...m.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, v]) => v);
  return {
    daily: sorted(daily).filter((d) => DAILY_MEASURES.some((m) => d.measures[m] !== 0)),
    transitions: sorted(transitions).filter((t) => t.transitions !== 0 || t.completed !== 0),
    leads: sorted(leads).filter((l) => l.leads !== 0),
  };
}

const pad = (n: number) => String(n).padStart(11, '0');
