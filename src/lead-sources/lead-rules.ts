import { FieldError } from '../common/errors/app-error';
import { LeadStatus } from './lead.entity';

export interface LeadStages {
  status: LeadStatus;
  createdAt: Date;
  contactedAt: Date | null;
  qualifiedAt: Date | null;
  convertedAt: Date | null;
  lostAt: Date | null;
  expectedValue: number;
  convertedValue: number | null;
}

/** How far along the funnel a status is; `lost` leaves it and stamps only lost_at. */
const RANK: Record<LeadStatus, number> = { new: 0, contacted: 1, qualified: 2, negotiation: 3, converted: 4, lost: -1 };

/** How far a client-given timestamp (created_at or a stage's) may lie ahead of the server's clock. */
export const FUTURE_TOLERANCE_MS = 5 * 60_000;

/**
 * Stamps the stage timestamps a lead reaches by entering its status (API.md §3): the stage's own
 * timestamp and those of the stages it passed, the first time only, unless the caller gave them.
 * A later stage's timestamp (given now or earlier) means the lead passed the stages before it, so
 * those are stamped too, whatever the status (a new lead with qualified_at counts as contacted).
 * `at` is when it happened: the lead's created_at on create (a back-filled lead reached its stages
 * when it was recorded), the time of the write on update; a passed stage is never stamped after the
 * next stage's timestamp nor before the previous stage's given one. Also defaults converted_value to
 * expected_value on conversion. Pure: returns a new object.
 */
export function stampStages(lead: LeadStages, at: Date): LeadStages {
  const next = { ...lead };
  const when = at < lead.createdAt ? lead.createdAt : at;
  // Never after the next stage's timestamp, never before the previous stage's given one.
  const between = (floor: Date | null, cap: Date | null) => {
    const t = cap && cap < when ? cap : when;
    return floor && floor > t ? floor : t;
  };
  const rank = Math.max(RANK[lead.status], lead.convertedAt ? RANK.converted : lead.qualifiedAt ? RANK.qualified : lead.contactedAt ? RANK.contacted : -1);
  // Latest stage first, so a passed stage is never stamped after a later stage's given time.
  if (lead.status === 'converted') {
    next.convertedAt ??= when;
    next.convertedValue ??= lead.expectedValue;
  }
  if (rank >= 2) next.qualifiedAt ??= between(lead.contactedAt, next.convertedAt);
  if (rank >= 1) next.contactedAt ??= between(null, next.qualifiedAt ?? next.convertedAt);
  if (lead.status === 'lost') next.lostAt ??= when;
  return next;
}

/** Timestamps never go backwards: no stage before created_at, and contacted ≤ qualified ≤ converted. */
export function checkStageOrder(lead: LeadStages, prefix = ''): FieldError[] {
  const errors: FieldError[] = [];
  const stamps: [keyof LeadStages, Date | null][] = [
    ['contactedAt', lead.contactedAt],
    ['qualifiedAt', lead.qualifiedAt],
    ['convertedAt', lead.convertedAt],
    ['lostAt', lead.lostAt],
  ];
  const wire = (k: string) => prefix + k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
  for (const [key, value] of stamps) {
    if (value && value < lead.createdAt) errors.push({ field: wire(key), message: `${wire(key).slice(prefix.length)} is before created_at` });
  }
  const chain: [keyof LeadStages, Date | null][] = stamps.slice(0, 3);
  for (let i = 1; i < chain.length; i++) {
    const [key, value] = chain[i];
    const earlier = chain.slice(0, i).filter(([, v]) => v !== null);
    const last = earlier[earlier.length - 1];
    if (value && last && value < last[1]!) {
      errors.push({ field: wire(key), message: `${wire(key).slice(prefix.length)} is before ${wire(last[0]).slice(prefix.length)}` });
    }
  }
  return errors;
}

/** Client-given timestamps may not lie more than FUTURE_TOLERANCE_MS ahead of `now` (400 naming each). */
export function checkNotFuture(given: Record<string, Date | null>, now: Date, prefix = ''): FieldError[] {
  const limit = now.getTime() + FUTURE_TOLERANCE_MS;
  return Object.entries(given)
    .filter(([, value]) => value !== null && value.getTime() > limit)
    .map(([field]) => ({ field: prefix + field, message: `${field} is in the future` }));
}
