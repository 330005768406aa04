import { AppError } from '../errors/app-error';
import { Admission, analyticsLimit, ANALYTICS_CONNECTIONS_PER_REQUEST, consistencyOf } from './analytics-admission';

const tick = () => new Promise((r) => setImmediate(r));

describe('Admission (analytics requests a few at a time)', () => {
  it('admits up to the limit at once, then hands each released slot to the longest waiting request', async () => {
    const a = new Admission(2, 10_000, 10);
    await a.acquire();
    await a.acquire();
    const order: number[] = [];
    const waiting = [1, 2, 3].map((i) => a.acquire().then(() => order.push(i)));
    await tick();
    expect(order).toEqual([]);
    a.release();
    await tick();
    expect(order).toEqual([1]);
    a.release();
    a.release();
    await Promise.all(waiting);
    expect(order).toEqual([1, 2, 3]);
    // The two holders (2 and 3) release: both slots are free, two are admitted at once, a third waits.
    a.release();
    a.release();
    await a.acquire();
    await a.acquire();
    let third = false;
    const pending = a.acquire().then(() => (third = true));
    await tick();
    expect(third).toBe(false);
    a.release();
    await pending;
    expect(third).toBe(true);
  });

  it('answers 503 SERVICE_UNAVAILABLE with Retry-After when the wait is too long or the queue is full', async () => {
    jest.useFakeTimers();
    try {
      const a = new Admission(1, 1_000, 1);
      await a.acquire();
      const late = a.acquire();
      await expect(a.acquire()).rejects.toMatchObject({ code: 'SERVICE_UNAVAILABLE' });
      jest.advanceTimersByTime(1_000);
      const error = await late.catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AppError);
      expect((error as AppError).headers?.['retry-after']).toBe('5');
      // The timed-out request left the queue: the next one waits, and gets the released slot.
      const next = a.acquire();
      a.release();
      await expect(next).resolves.toBeUndefined();
    } finally {
      jest.useRealTimers();
    }
  });

  it('admits as many requests as the pool less a fifth holds at four connections each, at least one', () => {
    expect(ANALYTICS_CONNECTIONS_PER_REQUEST).toBe(4);
    // 10 - 2 = 8 connections → 2 requests; 20 - 4 = 16 → 4; 40 - 8 = 32 → 8; 7 - 2 = 5 → 1; 4 - 1 = 3 → 0 → at least 1.
    expect([10, 20, 40, 7, 4].map(analyticsLimit)).toEqual([2, 4, 8, 1, 1]);
    // From 5 connections on, the admitted analytics leave at least a fifth of the pool free.
    for (const pool of [5, 8, 10, 16, 24, 33, 100]) expect(pool - analyticsLimit(pool) * ANALYTICS_CONNECTIONS_PER_REQUEST).toBeGreaterThanOrEqual(pool / 5);
  });
});

describe('consistencyOf (X-Consistency)', () => {
  it('is eventual by default and takes eventual or strong in any case', () => {
    expect(consistencyOf(undefined)).toBe('eventual');
    expect(consistencyOf('eventual')).toBe('eventual');
    expect(consistencyOf('strong')).toBe('strong');
    expect(consistencyOf(' Strong ')).toBe('strong');
    expect(consistencyOf(['STRONG'])).toBe('strong');
  });

  it('refuses any other value with a 400 naming the header', () => {
    for (const bad of ['', 'linearizable', 'strong, eventual', 'true']) {
      expect(() => consistencyOf(bad)).toThrow(
        expect.objectContaining({ code: 'VALIDATION_FAILED', errors: [{ field: 'X-Consistency', message: 'X-Consistency must be eventual or strong' }] }),
      );
    }
    expect(() => consistencyOf(['strong', 'eventual'])).toThrow(expect.objectContaining({ code: 'VALIDATION_FAILED' }));
  });
});
