import { TimeZone } from '../../src/common/analytics/time-zone';
import { Random } from './random';

/** The lead facts a history follows (what LeadsService.createBulk returns). */
export interface LeadStamps {
  status: string;
  createdAt: Date;
  contactedAt: Date | null;
  qualifiedAt: Date | null;
  convertedAt: Date | null;
  lostAt: Date | null;
}

export interface MilestoneBody {
  milestone_type_code: string;
  achieved_date: string;
  achieved_time: string;
  status: string;
  outcome?: string;
  follow_up_required?: boolean;
  follow_up_date?: string;
  duration_minutes?: number;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const SEQUENCE = ['LEAD_GENERATED', 'CONTACTED', 'SITE_VISIT', 'PROPOSAL_SENT', 'CONVERTED'] as const;
/** Chance that an open lead already has its next step scheduled (pending or in progress). */
const SCHEDULED = 0.3;
/** Steps of the standard sequence reached at each funnel stage (a lost lead failed at its site visit). */
const REACHED: Record<string, number> = { new: 1, contacted: 2, qualified: 3, negotiation: 4, converted: 5, lost: 3 };
/** The funnel of the data generator's leads (aLead in seed.ts): share of each stage. */
const FUNNEL: Record<string, number> = { new: 0.25, contacted: 0.2, qualified: 0.15, negotiation: 0.08, converted: 0.12, lost: 0.2 };

/**
 * How many milestones a history has on average, and how the requested average is reached: the
 * funnel's own steps give about 2.8 per lead; more comes from repeated steps (follow-up calls,
 * second site visits) on leads that were contacted; less from leads without any history.
 */
export class MilestonePlan {
  /** Mean number of repeated steps per contacted lead. */
  readonly extras: number;
  /** Share of leads that have a history at all. */
  readonly share: number;

  constructor(readonly perLead: number) {
    const open = (stage: string) => (stage === 'converted' || stage === 'lost' ? 0 : SCHEDULED);
    const base = Object.entries(FUNNEL).reduce((s, [stage, w]) => s + w * (REACHED[stage] + open(stage)), 0);
    const contacted = 1 - FUNNEL.new;
    this.extras = Math.max(0, (perLead - base) / contacted);
    this.share = Math.min(1, Math.max(0, perLead / base));
  }
}

/** The local date and wall-clock time of an instant in the tenant's zone: what its users type. */
const day = (zone: TimeZone, t: number) => zone.dayOf(t);
const time = (zone: TimeZone, t: number) => new Date(t + zone.offsetAt(t)).toISOString().slice(11, 19);

function poisson(rnd: Random, mean: number): number {
  const limit = Math.exp(-mean);
  let k = 0;
  for (let p = rnd.next(); p > limit; p *= rnd.next()) k++;
  return k;
}

/**
 * A realistic milestone history of one lead, in chain order: the prefix of the standard sequence its
 * funnel stage reached, dated from its stage timestamps (a proposal between qualification and
 * close); a scheduled next step for some open leads; repeated calls and visits between the steps;
 * a few skipped site visits and failed calls. Durations follow the leads' own, so SLA breaches
 * happen where the lead took long (CONTACTED's SLA is 3 days, SITE_VISIT's 10, ...). Dates and times
 * are the tenant's local ones (`zone`), as its users type them.
 */
export function milestoneHistory(rnd: Random, lead: LeadStamps, plan: MilestonePlan, now: number, zone: TimeZone): MilestoneBody[] {
  if (!rnd.chance(plan.share)) return [];
  const created = lead.createdAt.getTime();
  const cap = (t: number) => Math.min(Math.max(t, created), now);
  const reached = REACHED[lead.status] ?? 1;
  const at: number[] = [created];
  const contacted = lead.contactedAt?.getTime() ?? created + rnd.logNormal(20, 1) * HOUR;
  if (reached >= 2) at.push(cap(contacted));
  if (reached >= 3)
    at.push(cap(lead.status === 'lost' ? (lead.lostAt?.getTime() ?? contacted + 3 * DAY) : (lead.qualifiedAt?.getTime() ?? contacted + 3 * DAY)));
  if (reached >= 4) {
    const qualified = at[2];
    const closed = lead.convertedAt?.getTime();
    at.push(cap(closed ? qualified + (closed - qualified) * (0.3 + rnd.next() * 0.5) : qualified + rnd.logNormal(4, 0.6) * DAY));
  }
  if (reached >= 5) at.push(cap(lead.convertedAt?.getTime() ?? at[3] + 10 * DAY));

  const steps: { t: number; code: string; status: string; outcome?: string; followUp?: boolean }[] = at.map((t, i) => ({
    t,
    code: SEQUENCE[i],
    status: 'completed',
    outcome: i === 0 ? undefined : 'positive',
  }));
  if (lead.status === 'lost') Object.assign(steps[2], { status: 'failed', outcome: 'negative' });
  else if (steps.length >= 4 && rnd.chance(0.05)) Object.assign(steps[2], { status: 'skipped', outcome: undefined });
  const open = lead.status !== 'converted' && lead.status !== 'lost';
  if (open && reached < SEQUENCE.length && rnd.chance(SCHEDULED)) {
    const last = at[at.length - 1];
    steps.push({ t: cap(last + rnd.logNormal(2, 0.8) * DAY), code: SEQUENCE[reached], status: rnd.chance(0.5) ? 'pending' : 'in_progress' });
  }
  // Repeated calls and visits between the contact and the last step.
  if (reached >= 2) {
    const extras = poisson(rnd, plan.extras);
    const from = at[1];
    const to = Math.max(from, at[at.length - 1]);
    for (let i = 0; i < extras; i++) {
      const t = to > from ? from + rnd.next() * (to - from) : cap(from + rnd.logNormal(3, 0.8) * DAY);
      const visit = reached >= 3 && t >= at[2] && rnd.chance(0.3);
      const failed = rnd.chance(0.1);
      steps.push({
        t,
        code: visit ? 'SITE_VISIT' : 'CONTACTED',
        status: failed ? 'failed' : 'completed',
        outcome: failed ? 'negative' : 'neutral',
        followUp: rnd.chance(0.3),
      });
    }
  }
  // Chain order; ties broken by the order made, as distinct ids would.
  return steps
    .map((s, i) => ({ s, i }))
    .sort((a, b) => a.s.t - b.s.t || a.i - b.i)
    .map(({ s }) => ({
      milestone_type_code: s.code,
      achieved_date: day(zone, s.t),
      achieved_time: time(zone, s.t),
      status: s.status,
      ...(s.outcome ? { outcome: s.outcome } : {}),
      ...(s.followUp ? { follow_up_required: true, follow_up_date: day(zone, Math.min(s.t + 3 * DAY, now)) } : {}),
      ...(s.code === 'SITE_VISIT' && s.status === 'completed' ? { duration_minutes: 30 + Math.round(rnd.next() * 90) } : {}),
    }));
}
