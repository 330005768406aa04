import { chainOrder, overdueStage, planHasSla, SlaPlan, slaToday, StageMilestone } from './sla-breaches';

const plan: SlaPlan = {
  sequence: ['A', 'B', 'C'],
  types: new Map([
    ['A', { id: 1, slaDays: null }],
    ['B', { id: 2, slaDays: 3 }],
    ['C', { id: 3, slaDays: null }],
  ]),
};
const m = (typeCode: string, achievedDate: string, status: StageMilestone['status'] = 'completed'): StageMilestone => ({ typeCode, achievedDate, status });

describe('overdueStage', () => {
  it('is due on entered + sla_days and overdue from the day after (hand-worked: A on 03-01, B within 3 days)', () => {
    const chain = [m('A', '2026-03-01')];
    expect(overdueStage(chain, plan, '2026-03-04')).toBeNull();
    expect(overdueStage(chain, plan, '2026-03-05')).toEqual({
      typeId: 2,
      typeCode: 'B',
      slaDays: 3,
      enteredOn: '2026-03-01',
      dueOn: '2026-03-04',
      daysInStage: 4,
    });
  });

  it('times the stage from the last completed milestone; milestones not completed neither enter nor leave a stage', () => {
    expect(overdueStage([m('A', '2026-03-01'), m('B', '2026-03-02', 'pending')], plan, '2026-03-05')).toMatchObject({ typeCode: 'B', enteredOn: '2026-03-01' });
    expect(overdueStage([m('A', '2026-02-01'), m('C', '2026-03-01')], plan, '2026-03-05')).toMatchObject({ typeCode: 'B', enteredOn: '2026-03-01' });
    expect(overdueStage([m('A', '2026-03-01', 'pending')], plan, '2026-06-01')).toBeNull();
    expect(overdueStage([], plan, '2026-06-01')).toBeNull();
  });

  it('nothing when the next type has no SLA, or when the sequence is done', () => {
    expect(overdueStage([m('A', '2026-03-01'), m('B', '2026-03-02')], plan, '2027-01-01')).toBeNull();
    expect(overdueStage([m('A', '2026-03-01'), m('B', '2026-03-02'), m('C', '2026-03-03')], plan, '2027-01-01')).toBeNull();
    expect(planHasSla(plan)).toBe(true);
    expect(planHasSla({ sequence: ['A', 'C'], types: plan.types })).toBe(false);
    expect(planHasSla({ sequence: [], types: new Map() })).toBe(false);
  });
});

describe('chainOrder and slaToday', () => {
  it('orders by date, then time with a day without a time first, then id', () => {
    const rows = [
      { id: 4, achievedDate: '2026-03-02', achievedTime: null },
      { id: 3, achievedDate: '2026-03-01', achievedTime: '09:00:00' },
      { id: 2, achievedDate: '2026-03-01', achievedTime: null },
      { id: 1, achievedDate: '2026-03-01', achievedTime: '09:00:00' },
    ];
    expect(chainOrder(rows).map((r) => r.id)).toEqual([2, 1, 3, 4]);
  });

  it('counts in UTC days', () => {
    expect(slaToday(new Date('2026-03-04T23:59:59.999Z'))).toBe('2026-03-04');
    expect(slaToday(new Date('2026-03-05T00:00:00+02:00'))).toBe('2026-03-04');
  });
});
