import { applyDecorators, CallHandler, ExecutionContext, Inject, Injectable, NestInterceptor, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiHeader } from '@nestjs/swagger';
import { defer, finalize, Observable, switchMap } from 'rxjs';
import { AppError, fieldInvalid } from '../errors/app-error';

const ANALYTICS_ROUTE = 'analytics-route';

/**
 * The MySQL/MariaDB pool size of the module's DataSource (src/database/host-connection.ts reads it
 * from the DataSource's options); null on SQLite, which has one connection and no pool to protect.
 */
export const ANALYTICS_POOL_SIZE = Symbol('ANALYTICS_POOL_SIZE');

/**
 * How fresh an analytics answer must be (`X-Consistency`): `eventual` (the default) reads a replica
 * when there are replicas, and may lag behind the primary by the replica's replication delay;
 * `strong` reads the primary, so that it reflects every write acknowledged before the request.
 */
export type Consistency = 'eventual' | 'strong';
export const CONSISTENCY_HEADER = 'X-Consistency';
const CONSISTENCIES: readonly Consistency[] = ['eventual', 'strong'];

/** The consistency a request asks for in its X-Consistency header (any case); 400 for another value. */
export function consistencyOf(header: string | string[] | undefined): Consistency {
  if (header === undefined) return 'eventual';
  const value = (Array.isArray(header) ? header.join(',') : header).trim().toLowerCase();
  if ((CONSISTENCIES as string[]).includes(value)) return value as Consistency;
  throw fieldInvalid(CONSISTENCY_HEADER, `${CONSISTENCY_HEADER} must be eventual or strong`);
}

/**
 * Marks a controller (or handler) whose requests are analytics: admitted a few at a time, read from a
 * read replica when there are replicas (src/database/replica-reads.ts), with the X-Consistency header.
 */
export const AnalyticsRoute = () =>
  applyDecorators(
    SetMetadata(ANALYTICS_ROUTE, true),
    ApiHeader({
      name: CONSISTENCY_HEADER,
      required: false,
      description:
        'eventual (default): with read replicas, the answer may lag behind the latest writes by the replication delay, which the operator watches on the replicas. ' +
        'strong: the answer reflects every write acknowledged before this request (it is read from the primary).',
      schema: { type: 'string', enum: [...CONSISTENCIES], default: 'eventual' },
    }),
  );

/** Whether the route of the context is marked @AnalyticsRoute(). */
export const isAnalyticsRoute = (reflector: Reflector, context: ExecutionContext): boolean =>
  reflector.getAllAndOverride<boolean>(ANALYTICS_ROUTE, [context.getHandler(), context.getClass()]) === true;

/** How long an analytics request may wait for its turn before it is answered 503 with Retry-After. */
export const ANALYTICS_MAX_WAIT_MS = 10_000;
/** Analytics requests that may wait at once; beyond, 503 at once. */
export const ANALYTICS_MAX_QUEUE = 200;

const busy = () => new AppError('SERVICE_UNAVAILABLE', 'Too many analytics requests are running; try again shortly', undefined, { 'retry-after': '5' });

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
 * The most pool connections one analytics request holds at once: its handler's queries run in
 * parallel, and campaign trends with both filters runs four (launches, metric sums, types, channels).
 */
export const ANALYTICS_CONNECTIONS_PER_REQUEST = 4;

/**
 * Analytics requests admitted at once for a MySQL pool of poolSize connections: a fifth of the pool
 * (rounded up) is kept for writes and reads whatever the analytics do; the rest is shared by the
 * admitted analytics, each counted at ANALYTICS_CONNECTIONS_PER_REQUEST; at least one request.
 */
export const analyticsLimit = (poolSize: number): number => Math.max(1, Math.floor((poolSize - Math.ceil(poolSize / 5)) / ANALYTICS_CONNECTIONS_PER_REQUEST));

/**
 * Slow analytics must not starve writes of database connections. Analytics requests (controllers
 * marked @AnalyticsRoute()) are admitted analyticsLimit(DB_POOL_SIZE) at a time, so that a fifth of
 * the pool stays free for writes and reads whatever the analytics run (DB_POOL_SIZE 10 → 2 requests
 * holding at most 8 connections, 20 → 4, 40 → 8; below 8 connections, 1); the others wait their turn
 * in order, at most ANALYTICS_MAX_WAIT_MS, then answer 503 SERVICE_UNAVAILABLE with Retry-After.
 * SQLite has one connection and no pool to protect.
 */
@Injectable()
export class AnalyticsAdmissionInterceptor implements NestInterceptor {
  readonly admission: Admission;

  constructor(
    private readonly reflector: Reflector,
    @Inject(ANALYTICS_POOL_SIZE) poolSize: number | null,
  ) {
    const limit = poolSize === null ? Number.POSITIVE_INFINITY : analyticsLimit(poolSize);
    this.admission = new Admission(limit, ANALYTICS_MAX_WAIT_MS, ANALYTICS_MAX_QUEUE);
  }

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (!isAnalyticsRoute(this.reflector, context)) return next.handle();
    return defer(() => this.admission.acquire()).pipe(switchMap(() => next.handle().pipe(finalize(() => this.admission.release()))));
  }
}
