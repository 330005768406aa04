import { MatchMode } from './attribution-rule.entity';

/** The lead source, and its subsource, that a touch no rule maps goes to (seeded for every tenant). */
export const UNMAPPED_CODE = 'UNMAPPED';

/** The UTM parameters of a touch that rules look at; absent, null and '' all mean "not given". */
export interface TouchUtm {
  utm_source?: string | null;
  utm_medium?: string | null;
  utm_campaign?: string | null;
}

export const UTM_FIELDS = ['utm_source', 'utm_medium', 'utm_campaign'] as const;
export type UtmField = (typeof UTM_FIELDS)[number];

export interface UtmCondition {
  value: string;
  match: MatchMode;
}

/** What matching needs of a rule. */
export interface MatchableRule {
  id: number;
  priority: number;
  isActive: boolean;
  conditions: Partial<Record<UtmField, UtmCondition | null>>;
}

/**
 * Text as rules compare it: Unicode NFC (a precomposed and a decomposed "Ä" are one letter), then
 * JavaScript's locale-independent lower case, so "Ärger" matches "ärger" and "GOOGLE" matches "google"
 * the same way on every engine (matching runs here, never in an SQL collation).
 */
export const foldCase = (text: string): string => text.normalize('NFC').toLowerCase();

/** Whether a touch's value meets one condition: equal, or starting with it, once both are folded. */
export function conditionMatches(condition: UtmCondition, value: string | null | undefined): boolean {
  if (value === null || value === undefined || value === '') return false;
  const have = foldCase(value);
  const want = foldCase(condition.value);
  return condition.match === 'exact' ? have === want : have.startsWith(want);
}

/** A rule matches a touch when it has at least one condition and every condition it has matches. */
export function ruleMatches(rule: MatchableRule, touch: TouchUtm): boolean {
  let any = false;
  for (const field of UTM_FIELDS) {
    const condition = rule.conditions[field];
    if (!condition) continue;
    if (!conditionMatches(condition, touch[field])) return false;
    any = true;
  }
  return any;
}

/** (priority, id) order: lower priority first, ties by id. */
export const byPriority = (a: MatchableRule, b: MatchableRule): number => a.priority - b.priority || a.id - b.id;

/**
 * The active rules that match a touch, in the order resolution tries them ((priority, id)). The
 * first whose codes are all live wins (AttributionResolver); the others are never looked at.
 */
export function matchingRules<R extends MatchableRule>(rules: readonly R[], touch: TouchUtm): R[] {
  return rules.filter((r) => r.isActive && ruleMatches(r, touch)).sort(byPriority);
}
