import { CallHandler, ExecutionContext, Inject, Injectable, NestInterceptor, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { defer, finalize, Observable, switchMap } from 'rxjs';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { AppError } from '../errors/app-error';

const ANALYTICS_ROUTE = 'analytics-route';

/** Marks a controller (or handler) whose requests are analytics: admitted a few at a time. */
export const AnalyticsRoute = () => SetMetadata(ANALYTICS_ROUTE, true);

/** How long an analytics request may wait for its turn before it is answered 503 with Retry-After. */
export const ANALYTICS_MAX_WAIT_MS = 10_000;
/** Analytics requests that may wait at once; beyond, 503 at once. */
export const ANALYTICS_MAX_QUEUE = 200;

const busy = () =>
  new AppError('SERVICE_UNAVAILABLE', 'Too many analytics requests are running; try again shortly', undefined, { 'retry-after': '5' });

/** A FIFO counting semaphore with a bounded queue and a bounded wait. */
export class Admission {
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(
    readonly limit: number,
    private readonly maxWaitMs: number,
    private readonly maxQueue: number,
  ) {}

  async acquire(): Promise<void> {
    if (this.active < this.limit) {
      this.active += 1;
      return;
    }
    if (this.waiting.length >= this.maxQueue) throw busy();
    await new Promise<void>((resolve, reject) => {
      const turn = () => {
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => {
        this.waiting.splice(this.waiting.indexOf(turn), 1);
        reject(busy());
      }, this.maxWaitMs);
      this.waiting.push(turn);
    });
  }

  /** Hands the slot to the longest waiting request, if any. */
  release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.active -= 1;
  }
}

/**
 * Slow analytics must not starve writes of database connections. Analytics requests (controllers
 * marked @AnalyticsRoute()) run at most a quarter of the MySQL pool at a time (DB_POOL_SIZE / 4, at
 * least 1; an analytics request may run up to three queries at once), so the rest of the pool stays
 * free for writes and reads; the others wait their turn in order, at most ANALYTICS_MAX_WAIT_MS, then
 * answer 503 SERVICE_UNAVAILABLE with Retry-After. SQLite has one connection and no pool to protect.
 */
@Injectable()
export class AnalyticsAdmissionInterceptor implements NestInterceptor {
  readonly admission: Admission;

  constructor(
    private readonly reflector: Reflector,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    const limit = config.database.type === 'mysql' ? Math.max(1, Math.floor(config.database.poolSize / 4)) : Number.POSITIVE_INFINITY;
    this.admission = new Admission(limit, ANALYTICS_MAX_WAIT_MS, ANALYTICS_MAX_QUEUE);
  }

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (!this.reflector.getAllAndOverride<boolean>(ANALYTICS_ROUTE, [context.getHandler(), context.getClass()])) return next.handle();
    return defer(() => this.admission.acquire()).pipe(switchMap(() => next.handle().pipe(finalize(() => this.admission.release()))));
  }
}
