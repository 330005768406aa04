import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import { ThrottlerStorage } from '@nestjs/throttler';

interface HitLog {
  /** Expiry times of the hits still in the window, oldest first, from `head` on. */
  expiries: number[];
  head: number;
}

interface Counter {
  /** End of the current fixed window (what `timeToExpire` reports). */
  expiresAt: number;
  blockExpiresAt: number;
  isBlocked: boolean;
  hits: Map<string, HitLog>;
}

const SWEEP_MS = 60_000;

/**
 * In-memory rate-limit counters with the semantics of @nestjs/throttler's default storage (a sliding
 * log of hits per key and throttler, blocking for `blockDuration` once over the limit), kept in time
 * proportional to the hits that expire rather than to the hits in the window: the default storage
 * filters the whole log on every request, which at a limit of thousands per minute costs more than
 * the rest of a small read. Idle keys are dropped once a minute.
 */
@Injectable()
export class SlidingLogThrottlerStorage implements ThrottlerStorage, OnApplicationShutdown {
  private readonly counters = new Map<string, Counter>();
  private sweeper?: NodeJS.Timeout;

  async increment(key: string, ttl: number, limit: number, blockDuration: number, throttlerName: string) {
    const now = Date.now();
    this.startSweeping();
    let counter = this.counters.get(key);
    if (!counter) this.counters.set(key, (counter = { expiresAt: now + ttl, blockExpiresAt: 0, isBlocked: false, hits: new Map() }));
    let log = counter.hits.get(throttlerName);
    if (!log) counter.hits.set(throttlerName, (log = { expiries: [], head: 0 }));
    prune(log, now);

    let timeToExpire = Math.ceil((counter.expiresAt - now) / 1000);
    if (timeToExpire <= 0) {
      counter.expiresAt = now + ttl;
      timeToExpire = Math.ceil((counter.expiresAt - now) / 1000);
    }

    if (blockDuration <= 0) {
      const isBlocked = size(log) >= limit;
      if (!isBlocked) record(log, now + ttl);
      const timeToBlockExpire = size(log) > 0 ? Math.ceil((oldest(log) - now) / 1000) : timeToExpire;
      return { totalHits: size(log) + (isBlocked ? 1 : 0), timeToExpire, isBlocked, timeToBlockExpire: isBlocked ? timeToBlockExpire : 0 };
    }

    if (!counter.isBlocked) record(log, now + ttl);
    if (size(log) > limit && !counter.isBlocked) {
      counter.isBlocked = true;
      counter.blockExpiresAt = now + blockDuration;
    }
    const timeToBlockExpire = Math.ceil((counter.blockExpiresAt - now) / 1000);
    if (timeToBlockExpire <= 0 && counter.isBlocked) {
      // The block is over: the log starts again from this request.
      counter.isBlocked = false;
      log.expiries = [];
      log.head = 0;
      record(log, now + ttl);
    }
    return { totalHits: size(log), timeToExpire, isBlocked: counter.isBlocked, timeToBlockExpire };
  }

  private startSweeping(): void {
    if (this.sweeper) return;
    this.sweeper = setInterval(() => this.sweep(Date.now()), SWEEP_MS);
    this.sweeper.unref();
  }

  private sweep(now: number): void {
    for (const [key, counter] of this.counters) {
      if ((counter.isBlocked && counter.blockExpiresAt > now) || counter.expiresAt > now) continue;
      let live = false;
      for (const log of counter.hits.values()) {
        prune(log, now);
        live ||= size(log) > 0;
      }
      if (!live) this.counters.delete(key);
    }
  }

  onApplicationShutdown(): void {
    if (this.sweeper) clearInterval(this.sweeper);
    this.sweeper = undefined;
    this.counters.clear();
  }
}

const size = (log: HitLog) => log.expiries.length - log.head;

/** The earliest expiry among the live hits (the log is kept sorted). */
const oldest = (log: HitLog) => log.expiries[log.head];

/** Drops the hits expired at `now`. Expiries arrive in order when the ttl does not change; else a full pass. */
function prune(log: HitLog, now: number): void {
  const { expiries } = log;
  while (log.head < expiries.length && expiries[log.head] <= now) log.head++;
  if (log.head > 1024 && log.head * 2 > expiries.length) {
    log.expiries = expiries.slice(log.head);
    log.head = 0;
  }
}

function record(log: HitLog, expiry: number): void {
  const { expiries } = log;
  if (size(log) > 0 && expiry < expiries[expiries.length - 1]) {
    // Out of order (the ttl changed): keep the log sorted so that pruning stays a prefix.
    let i = expiries.length;
    while (i > log.head && expiries[i - 1] > expiry) i--;
    expiries.splice(i, 0, expiry);
  } else expiries.push(expiry);
}
