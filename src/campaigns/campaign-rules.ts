import { FieldError } from '../common/errors/app-error';

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
