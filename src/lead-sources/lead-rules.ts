import { FieldError } from '../common/errors/app-error';
import { CreateLeadDto, UpdateLeadDto } from './dto/lead.dto';
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

/** A wire timestamp as a Date (absent or null: null). */
export const dateOf = (s: string | undefined | null): Date | null => (s ? new Date(s) : null);

type WireStamp = 'created_at' | 'contacted_at' | 'qualified_at' | 'converted_at' | 'lost_at';

/** The timestamps a body gives, by wire name (each is held to the future limit). */
const givenStamps = (dto: Partial<Record<WireStamp, string>>) => ({
  created_at: dateOf(dto.created_at),
  contacted_at: dateOf(dto.contacted_at),
  qualified_at: dateOf(dto.qualified_at),
  converted_at: dateOf(dto.converted_at),
  lost_at: dateOf(dto.lost_at),
});

/**
 * A new lead's stages as a create stores them (created_at defaults to `now`), and the errors of its
 * timestamps (none in the future, none out of order), each field named after `prefix`.
 */
export function newLeadStages(dto: CreateLeadDto, now: Date, prefix = ''): { stages: LeadStages; errors: FieldError[] } {
  const createdAt = dateOf(dto.created_at) ?? now;
  const errors = checkNotFuture(givenStamps(dto), now, prefix);
  const stages = stampStages(
    {
      status: dto.status ?? 'new',
      createdAt,
      contactedAt: dateOf(dto.contacted_at),
      qualifiedAt: dateOf(dto.qualified_at),
      convertedAt: dateOf(dto.converted_at),
      lostAt: dateOf(dto.lost_at),
      expectedValue: dto.expected_value ?? 0,
      convertedValue: dto.converted_value ?? null,
    },
    createdAt,
  );
  errors.push(...checkStageOrder(stages, prefix));
  return { stages, errors };
}

/** A lead's stages after a PATCH written at `writtenAt` (created_at stays), and the errors of its timestamps. */
export function patchedStages(current: LeadStages, dto: UpdateLeadDto, writtenAt: Date): { stages: LeadStages; errors: FieldError[] } {
  const errors = checkNotFuture(givenStamps(dto), writtenAt);
  const stages = stampStages(
    {
      status: dto.status ?? current.status,
      createdAt: current.createdAt,
      contactedAt: dateOf(dto.contacted_at) ?? current.contactedAt,
      qualifiedAt: dateOf(dto.qualified_at) ?? current.qualifiedAt,
      convertedAt: dateOf(dto.converted_at) ?? current.convertedAt,
      lostAt: dateOf(dto.lost_at) ?? current.lostAt,
      expectedValue: dto.expected_value ?? current.expectedValue,
      convertedValue: dto.converted_value ?? current.convertedValue,
    },
    writtenAt,
  );
  errors.push(...checkStageOrder(stages));
  return { stages, errors };
}

/**
 * lead_code is unique among live leads, within a batch too: an error for each row whose code is
 * `taken` (held by a stored lead) or given by an earlier row. Rows in `skipped` (already refused)
 * are left out, and their codes count for no later row.
 */
export function duplicateCodeErrors(
  codes: (string | null | undefined)[],
  taken: Set<string>,
  prefix: (i: number) => string,
  skipped: Set<number>,
): FieldError[] {
  const seen = new Set<string>();
  const errors: FieldError[] = [];
  codes.forEach((code, i) => {
    if (!code || skipped.has(i)) return;
    if (taken.has(code) || seen.has(code)) errors.push({ field: `${prefix(i)}lead_code`, message: `lead_code ${code} is already in use` });
    seen.add(code);
  });
  return errors;
}
