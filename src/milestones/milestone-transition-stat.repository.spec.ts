import { MilestoneTransitionStatRepository } from './milestone-transition-stat.repository';

/** The repository over a stand-in transaction that records each statement instead of running it. */
function recorded() {
  const statements: { sql: string; params: unknown[] }[] = [];
  const tx = {
    connection: { options: { type: 'better-sqlite3' } },
    query: async (sql: string, params: unknown[]) => {
      statements.push({ sql, params });
    },
  };
  const repository = new MilestoneTransitionStatRepository({ tx } as never, { require: () => ({ tenantId: 't1' }) } as never);
  /** The rows written to `table`: tenant, keys, then measures. */
  const rowsOf = (table: string, width: number) =>
    statements
      .filter((s) => s.sql.includes(`"${table}"`))
      .flatMap((s) => Array.from({ length: s.params.length / width }, (_, i) => s.params.slice(i * width, (i + 1) * width)));
  return { repository, rowsOf };
}

describe('MilestoneTransitionStatRepository: the monthly copy', () => {
  it('folds days into their month and drops what cancels out', async () => {
    const { repository, rowsOf } = recorded();
    const t = (day: string, days: number, transitions: number, completed = 0) => ({ day, fromTypeId: 1, toTypeId: 2, days, transitions, completed });
    await repository.add([t('2026-01-31', 3, 1, 1), t('2026-01-02', 3, 1), t('2026-02-01', 3, -1, -1), t('2026-01-15', 4, 1), t('2026-01-20', 4, -1)]);
    expect(rowsOf('milestone_transition_months', 7)).toEqual([
      ['t1', '2026-01-01', 1, 2, 3, 2n, 1n],
      ['t1', '2026-02-01', 1, 2, 3, -1n, -1n],
    ]);
    expect(rowsOf('milestone_transition_stats', 7)).toHaveLength(5);
  });

  it('writes the months in key order, numbers as numbers, as the daily rows are (one lock order for every writer)', async () => {
    const { repository, rowsOf } = recorded();
    const t = (fromTypeId: number, days: number) => ({ day: '2026-03-04', fromTypeId, toTypeId: 2, days, transitions: 1, completed: 0 });
    await repository.add([t(9, 10), t(9, 9), t(10, 1)]);
    expect(rowsOf('milestone_transition_months', 7).map((r) => [r[2], r[4]])).toEqual([
      [9, 9],
      [9, 10],
      [10, 1],
    ]);
  });
});
