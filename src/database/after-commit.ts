import { Injectable, Logger } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import type { DataSource, EntitySubscriberInterface, QueryRunner } from 'typeorm';

interface Pending {
  /** The transaction depth the callback was queued at (1: the transaction itself, 2+: a savepoint in it). */
  depth: number;
  callback: () => void;
}

/** Callbacks waiting for the transaction of a query runner to commit. */
const pendingByRunner = new WeakMap<QueryRunner, Pending[]>();
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
 * - a commit of the transaction itself (not of a savepoint in it) runs what was queued, in order;
 * - a rollback of the transaction drops everything queued; a rollback to a savepoint drops what was
 *   queued inside that savepoint and keeps the rest for the outer transaction.
 */
const subscriber: EntitySubscriberInterface = {
  afterTransactionCommit({ queryRunner }) {
    if (queryRunner.isTransactionActive) return; // a savepoint was released; the transaction goes on
    const pending = pendingByRunner.get(queryRunner);
    if (!pending) return;
    pendingByRunner.delete(queryRunner);
    for (const p of pending) runSafely(p.callback);
  },
  afterTransactionRollback({ queryRunner }) {
    const pending = pendingByRunner.get(queryRunner);
    if (!pending) return;
    if (!queryRunner.isTransactionActive) {
      pendingByRunner.delete(queryRunner);
      return;
    }
    const depth = depthOf(queryRunner);
    pendingByRunner.set(
      queryRunner,
      pending.filter((p) => p.depth <= depth),
    );
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
  constructor(private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>) {}

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
