import { AppError } from '../errors/app-error';
import { Admission } from './analytics-admission';

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
});
