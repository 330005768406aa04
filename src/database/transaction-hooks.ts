import { Injectable, Logger } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { InjectTxHost } from './transactional';
import type { DataSource, EntitySubscriberInterface, QueryRunner } from 'typeorm';

interface Pending {
  /** The transaction depth the callback was queued at (1: the transaction itself, 2+: a savepoint in it). */
  depth: number;
  callback: () => void;
}

/** Callbacks waiting for the transaction of a query runner to commit. */
const pendingByRunner = new WeakMap<QueryRunner, Pending[]>();

/**
 * Work to run inside the transaction of a query runner, last, just before it commits (BeforeCommit).
 * An entry made by `collect` also holds its key and the items it gathers.
 */
interface Last {
  depth: number;
  work: () => Promise<void>;
  key?: symbol;
  items?: unknown[];
}
const lastByRunner = new WeakMap<QueryRunner, Last[]>();
const logger = new Logger('AfterCommit');

/** TypeORM keeps the savepoint depth protected; it is what tells a savepoint from the transaction. */
const depthOf = (runner: QueryRunner) => (runner as unknown as { transactionDepth?: number }).transactionDepth ?? 1;

const runSafely = (callback: () => void) => {
  try {
    callback();
  } catch (e) {
    // The transaction has committed: a failing callback must not turn the caller's success into an error.
    logger.error({ err: e }, 'an after-commit callback failed');
  }
};

/**
 * Listens to the transaction events of TypeORM's query runners (any adapter, any connection):
 * - just before the transaction itself commits, the work queued by BeforeCommit runs in it, in order;
 * - a commit of the transaction itself (not of a savepoint in it) runs what was queued, in order;
 * - a rollback of the transaction drops everything queued; a rollback to a savepoint drops what was
 *   queued inside that savepoint and keeps the rest for the outer transaction.
 */
/** Moves every entry queued deeper than `depth` to `depth` (in place); answers the list. */
function releaseTo<T extends { depth: number }>(queued: T[] | undefined, depth: number): T[] {
  for (const q of queued ?? []) if (q.depth > depth) q.depth = depth;
  return queued ?? [];
}

/** Entries of one key at one depth become one: the first keeps its place and takes the others' items. */
function mergeCollected(last: Last[]): Last[] {
  const merged: Last[] = [];
  for (const l of last) {
    const into = l.key === undefined ? undefined : merged.find((m) => m.key === l.key && m.depth === l.depth);
    if (into) into.items!.push(...l.items!);
    else merged.push(l);
  }
  return merged;
}

const subscriber: EntitySubscriberInterface = {
  async beforeTransactionCommit({ queryRunner }) {
    const depth = depthOf(queryRunner);
    if (depth > 1) {
      // A savepoint is released: what was queued inside it now belongs to the enclosing level, so that a
      // later sibling savepoint's rollback (which drops what is deeper than the level it returns to)
      // keeps it. Work gathered by `collect` joins the enclosing level's entry of the same key.
      releaseTo(pendingByRunner.get(queryRunner), depth - 1);
      const last = lastByRunner.get(queryRunner);
      if (last) lastByRunner.set(queryRunner, mergeCollected(releaseTo(last, depth - 1)));
      return;
    }
    const last = lastByRunner.get(queryRunner);
    if (!last) return;
    lastByRunner.delete(queryRunner);
    // A failure here fails the commit: TypeORM rolls the transaction back and the write reports the error.
    for (const l of last) await l.work();
  },
  afterTransactionCommit({ queryRunner }) {
    if (queryRunner.isTransactionActive) return; // a savepoint was released; the transaction goes on
    const pending = pendingByRunner.get(queryRunner);
    if (!pending) return;
    pendingByRunner.delete(queryRunner);
    for (const p of pending) runSafely(p.callback);
  },
  afterTransactionRollback({ queryRunner }) {
    for (const queued of [pendingByRunner, lastByRunner] as WeakMap<QueryRunner, { depth: number }[]>[]) {
      const pending = queued.get(queryRunner);
      if (!pending) continue;
      if (!queryRunner.isTransactionActive) {
        queued.delete(queryRunner);
        continue;
      }
      const depth = depthOf(queryRunner);
      queued.set(
        queryRunner,
        pending.filter((p) => p.depth <= depth),
      );
    }
  },
};

const hook = (dataSource: DataSource) => {
  // Pushed on first use rather than configured: the data source may be the host's own.
  if (!dataSource.subscribers.includes(subscriber)) dataSource.subscribers.push(subscriber);
};

/**
 * "Do this once the current transaction has committed": domain events and caches that must never
 * reflect a write that was rolled back. Outside a transaction the write is already durable, so the
 * callback runs at once. Callbacks run synchronously when the commit returns, in the order queued, in
 * the committing code's async context (its tenant) but outside its transaction.
 */
@Injectable()
export class AfterCommit {
  constructor(@InjectTxHost() private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>) {}

  /** Whether a transaction is open in the current async context (callbacks then wait for it). */
  inTransaction(): boolean {
    return this.runner() !== undefined;
  }

  run(callback: () => void): void {
    const runner = this.runner();
    if (!runner) {
      runSafely(callback);
      return;
    }
    hook(runner.dataSource);
    const pending = pendingByRunner.get(runner) ?? [];
    // Run outside the committed transaction (its handle is still in the async context at commit time):
    // a callback that writes opens a transaction of its own.
    const outside = () => void this.txHost.withoutTransaction(async () => runSafely(callback));
    pending.push({ depth: depthOf(runner), callback: outside });
    pendingByRunner.set(runner, pending);
  }

  private runner(): QueryRunner | undefined {
    if (!this.txHost.isTransactionActive()) return undefined;
    const runner = this.txHost.tx.queryRunner;
    return runner?.isTransactionActive ? runner : undefined;
  }
}

/**
 * "Do this in the current transaction, as its last statements": work that takes a lock every other write
 * of the tenant needs, so that the lock is held only from there to the commit. The audit log's ids do:
 * each tenant's audit entries are numbered from one row of `id_sequences` (IdSequences), and a write
 * that appended its entry early and then waited for a row another write holds, while that write waited
 * for the audit row, would deadlock (seen on MariaDB with a lead delete beside milestone updates). The
 * work runs inside the transaction, after the caller's code and before COMMIT; if it fails, the
 * transaction rolls back. A rollback drops it (a savepoint's rollback, what was queued inside it).
 * Outside a transaction it runs at once.
 */
@Injectable()
export class BeforeCommit {
  constructor(@InjectTxHost() private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>) {}

  async run(work: () => Promise<void>): Promise<void> {
    if (!this.txHost.isTransactionActive()) return work();
    const runner = this.txHost.tx.queryRunner;
    if (!runner?.isTransactionActive) return work();
    hook(runner.dataSource);
    const last = lastByRunner.get(runner) ?? [];
    last.push({ depth: depthOf(runner), work });
    lastByRunner.set(runner, last);
  }

  /**
   * Gathers `item` with the others collected under `key` in the current transaction, and runs `flush`
   * once with all of them, as one piece of last work (rows inserted together instead of one statement
   * each: the outbox events of a 5,000-lead bulk). Items gathered inside a savepoint that rolls back are
   * dropped with it. Outside a transaction `flush` runs at once with this item alone.
   */
  async collect<T>(key: symbol, item: T, flush: (items: T[]) => Promise<void>): Promise<void> {
    if (!this.txHost.isTransactionActive()) return flush([item]);
    const runner = this.txHost.tx.queryRunner;
    if (!runner?.isTransactionActive) return flush([item]);
    hook(runner.dataSource);
    const last = lastByRunner.get(runner) ?? [];
    const depth = depthOf(runner);
    const open = last.find((l) => l.key === key && l.depth === depth);
    if (open) {
      open.items!.push(item);
      return;
    }
    const items: T[] = [item];
    last.push({ depth, key, items, work: () => flush(items) });
    lastByRunner.set(runner, last);
  }
}
