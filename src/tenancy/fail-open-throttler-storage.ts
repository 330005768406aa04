import { Logger, OnApplicationShutdown } from '@nestjs/common';
import { ThrottlerStorage } from '@nestjs/throttler';

type ThrottlerRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

/** What /metrics reports of where the rate-limit counters live (src/health/metrics.service.ts). */
export interface RateLimitStorageStatus {
  /** True while the counters are kept in the shared store (Redis) and it answers. */
  sharedInUse(): boolean;
  /** Requests counted in this process's memory because the shared store failed or did not answer in time. */
  fallbacks(): number;
}

export interface FailOpenOptions {
  /** How long a request waits for the shared store before it is counted locally. */
  timeoutMs: number;
  /** While the shared store is down, how often one request tries it again (the others go straight to the local counter). */
  probeEveryMs: number;
  /** Called with the shared store's disposal when the application stops (closes its connection). */
  close?: () => Promise<void> | void;
  logger?: Pick<Logger, 'warn' | 'log'>;
}

/**
 * The rate-limit counters kept in a shared store (Redis) so that the limit holds across instances,
 * failing OPEN to this process's own counters when the store errs or does not answer within
 * `timeoutMs`: a Redis outage then degrades the limit to per instance (N instances, up to N × the
 * setting) instead of taking the API down with it. The outage is logged once when it starts and once
 * when the store answers again, and counted in /metrics. While it lasts, one request per
 * `probeEveryMs` tries the store; the others do not wait for it at all.
 */
export class FailOpenThrottlerStorage implements ThrottlerStorage, RateLimitStorageStatus, OnApplicationShutdown {
  private up = true;
  private nextProbeAt = 0;
  private probing = false;
  private fallbackCount = 0;

  constructor(
    private readonly shared: ThrottlerStorage,
    private readonly local: ThrottlerStorage & Partial<OnApplicationShutdown>,
    private readonly options: FailOpenOptions,
  ) {}

  sharedInUse(): boolean {
    return this.up;
  }

  fallbacks(): number {
    return this.fallbackCount;
  }

  async increment(key: string, ttl: number, limit: number, blockDuration: number, throttlerName: string): Promise<ThrottlerRecord> {
    const probe = !this.up && !this.probing && Date.now() >= this.nextProbeAt;
    if (this.up || probe) {
      if (probe) this.probing = true;
      try {
        const record = await this.withTimeout(this.shared.increment(key, ttl, limit, blockDuration, throttlerName));
        this.recovered();
        return record;
      } catch (e) {
        this.failed(e);
      } finally {
        if (probe) this.probing = false;
      }
    }
    this.fallbackCount += 1;
    return this.local.increment(key, ttl, limit, blockDuration, throttlerName);
  }

  private withTimeout<T>(work: Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${this.options.timeoutMs} ms`)), this.options.timeoutMs);
    });
    return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
  }

  private failed(e: unknown): void {
    this.nextProbeAt = Date.now() + this.options.probeEveryMs;
    if (!this.up) return;
    this.up = false;
    const reason = e instanceof Error ? e.message : String(e);
    this.options.logger?.warn(
      `Rate-limit store unavailable (${reason}): counting per instance until it answers again (the limit holds per instance, not in total)`,
    );
  }

  private recovered(): void {
    if (this.up) return;
    this.up = true;
    this.options.logger?.log('Rate-limit store answers again: counting in the shared store');
  }

  async onApplicationShutdown(): Promise<void> {
    this.local.onApplicationShutdown?.();
    await this.options.close?.();
  }
}

export const isRateLimitStorageStatus = (x: unknown): x is RateLimitStorageStatus =>
  typeof x === 'object' &&
  x !== null &&
  typeof (x as RateLimitStorageStatus).sharedInUse === 'function' &&
  typeof (x as RateLimitStorageStatus).fallbacks === 'function';
