import { addDays } from '../common/analytics/dates';
import { FieldError } from '../common/errors/app-error';
import type { CampaignTemplateEntity } from './campaign-template.entity';
import type { CreateCampaignDto, InstantiateCampaignDto } from './dto/campaign.dto';

/** Pure rules of the campaign vocabulary and workflow (API.md §5), unit-tested in campaign-rules.spec.ts. */

export interface BudgetGuidelines {
  minBudget: number | null;
  recommendedBudget: number | null;
  maxBudget: number | null;
}

/** min ≤ recommended ≤ max, for the bounds that are given. */
export function budgetGuidelineErrors(t: BudgetGuidelines): FieldError[] {
  const errors: FieldError[] = [];
  const { minBudget: min, recommendedBudget: rec, maxBudget: max } = t;
  if (min !== null && max !== null && min > max) errors.push({ field: 'max_budget', message: `max_budget must be at least min_budget (${min})` });
  if (min !== null && rec !== null && rec < min) {
    errors.push({ field: 'recommended_budget', message: `recommended_budget must be at least min_budget (${min})` });
  }
  if (max !== null && rec !== null && rec > max) {
    errors.push({ field: 'recommended_budget', message: `recommended_budget must be at most max_budget (${max})` });
  }
  return errors;
}

/** A campaign budget outside its type's min/max (a null budget is not checked). */
export function budgetOutsideType(budget: number | null, type: BudgetGuidelines & { typeCode: string }): FieldError | null {
  if (budget === null) return null;
  if (type.minBudget !== null && budget < type.minBudget) {
    return { field: 'budget', message: `budget must be at least ${type.minBudget}, the min_budget of campaign type ${type.typeCode}` };
  }
  if (type.maxBudget !== null && budget > type.maxBudget) {
    return { field: 'budget', message: `budget must be at most ${type.maxBudget}, the max_budget of campaign type ${type.typeCode}` };
  }
  return null;
}

export interface StatusRule {
  statusCode: string;
  isInitial: boolean;
  isFinal: boolean;
  allowedTransitions: string[];
}

/**
 * Why a campaign may not move from `from` to `to`, or null when it may. A final status has no way out;
 * otherwise the move must be listed in `from.allowed_transitions`, or, when that list is empty, lead
 * to any status but the initial one. Staying in the same status is not a transition.
 */
export function transitionRefusal(from: StatusRule, to: StatusRule): string | null {
  if (from.statusCode === to.statusCode) return `The campaign is already in status ${from.statusCode}`;
  if (from.isFinal) return `${from.statusCode} is a final status: no transition leaves it`;
  if (from.allowedTransitions.length > 0) {
    return from.allowedTransitions.includes(to.statusCode)
      ? null
      : `${from.statusCode} → ${to.statusCode} is not allowed; ${from.statusCode} allows ${from.allowedTransitions.join(', ')}`;
  }
  return to.isInitial ? `${to.statusCode} is the initial status; ${from.statusCode} allows any non-initial status` : null;
}

/** Contradictions within one status row (unknown transition codes are checked against the table). */
export function statusConfigErrors(s: StatusRule & { isActive: boolean }): FieldError[] {
  const errors: FieldError[] = [];
  if (s.isInitial && s.isFinal) errors.push({ field: 'is_final', message: 'a status cannot be both initial and final' });
  if (s.isFinal && s.allowedTransitions.length > 0) {
    errors.push({ field: 'allowed_transitions', message: 'a final status allows no transitions' });
  }
  if (s.allowedTransitions.includes(s.statusCode)) {
    errors.push({ field: 'allowed_transitions', message: `a status cannot transition to itself (${s.statusCode})` });
  }
  if (s.isInitial && !s.isActive) errors.push({ field: 'is_active', message: 'the initial status must be active' });
  return errors;
}

/** An end date before the start date (an open end is not checked). */
export function datesOutOfOrder(start: string, end: string | null): FieldError | null {
  return end !== null && end < start ? { field: 'end_date', message: `end_date must be on or after start_date (${start})` } : null;
}

/**
 * A campaign from a template: the template's type, channels (allocated 0), budget, budget type,
 * target audience and KPIs, and end_date = start_date + default_duration_days − 1 (else the type's
 * typical_duration_days; else open-ended), each overridden by what the body sends. `rename` names a
 * value taken from the template that no longer holds (a default channel deleted or deactivated since,
 * a default budget outside the type's current range…) as the template's field.
 */
export function campaignFromTemplate(
  template: CampaignTemplateEntity,
  dto: InstantiateCampaignDto,
): { create: CreateCampaignDto; rename: (field: string) => string } {
  const type = template.campaignType!;
  const duration = template.defaultDurationDays ?? type.typicalDurationDays;
  const pick = <T>(sent: T | undefined, fallback: T): T => (sent !== undefined ? sent : fallback);
  const rename = (field: string): string => {
    const channel = /^channels\[(\d+)\]\.channel_code$/.exec(field);
    if (channel && dto.channels === undefined) return `default_channels[${channel[1]}]`;
    if (field === 'budget' && dto.budget === undefined) return 'default_budget';
    if (field === 'budget_type_code' && dto.budget_type_code === undefined) return 'default_budget_type_code';
    return field;
  };
  const create: CreateCampaignDto = {
    campaign_code: dto.campaign_code,
    campaign_name: dto.campaign_name,
    campaign_type_code: type.typeCode,
    status_code: dto.status_code,
    budget_type_code: pick(dto.budget_type_code, template.defaultBudgetType?.budgetTypeCode ?? null),
    budget: pick(dto.budget, template.defaultBudget),
    start_date: dto.start_date,
    end_date: pick(dto.end_date, duration ? addDays(dto.start_date, duration - 1) : null),
    channels: pick(
      dto.channels,
      template.defaultChannels.map((code) => ({ channel_code: code, allocated_budget: 0 })),
    ),
    target_audience: pick(dto.target_audience, template.targetAudience),
    kpis: pick(dto.kpis, template.kpis),
    template_id: template.id,
  };
  return { create, rename };
}
