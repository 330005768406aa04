import { costInForce } from './subsource-costs';

describe('costInForce', () => {
  const history = [
    { validFrom: '2026-03-01', costPerLead: 20 },
    { validFrom: null, costPerLead: 10 },
    { validFrom: '2026-05-15', costPerLead: 30 },
  ];

  it.each([
    ['1999-12-31', 10],
    ['2026-02-28', 10],
    ['2026-03-01', 20],
    ['2026-05-14', 20],
    ['2026-05-15', 30],
    ['2030-01-01', 30],
  ])('on %s answers %d (the entry with the latest valid_from not after the day, in any order given)', (day, cost) => {
    expect(costInForce(history, day)).toBe(cost);
    expect(costInForce([...history].reverse(), day)).toBe(cost);
  });

  it('answers undefined before a history without an entry from the beginning starts, and for no history', () => {
    expect(costInForce([{ validFrom: '2026-03-01', costPerLead: 20 }], '2026-02-28')).toBeUndefined();
    expect(costInForce([], '2026-02-28')).toBeUndefined();
  });
});
