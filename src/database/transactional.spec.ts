import { DEADLOCK_ATTEMPTS, retryDeadlocks } from './transactional';

/** What TypeORM throws when InnoDB picks the transaction as a deadlock victim (QueryFailedError's shape). */
const deadlock = () => Object.assign(new Error('Deadlock found when trying to get lock'), { driverError: { code: 'ER_LOCK_DEADLOCK', errno: 1213 } });
const noPause = async () => undefined;

describe('retryDeadlocks', () => {
  it('sends a transaction that lost a deadlock again and answers what the next attempt answers', async () => {
    let attempts = 0;
    const result = await retryDeadlocks(async () => {
      attempts++;
      if (attempts === 1) throw deadlock();
      return 'committed';
    }, noPause);
    expect(result).toBe('committed');
    expect(attempts).toBe(2);
  });

  it(`gives up after ${DEADLOCK_ATTEMPTS} attempts with the last deadlock (the caller answers 503)`, async () => {
    let attempts = 0;
    const pauses: number[] = [];
    const work = async () => {
      attempts++;
      throw deadlock();
    };
    await expect(retryDeadlocks(work, async (ms) => void pauses.push(ms))).rejects.toMatchObject({ driverError: { code: 'ER_LOCK_DEADLOCK' } });
    expect(attempts).toBe(DEADLOCK_ATTEMPTS);
    expect(pauses).toHaveLength(DEADLOCK_ATTEMPTS - 1);
    expect(pauses[0]).toBeGreaterThanOrEqual(5);
    expect(pauses[0]).toBeLessThanOrEqual(25);
    expect(pauses[1]).toBeGreaterThanOrEqual(10);
    expect(pauses[1]).toBeLessThanOrEqual(50);
  });

  it('never repeats a transaction that failed for another reason (a lock wait timeout included)', async () => {
    for (const error of [
      new Error('validation'),
      Object.assign(new Error('Lock wait timeout'), { driverError: { code: 'ER_LOCK_WAIT_TIMEOUT', errno: 1205 } }),
    ]) {
      let attempts = 0;
      await expect(
        retryDeadlocks(async () => {
          attempts++;
          throw error;
        }, noPause),
      ).rejects.toBe(error);
      expect(attempts).toBe(1);
    }
  });
});
