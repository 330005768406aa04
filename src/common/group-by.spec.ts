import { groupBy } from './group-by';

describe('groupBy', () => {
  it('keeps the items in order within each group and the groups in the order their keys first appear', () => {
    const rows = [
      { t: 'b', id: 1 },
      { t: 'a', id: 2 },
      { t: 'b', id: 3 },
    ];
    expect([...groupBy(rows, (r) => r.t)]).toEqual([
      ['b', [rows[0], rows[2]]],
      ['a', [rows[1]]],
    ]);
    expect([
      ...groupBy(
        rows,
        (r) => r.t,
        (r) => r.id,
      ),
    ]).toEqual([
      ['b', [1, 3]],
      ['a', [2]],
    ]);
    expect(groupBy([], (r: { t: string }) => r.t).size).toBe(0);
  });
});
