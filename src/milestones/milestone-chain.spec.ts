import { ChainMilestone, compareChain, contributionOf, linkChain, netDeltas, NO_PREVIOUS_DATE } from './milestone-chain';

type Base = Omit<ChainMilestone, 'daysFromPrevious' | 'previousTypeId' | 'pairPreviousDate'>;
const m = (id: number, typeId: number, date: string, time: string | null = null, status: ChainMilestone['status'] = 'completed'): Base => ({
  id,
  milestoneTypeId: typeId,
  typeCode: `T${typeId}`,
  achievedDate: date,
  achievedTime: time,
  status,
  followUpRequired: false,
});
const linked = (rows: Base[]): ChainMilestone[] => {
  const links = linkChain(rows);
  return rows.map((r) => ({ ...r, ...links.get(r.id)! }));
};

describe('chain order', () => {
  it('orders by date, then time with a missing time first, then id', () => {
    const rows = [m(5, 1, '2026-01-02', '09:00:00'), m(4, 1, '2026-01-02'), m(3, 1, '2026-01-01', '23:00:00'), m(2, 1, '2026-01-02', '09:00:00')];
    expect([...rows].sort(compareChain).map((r) => r.id)).toEqual([3, 4, 2, 5]);
  });
});

describe('linkChain', () => {
  it('links a pair by type codes: a code re-used after a delete (another type id) continues the same pair', () => {
    // Types 2 and 3 share the code B (2 deleted, 3 its successor): A→B on the 2nd, then A→B again on the 9th.
    const b = (row: Base): Base => ({ ...row, typeCode: 'B' });
    const links = linkChain([m(1, 1, '2026-01-01'), b(m(2, 2, '2026-01-02')), m(3, 1, '2026-01-05'), b(m(4, 3, '2026-01-09'))]);
    expect(links.get(2)).toEqual({ daysFromPrevious: 1, previousTypeId: 1, pairPreviousDate: null });
    expect(links.get(4)).toEqual({ daysFromPrevious: 4, previousTypeId: 1, pairPreviousDate: '2026-01-02' });
  });

  it('links each milestone to the one before it in chain order, whatever the insertion order', () => {
    // Inserted out of order: ids 1..4, dates not increasing with the id.
    const links = linkChain([m(1, 10, '2026-01-10'), m(2, 20, '2026-01-03'), m(3, 30, '2026-01-20'), m(4, 40, '2026-01-01')]);
    expect(links.get(4)).toEqual({ daysFromPrevious: null, previousTypeId: null, pairPreviousDate: null });
    expect(links.get(2)).toEqual({ daysFromPrevious: 2, previousTypeId: 40, pairPreviousDate: null });
    expect(links.get(1)).toEqual({ daysFromPrevious: 7, previousTypeId: 20, pairPreviousDate: null });
    expect(links.get(3)).toEqual({ daysFromPrevious: 10, previousTypeId: 10, pairPreviousDate: null });
  });

  it('remembers the previous occurrence of the same transition in the lead', () => {
    // A→B on the 2nd, B→A, A→B again on the 9th, again on the 9th.
    const links = linkChain([
      m(1, 1, '2026-01-01'),
      m(2, 2, '2026-01-02'),
      m(3, 1, '2026-01-05'),
      m(4, 2, '2026-01-09'),
      m(5, 1, '2026-01-09', '10:00:00'),
      m(6, 2, '2026-01-09', '11:00:00'),
    ]);
    expect(links.get(2)!.pairPreviousDate).toBeNull();
    expect(links.get(4)!.pairPreviousDate).toBe('2026-01-02');
    expect(links.get(6)!.pairPreviousDate).toBe('2026-01-09');
    expect(links.get(3)!.pairPreviousDate).toBeNull(); // first B→A
    expect(links.get(5)!.pairPreviousDate).toBe('2026-01-05');
    expect(links.get(6)!.daysFromPrevious).toBe(0);
  });

  it('handles an empty chain and a single milestone', () => {
    expect(linkChain([]).size).toBe(0);
    expect(linkChain([m(7, 1, '2026-02-01')]).get(7)!.daysFromPrevious).toBeNull();
  });
});

describe('contributions', () => {
  it('counts a first milestone in the daily rollup only', () => {
    const [first] = linked([m(1, 3, '2026-01-05', null, 'pending')]);
    expect(contributionOf({ ...first, followUpRequired: true }, '2026-01-01')).toEqual({
      daily: [
        { day: '2026-01-05', milestoneTypeId: 3, measures: { milestones: 1, completed: 0, inProgress: 1, skipped: 0, failed: 0, followUps: 1, daysToHit: 4 } },
      ],
      transitions: [],
      leads: [],
    });
  });

  it('adds a transition and its distinct-lead cell for every later milestone', () => {
    const rows = linked([m(1, 3, '2026-01-05'), m(2, 4, '2026-01-08', null, 'failed')]);
    const c = contributionOf(rows[1], '2026-01-01');
    expect(c.transitions).toEqual([{ day: '2026-01-08', fromTypeId: 3, toTypeId: 4, days: 3, transitions: 1, completed: 0 }]);
    expect(c.leads).toEqual([{ day: '2026-01-08', fromTypeId: 3, toTypeId: 4, previousDate: NO_PREVIOUS_DATE, leads: 1 }]);
    expect(c.daily[0].measures.failed).toBe(1);
  });

  it('nets a back-dated insert down to the rows it changes', () => {
    const before = linked([m(1, 1, '2026-01-01'), m(2, 3, '2026-01-10')]);
    const after = linked([m(1, 1, '2026-01-01'), m(2, 3, '2026-01-10'), m(3, 2, '2026-01-04')]);
    const d = netDeltas([...before.map((x) => ({ milestone: x, sign: -1 as const })), ...after.map((x) => ({ milestone: x, sign: 1 as const }))], '2026-01-01');
    expect(d.daily).toEqual([
      { day: '2026-01-04', milestoneTypeId: 2, measures: { milestones: 1, completed: 1, inProgress: 0, skipped: 0, failed: 0, followUps: 0, daysToHit: 3 } },
    ]);
    expect(d.transitions).toEqual([
      { day: '2026-01-04', fromTypeId: 1, toTypeId: 2, days: 3, transitions: 1, completed: 1 },
      { day: '2026-01-10', fromTypeId: 1, toTypeId: 3, days: 9, transitions: -1, completed: -1 },
      { day: '2026-01-10', fromTypeId: 2, toTypeId: 3, days: 6, transitions: 1, completed: 1 },
    ]);
    expect(d.leads.map((l) => [l.fromTypeId, l.toTypeId, l.leads])).toEqual([
      [1, 2, 1],
      [1, 3, -1],
      [2, 3, 1],
    ]);
  });

  it('nets an unchanged chain to nothing', () => {
    const rows = linked([m(1, 1, '2026-01-01'), m(2, 2, '2026-01-03')]);
    const d = netDeltas([...rows.map((x) => ({ milestone: x, sign: -1 as const })), ...rows.map((x) => ({ milestone: x, sign: 1 as const }))], '2026-01-01');
    expect(d).toEqual({ daily: [], transitions: [], leads: [] });
  });

  it('sorts keys numerically so that writers lock rollup rows in one order', () => {
    const rows = linked([m(1, 10, '2026-01-01'), m(2, 9, '2026-01-01'), m(3, 100, '2026-01-01')]);
    const d = netDeltas(
      rows.map((x) => ({ milestone: x, sign: 1 as const })),
      '2026-01-01',
    );
    expect(d.daily.map((x) => x.milestoneTypeId)).toEqual([9, 10, 100]);
  });
});
