import { conditionMatches, foldCase, matchingRules, MatchableRule, ruleMatches } from './attribution-matching';

const rule = (id: number, priority: number, conditions: MatchableRule['conditions'], isActive = true): MatchableRule => ({
  id,
  priority,
  isActive,
  conditions,
});

describe('attribution rule matching', () => {
  it('compares exact values whole and prefixes by their beginning', () => {
    expect(conditionMatches({ value: 'google', match: 'exact' }, 'google')).toBe(true);
    expect(conditionMatches({ value: 'google', match: 'exact' }, 'google_ads')).toBe(false);
    expect(conditionMatches({ value: 'google', match: 'exact' }, 'goog')).toBe(false);
    expect(conditionMatches({ value: 'google', match: 'prefix' }, 'google_ads')).toBe(true);
    expect(conditionMatches({ value: 'google', match: 'prefix' }, 'google')).toBe(true);
    expect(conditionMatches({ value: 'google', match: 'prefix' }, 'my_google')).toBe(false);
    expect(conditionMatches({ value: 'google', match: 'prefix' }, 'goog')).toBe(false);
  });

  it('ignores case, ASCII and beyond, and the composition of accented letters', () => {
    expect(conditionMatches({ value: 'Google', match: 'exact' }, 'GOOGLE')).toBe(true);
    expect(conditionMatches({ value: 'Ärger', match: 'exact' }, 'ärger')).toBe(true);
    expect(conditionMatches({ value: 'ärger', match: 'exact' }, 'ÄRGER')).toBe(true);
    expect(conditionMatches({ value: 'Ärg', match: 'prefix' }, 'ärgerlich')).toBe(true);
    expect(conditionMatches({ value: 'ΣΟΦΙΑ', match: 'exact' }, 'σοφια')).toBe(true);
    // A decomposed Ä (A + U+0308) is the same letter as the precomposed one.
    expect(conditionMatches({ value: 'A\u0308rger', match: 'exact' }, '\u00e4rger')).toBe(true);
    // Case folding does not fold accents: "Arger" is another word.
    expect(conditionMatches({ value: 'Ärger', match: 'exact' }, 'arger')).toBe(false);
    expect(foldCase('ÄRGER')).toBe('ärger');
  });

  it('never matches a missing or empty value', () => {
    for (const value of [undefined, null, '']) {
      expect(conditionMatches({ value: 'x', match: 'prefix' }, value)).toBe(false);
      expect(conditionMatches({ value: 'x', match: 'exact' }, value)).toBe(false);
    }
  });

  it('needs every condition of a rule to match, and at least one condition', () => {
    const both = rule(1, 0, { utm_source: { value: 'google', match: 'exact' }, utm_medium: { value: 'cp', match: 'prefix' } });
    expect(ruleMatches(both, { utm_source: 'Google', utm_medium: 'CPC' })).toBe(true);
    expect(ruleMatches(both, { utm_source: 'Google', utm_medium: 'email' })).toBe(false);
    expect(ruleMatches(both, { utm_source: 'Google' })).toBe(false);
    expect(ruleMatches(both, { utm_medium: 'cpc' })).toBe(false);
    // Parameters the rule does not name do not matter.
    expect(ruleMatches(both, { utm_source: 'google', utm_medium: 'cpc', utm_campaign: 'anything' })).toBe(true);
    expect(ruleMatches(rule(2, 0, { utm_source: null, utm_medium: null }), { utm_source: 'google' })).toBe(false);
    expect(ruleMatches(rule(3, 0, {}), {})).toBe(false);
  });

  it('orders matches by priority, then id, and ignores inactive rules', () => {
    const google = { utm_source: { value: 'google', match: 'exact' as const } };
    const anyG = { utm_source: { value: 'g', match: 'prefix' as const } };
    const rules = [
      rule(5, 10, google),
      rule(2, 10, anyG),
      rule(9, 1, google, false),
      rule(7, 3, { utm_campaign: { value: 'spring', match: 'exact' } }),
      rule(4, 20, google),
      rule(1, 10, { utm_source: { value: 'bing', match: 'exact' } }),
    ];
    expect(matchingRules(rules, { utm_source: 'GOOGLE' }).map((r) => r.id)).toEqual([2, 5, 4]);
    expect(matchingRules(rules, { utm_source: 'google', utm_campaign: 'Spring' }).map((r) => r.id)).toEqual([7, 2, 5, 4]);
    expect(matchingRules(rules, { utm_source: 'yahoo' })).toEqual([]);
    expect(matchingRules(rules, {})).toEqual([]);
    // The input is left in its order.
    expect(rules.map((r) => r.id)).toEqual([5, 2, 9, 7, 4, 1]);
  });
});
