import { AsyncLocalStorage } from 'node:async_hooks';
import { CallHandler, ExecutionContext, Injectable, Logger, NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { defer, lastValueFrom, Observable } from 'rxjs';
import type { DataSource, EntityManager } from 'typeorm';
import { consistencyOf, isAnalyticsRoute } from '../common/analytics/analytics-admission';
import { isUnavailable } from '../common/errors/to-problem';

/**
 * Which database answered an analytics request: a `replica`; the `primary` by the rule (no replicas,
 * `X-Consistency: strong`, or a request that wrote); the primary as `primary_fallback` because no
 * replica could answer.
 */
export type ReadSource = 'replica' | 'primary' | 'primary_fallback';
export const READ_SOURCES: readonly ReadSource[] = ['replica', 'primary', 'primary_fallback'];

/** The replica's manager, for the reads outside a transaction of one analytics request. */
const routed = new AsyncLocalStorage<{ dataSource: DataSource; manager: EntityManager }>();

/**
 * The manager reads outside a transaction use in this async context on `dataSource`: a replica's while
 * an analytics request runs there (ReplicaReads.read), else none (the data source's own, the primary).
 * The transactional adapter's non-transactional instance (src/database/transactional-adapter.ts).
 */
export function routedManager(dataSource: DataSource): EntityManager | undefined {
  const store = routed.getStore();
  return store?.dataSource === dataSource ? store.manager : undefined;
}

/** Requests that may have written before their reads (their tenant's first-sight registration). */
const wrote = new WeakSet<object>();

/** The request may have written (e.g. registered its tenant): its reads must see that on the primary. */
export const readOwnWrites = (request: object): void => void wrote.add(request);

/**
 * Driver errors of a replica that cannot answer this request though the primary can: its schema is
 * behind the primary's migrations (a table, a column or the database not there yet).
 */
const SCHEMA_BEHIND = new Set(['ER_NO_SUCH_TABLE', 'ER_BAD_FIELD_ERROR', 'ER_BAD_DB_ERROR']);

const codeOf = (error: unknown): string => {
  const e = error as { driverError?: { code?: unknown }; code?: unknown } | undefined;
  const code = e?.driverError?.code ?? e?.code;
  return typeof code === 'string' ? code : 'unknown error';
};

/** Whether a failure on the replica is one the primary would not have (the replica's, not the request's). */
const replicaTrouble = (error: unknown): boolean => isUnavailable(error) || SCHEMA_BEHIND.has(codeOf(error));

/**
 * Where analytics read. The rule (docs/scaling.md, "Read replicas"):
 *
 * - every write, every transaction, and every read of a non-analytics request (lists, gets, ETags,
 *   seeding, id allocation) goes to the primary: TypeORM's replication is configured with
 *   `defaultMode: 'master'`, and nothing else asks for a replica;
 * - an analytics request (@AnalyticsRoute) reads one replica connection (`createQueryRunner('slave')`)
 *   for all its reads, and may lag behind the primary by the replica's replication delay;
 * - a request that must see its own or the latest writes reads the primary: `X-Consistency: strong`,
 *   and a request that may have written first (its tenant registered on first sight);
 * - a replica that cannot give a connection, or fails the request with a connection error, is
 *   answered for from the primary (the request is run again there; analytics only read), counted as
 *   `primary_fallback`, warned once per outage. The pool cluster (ReplicaCluster) leaves the failed
 *   replica out for a few seconds, so the outage costs no connection attempt per request; the first
 *   request after that tries it again, and answers from it when it is back.
 *
 * Works on the host's DataSource too when the host configures TypeORM replication itself (its cluster
 * then decides how long a failed replica is left out).
 */
export class ReplicaReads {
  private readonly logger = new Logger('ReplicaReads');
  private readonly listeners: ((source: ReadSource) => void)[] = [];
  private outage = false;

  constructor(private readonly dataSource: DataSource) {}

  /** Whether the data source has read replicas (TypeORM replication on MySQL/MariaDB). */
  get replicated(): boolean {
    return (this.dataSource.driver as { isReplicated?: unknown }).isReplicated === true;
  }

  /** Whether analytics are answered from the primary because the replicas failed, until one answers again. */
  get down(): boolean {
    return this.outage;
  }

  /** Calls `listener` with the source of each analytics answer (the metrics). */
  onAnswer(listener: (source: ReadSource) => void): void {
    this.listeners.push(listener);
  }

  /**
   * Runs `work` (an analytics request: reads only) with its reads outside transactions on a replica,
   * or on the primary when `primary` is asked or there is no replica; again on the primary when the
   * replica fails it.
   */
  async read<T>(work: () => Promise<T>, primary: boolean): Promise<T> {
    if (primary || !this.replicated) return this.answered('primary', await work());
    const runner = this.dataSource.createQueryRunner('slave');
    let failure: { error: unknown } | undefined;
    try {
      // Any failure to get a replica connection (down, refused, wrong credentials) falls back.
      await runner.connect().catch((error: unknown) => (failure = { error }));
      if (!failure) {
        const result = await routed.run({ dataSource: this.dataSource, manager: runner.manager }, work);
        this.back();
        return this.answered('replica', result);
      }
    } catch (error) {
      // During the request, only the replica's own trouble: the request's errors (404, 400) are its answer.
      if (!replicaTrouble(error)) throw error;
      failure = { error };
    } finally {
      await runner.release();
    }
    this.fellBack(failure?.error);
    return this.answered('primary_fallback', await work());
  }

  private answered<T>(source: ReadSource, result: T): T {
    for (const listener of this.listeners) listener(source);
    return result;
  }

  private fellBack(error: unknown): void {
    if (this.outage) return;
    this.outage = true;
    this.logger.warn({ code: codeOf(error) }, 'the read replicas cannot answer analytics: the primary answers them until a replica is back');
  }

  private back(): void {
    if (!this.outage) return;
    this.outage = false;
    this.logger.log('a read replica answers analytics again');
  }
}

/**
 * Runs the handlers of analytics routes through ReplicaReads, after their admission: the
 * X-Consistency header (400 for an unknown value) and whether the request may have written decide
 * between replica and primary.
 */
@Injectable()
export class AnalyticsReadsInterceptor implements NestInterceptor {
  constructor(
    private readonly reflector: Reflector,
    private readonly reads: ReplicaReads,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (!isAnalyticsRoute(this.reflector, context)) return next.handle();
    return defer(() => {
      const request = context.switchToHttp().getRequest<{ headers: Record<string, string | string[] | undefined> }>();
      const strong = consistencyOf(request.headers['x-consistency']) === 'strong';
      return this.reads.read(() => lastValueFrom(next.handle(), { defaultValue: undefined }), strong || wrote.has(request));
    });
  }
}
