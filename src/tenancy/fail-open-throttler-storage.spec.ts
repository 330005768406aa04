import { ThrottlerStorage } from '@nestjs/throttler';
import { FailOpenThrottlerStorage, isRateLimitStorageStatus } from './fail-open-throttler-storage';
import { SlidingLogThrottlerStorage } from './throttler-storage';

type Mode = 'ok' | 'throw' | 'hang';

/** A shared store whose behaviour the test switches: answers like a counter, throws, or never answers. */
class SwitchableStore implements ThrottlerStorage {
  mode: Mode = 'ok';
  calls = 0;
  private readonly inner = new SlidingLogThrottlerStorage();

  increment(key: string, ttl: number, limit: number, blockDuration: number, name: string) {
    this.calls += 1;
    if (this.mode === 'throw') return Promise.reject(new Error('Connection is closed.'));
    if (this.mode === 'hang') return new Promise<never>(() => undefined);
    return this.inner.increment(key, ttl, limit, blockDuration, name);
  }

  close() {
    this.inner.onApplicationShutdown();
  }
}

describe('FailOpenThrottlerStorage', () => {
  let shared: SwitchableStore;
  let local: SlidingLogThrottlerStorage;
  let storage: FailOpenThrottlerStorage;
  let logs: { level: 'warn' | 'log'; msg: string }[];
  let closed: number;
  const hit = () => storage.increment('tenant:acme:default', 60_000, 3, 60_000, 'default');

  beforeEach(() => {
    jest.useFakeTimers({ now: new Date('2026-01-01T00:00:00Z') });
    shared = new SwitchableStore();
    local = new SlidingLogThrottlerStorage();
    logs = [];
    closed = 0;
    storage = new FailOpenThrottlerStorage(shared, local, {
      timeoutMs: 300,
      probeEveryMs: 1000,
      logger: { warn: (msg: string) => logs.push({ level: 'warn', msg }), log: (msg: string) => logs.push({ level: 'log', msg }) },
      close: () => void (closed += 1),
    });
  });
  afterEach(async () => {
    await storage.onApplicationShutdown();
    shared.close();
    jest.useRealTimers();
  });

  it('counts in the shared store while it answers', async () => {
    const answers = [await hit(), await hit(), await hit(), await hit()];
    expect(answers.map((a) => [a.totalHits, a.isBlocked])).toEqual([
      [1, false],
      [2, false],
      [3, false],
      [4, true],
    ]);
    expect(shared.calls).toBe(4);
    expect([storage.sharedInUse(), storage.fallbacks(), logs]).toEqual([true, 0, []]);
  });

  it('fails open to the local counter when the store throws, warns once per outage, and says once when it is back', async () => {
    await hit(); // shared: 1
    shared.mode = 'throw';
    const during = [await hit(), await hit(), await hit(), await hit()];
    // Counted locally from zero: the local limit applies (3), blocked at the fourth.
    expect(during.map((a) => [a.totalHits, a.isBlocked])).toEqual([
      [1, false],
      [2, false],
      [3, false],
      [4, true],
    ]);
    expect(storage.sharedInUse()).toBe(false);
    expect(storage.fallbacks()).toBe(4);
    // Only the first request of the outage tried the store; the others did not wait for it.
    expect(shared.calls).toBe(2);
    expect(logs).toEqual([{ level: 'warn', msg: expect.stringMatching(/^Rate-limit store unavailable \(Connection is closed\.\): counting per instance/) }]);

    // A probe after probeEveryMs still fails: no new warning.
    jest.advanceTimersByTime(1000);
    await hit();
    expect(shared.calls).toBe(3);
    expect(logs).toHaveLength(1);

    // Back: the next probe goes to the store, which still holds its count (1 before the outage).
    shared.mode = 'ok';
    jest.advanceTimersByTime(1000);
    const back = await hit();
    expect(back.totalHits).toBe(2);
    expect(storage.sharedInUse()).toBe(true);
    expect(storage.fallbacks()).toBe(5);
    expect(logs.map((l) => l.level)).toEqual(['warn', 'log']);
    expect(logs[1].msg).toBe('Rate-limit store answers again: counting in the shared store');
    expect((await hit()).totalHits).toBe(3);
    expect(shared.calls).toBe(5);

    // A second outage is logged again.
    shared.mode = 'throw';
    await hit();
    expect(logs.map((l) => l.level)).toEqual(['warn', 'log', 'warn']);
  });

  it('does not let a request wait longer than timeoutMs for a store that never answers', async () => {
    shared.mode = 'hang';
    const pending = hit();
    let settled = false;
    void pending.then(() => (settled = true));
    await jest.advanceTimersByTimeAsync(299);
    expect(settled).toBe(false);
    await jest.advanceTimersByTimeAsync(1);
    expect(settled).toBe(true);
    expect((await pending).totalHits).toBe(1);
    expect(storage.fallbacks()).toBe(1);
    expect(logs[0].msg).toMatch(/^Rate-limit store unavailable \(no answer within 300 ms\)/);
    // Until the next probe, requests do not touch the hanging store at all.
    await hit();
    expect(shared.calls).toBe(1);
  });

  it('sends only one probe at a time while the store is down', async () => {
    shared.mode = 'throw';
    await hit();
    shared.mode = 'hang';
    jest.advanceTimersByTime(1000);
    const probe = hit();
    await hit();
    await hit();
    expect(shared.calls).toBe(2);
    await jest.advanceTimersByTimeAsync(300);
    await probe;
    expect(storage.fallbacks()).toBe(4);
  });

  it('closes the shared store with the application and reports its status', async () => {
    expect(isRateLimitStorageStatus(storage)).toBe(true);
    expect(isRateLimitStorageStatus(local)).toBe(false);
    await storage.onApplicationShutdown();
    expect(closed).toBe(1);
  });
});
