import { IN_LIST_MAX, inSlices } from './in-list';

describe('inSlices', () => {
  it('cuts a list into consecutive slices of at most the size, keeping order', () => {
    expect(inSlices([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
    expect(inSlices([1, 2, 3, 4], 2)).toEqual([
      [1, 2],
      [3, 4],
    ]);
  });

  it('answers no slice for no values (no empty IN list reaches SQL)', () => {
    expect(inSlices([])).toEqual([]);
  });

  it('stays below the size at which MySQL and MariaDB stop diving into the index', () => {
    const values = Array.from({ length: 5000 }, (_, i) => i);
    const slices = inSlices(values);
    expect(slices).toHaveLength(Math.ceil(5000 / IN_LIST_MAX));
    expect(Math.max(...slices.map((s) => s.length))).toBeLessThan(200);
    expect(slices.flat()).toEqual(values);
  });
});
