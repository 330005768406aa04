import { budgetGuidelineErrors, budgetOutsideType, statusConfigErrors, StatusRule, transitionRefusal } from './campaign-rules';

const status = (statusCode: string, o: Partial<StatusRule> = {}): StatusRule => ({
  statusCode,
  isInitial: false,
  isFinal: false,
  allowedTransitions: [],
  ...o,
});

// The default workflow of API.md §2.
const DRAFT = status('DRAFT', { isInitial: true, allowedTransitions: ['ACTIVE'] });
const ACTIVE = status('ACTIVE', { allowedTransitions: ['PAUSED', 'COMPLETED'] });
const PAUSED = status('PAUSED', { allowedTransitions: ['ACTIVE', 'COMPLETED'] });
const COMPLETED = status('COMPLETED', { isFinal: true });
const ALL = [DRAFT, ACTIVE, PAUSED, COMPLETED];

describe('status transitions', () => {
  it('allows exactly the transitions of the default workflow', () => {
    const allowed = ALL.flatMap((from) => ALL.filter((to) => transitionRefusal(from, to) === null).map((to) => `${from.statusCode}→${to.statusCode}`));
    expect(allowed.sort()).toEqual(['ACTIVE→COMPLETED', 'ACTIVE→PAUSED', 'DRAFT→ACTIVE', 'PAUSED→ACTIVE', 'PAUSED→COMPLETED']);
  });

  it('never leaves a final status, even one that lists transitions', () => {
    const odd = status('ARCHIVED', { isFinal: true, allowedTransitions: ['ACTIVE'] });
    expect(transitionRefusal(odd, ACTIVE)).toMatch(/final/);
    expect(transitionRefusal(COMPLETED, DRAFT)).toMatch(/final/);
  });

  it('reads an empty list as "any non-initial status"', () => {
    const open = status('REVIEW');
    expect(transitionRefusal(open, ACTIVE)).toBeNull();
    expect(transitionRefusal(open, COMPLETED)).toBeNull();
    expect(transitionRefusal(open, DRAFT)).toMatch(/initial/);
  });

  it('allows a move back to the initial status only when listed', () => {
    expect(transitionRefusal(status('X', { allowedTransitions: ['DRAFT'] }), DRAFT)).toBeNull();
  });

  it('refuses staying in the same status', () => {
    expect(transitionRefusal(ACTIVE, ACTIVE)).toMatch(/already/);
  });

  it('names the allowed moves when refusing', () => {
    expect(transitionRefusal(DRAFT, COMPLETED)).toBe('DRAFT → COMPLETED is not allowed; DRAFT allows ACTIVE');
  });
});

describe('status rows', () => {
  const row = (o: Partial<StatusRule & { isActive: boolean }>) => ({ ...status('S'), isActive: true, ...o });
  it('refuses contradictions', () => {
    expect(statusConfigErrors(row({ isInitial: true, isFinal: true })).map((e) => e.field)).toEqual(['is_final']);
    expect(statusConfigErrors(row({ isFinal: true, allowedTransitions: ['A'] })).map((e) => e.field)).toEqual(['allowed_transitions']);
    expect(statusConfigErrors(row({ allowedTransitions: ['S'] })).map((e) => e.field)).toEqual(['allowed_transitions']);
    expect(statusConfigErrors(row({ isInitial: true, isActive: false })).map((e) => e.field)).toEqual(['is_active']);
    expect(statusConfigErrors(row({ isInitial: true, allowedTransitions: ['A'] }))).toEqual([]);
  });
});

describe('budget guidelines', () => {
  const g = (minBudget: number | null, recommendedBudget: number | null, maxBudget: number | null) => ({
    minBudget,
    recommendedBudget,
    maxBudget,
  });
  it('holds min ≤ recommended ≤ max for the bounds given', () => {
    expect(budgetGuidelineErrors(g(100, 500, 1000))).toEqual([]);
    expect(budgetGuidelineErrors(g(100, 100, 100))).toEqual([]);
    expect(budgetGuidelineErrors(g(null, 5, null))).toEqual([]);
    expect(budgetGuidelineErrors(g(1000, null, 100)).map((e) => e.field)).toEqual(['max_budget']);
    expect(budgetGuidelineErrors(g(100, 50, null)).map((e) => e.field)).toEqual(['recommended_budget']);
    expect(budgetGuidelineErrors(g(null, 5000, 1000)).map((e) => e.field)).toEqual(['recommended_budget']);
  });

  it("keeps a campaign's budget within its type's min and max, edges included", () => {
    const type = { ...g(100, null, 1000), typeCode: 'T' };
    expect(budgetOutsideType(100, type)).toBeNull();
    expect(budgetOutsideType(1000, type)).toBeNull();
    expect(budgetOutsideType(null, type)).toBeNull();
    expect(budgetOutsideType(99.99, type)?.message).toMatch(/at least 100/);
    expect(budgetOutsideType(1000.01, type)?.message).toMatch(/at most 1000/);
    expect(budgetOutsideType(5, { ...g(null, null, null), typeCode: 'T' })).toBeNull();
  });
});
