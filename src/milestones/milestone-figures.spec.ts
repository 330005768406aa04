import { breaches, durationFigures, progressAgainst, slaBreached, splitByMonths } from './milestone-figures';

const expand = (cells: { days: number; count: number }[]) => cells.flatMap((c) => Array.from({ length: c.count }, () => c.days));

/** The textbook definitions over the raw values, to check the histogram walk against. */
function direct(values: number[]) {
  const s = [...values].sort((a, b) => a - b);
  const n = s.length;
  if (n === 0) return { median: null, p90: null };
  const median = n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
  return { median, p90: s[Math.ceil((9 * n) / 10) - 1] };
}

describe('durationFigures', () => {
  it('answers nulls for no transitions', () => {
    expect(durationFigures([])).toEqual({ count: 0, sum: 0, average: null, median: null, p90: null });
    expect(durationFigures([{ days: 3, count: 0 }])).toMatchObject({ count: 0, median: null });
  });

  it('takes the middle value of an odd count and the mean of the two middle ones of an even count', () => {
    expect(
      durationFigures([
        { days: 1, count: 1 },
        { days: 5, count: 1 },
        { days: 9, count: 1 },
      ]),
    ).toMatchObject({ median: 5, average: 5 });
    expect(
      durationFigures([
        { days: 1, count: 1 },
        { days: 4, count: 1 },
      ]),
    ).toMatchObject({ median: 2.5, average: 2.5 });
  });

  it('uses nearest rank for p90', () => {
    // 10 values 1..10: rank 9 → 9. 11 values: rank ⌈9.9⌉ = 10 → 10.
    expect(durationFigures(Array.from({ length: 10 }, (_, i) => ({ days: i + 1, count: 1 }))).p90).toBe(9);
    expect(durationFigures(Array.from({ length: 11 }, (_, i) => ({ days: i + 1, count: 1 }))).p90).toBe(10);
    expect(durationFigures([{ days: 7, count: 1 }]).p90).toBe(7);
  });

  it('avoids the floating-point trap of 0.9 × 70', () => {
    const cells = Array.from({ length: 70 }, (_, i) => ({ days: i, count: 1 }));
    expect(durationFigures(cells).p90).toBe(62); // rank 63
  });

  it('merges repeated and unordered cells, and cancelled ones', () => {
    const f = durationFigures([
      { days: 4, count: 2 },
      { days: 1, count: 1 },
      { days: 4, count: 1 },
      { days: 2, count: 0 },
      { days: 9, count: -0 },
    ]);
    expect(f).toEqual({ count: 4, sum: 13, average: 3.25, median: 4, p90: 4 });
  });

  it('agrees with the direct definitions on many histograms', () => {
    let seed = 7;
    const rnd = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    for (let run = 0; run < 300; run++) {
      const cells = Array.from({ length: rnd(8) + 1 }, () => ({ days: rnd(40), count: rnd(5) }));
      const values = expand(cells);
      const f = durationFigures(cells);
      expect({ median: f.median, p90: f.p90 }).toEqual(direct(values));
      expect(f.count).toBe(values.length);
    }
  });
});

describe('breaches and SLA', () => {
  it('counts transitions strictly longer than the SLA, null without one', () => {
    const cells = [
      { days: 2, count: 3 },
      { days: 3, count: 1 },
      { days: 5, count: 2 },
    ];
    expect(breaches(cells, 3)).toBe(2);
    expect(breaches(cells, 0)).toBe(6);
    expect(breaches(cells, null)).toBeNull();
  });

  it('marks a milestone breached only with both a previous milestone and an SLA', () => {
    expect(slaBreached(4, 3)).toBe(true);
    expect(slaBreached(3, 3)).toBe(false);
    expect(slaBreached(null, 3)).toBe(false);
    expect(slaBreached(9, null)).toBe(false);
  });
});

describe('progressAgainst', () => {
  const seq = ['A', 'B', 'C', 'D'];
  it('names the first code not completed and the completed share', () => {
    expect(progressAgainst(seq, new Set(['A', 'C']))).toEqual({ nextExpected: 'B', progressPercent: 50 });
    expect(progressAgainst(seq, new Set(['A', 'B', 'C', 'D', 'X']))).toEqual({ nextExpected: null, progressPercent: 100 });
    expect(progressAgainst(['A', 'B', 'C'], new Set(['B']))).toEqual({ nextExpected: 'A', progressPercent: 33.33 });
    expect(progressAgainst(seq, new Set())).toEqual({ nextExpected: 'A', progressPercent: 0 });
  });
});

describe('splitByMonths', () => {
  it.each([
    [
      '2026-01-15',
      '2026-04-10',
      {
        days: [
          ['2026-01-15', '2026-01-31'],
          ['2026-04-01', '2026-04-10'],
        ],
        months: ['2026-02-01', '2026-03-01'],
      },
    ],
    ['2026-01-01', '2026-03-31', { days: [], months: ['2026-01-01', '2026-03-01'] }],
    ['2026-01-01', '2026-01-31', { days: [], months: ['2026-01-01', '2026-01-01'] }],
    ['2026-01-02', '2026-01-31', { days: [['2026-01-02', '2026-01-31']], months: null }],
    ['2026-01-01', '2026-01-30', { days: [['2026-01-01', '2026-01-30']], months: null }],
    ['2026-01-20', '2026-02-10', { days: [['2026-01-20', '2026-02-10']], months: null }],
    ['2026-03-05', '2026-03-05', { days: [['2026-03-05', '2026-03-05']], months: null }],
    ['2025-12-31', '2026-02-28', { days: [['2025-12-31', '2025-12-31']], months: ['2026-01-01', '2026-02-01'] }],
    ['2024-02-01', '2024-02-29', { days: [], months: ['2024-02-01', '2024-02-01'] }],
    [
      '2025-11-10',
      '2026-01-05',
      {
        days: [
          ['2025-11-10', '2025-11-30'],
          ['2026-01-01', '2026-01-05'],
        ],
        months: ['2025-12-01', '2025-12-01'],
      },
    ],
  ])('splits %s … %s', (start, end, parts) => {
    expect(splitByMonths(start, end)).toEqual(parts);
  });

  it('covers every day of the range exactly once', () => {
    const day = (n: number) => new Date(Date.UTC(2025, 10, 1) + n * 86_400_000).toISOString().slice(0, 10);
    for (let a = 0; a < 120; a += 7) {
      for (let b = a; b < 130; b += 5) {
        const parts = splitByMonths(day(a), day(b));
        const covered: string[] = [];
        for (const [from, to] of parts.days)
          for (let d = from; d <= to; d = new Date(Date.parse(`${d}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10)) covered.push(d);
        if (parts.months) {
          for (
            let d = parts.months[0];
            d.slice(0, 7) <= parts.months[1].slice(0, 7);
            d = new Date(Date.parse(`${d}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10)
          )
            covered.push(d);
        }
        const expected = Array.from({ length: b - a + 1 }, (_, i) => day(a + i));
        expect(covered.sort()).toEqual(expected);
      }
    }
  });
});
