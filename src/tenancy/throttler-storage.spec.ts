import { ThrottlerStorageService } from '@nestjs/throttler';
import { SlidingLogThrottlerStorage } from './throttler-storage';

/** Same answers as @nestjs/throttler's default storage, request by request, for random traffic. */
describe('SlidingLogThrottlerStorage', () => {
  beforeEach(() => jest.useFakeTimers({ now: new Date('2026-01-01T00:00:00Z') }));
  afterEach(() => jest.useRealTimers());

  let seed = 42;
  const random = () => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed / 2 ** 31;
  };

  it.each([
    ['blocking', 60_000, 5],
    ['blocking, short block', 10_000, 3],
    ['without block', 0, 4],
  ])('answers as the default storage (%s)', async (_name, blockDuration, limit) => {
    const ours = new SlidingLogThrottlerStorage();
    const reference = new ThrottlerStorageService();
    try {
      for (let i = 0; i < 3000; i++) {
        const key = `tenant:${Math.floor(random() * 3)}:default`;
        const ttl = random() < 0.02 ? 30_000 : 60_000;
        const a = await ours.increment(key, ttl, limit, blockDuration, 'default');
        const b = await reference.increment(key, ttl, limit, blockDuration, 'default');
        expect({ i, ...a }).toEqual({ i, ...b });
        jest.advanceTimersByTime(Math.floor(random() < 0.1 ? random() * 70_000 : random() * 4_000));
      }
    } finally {
      ours.onApplicationShutdown();
      reference.onApplicationShutdown();
    }
  });
});
