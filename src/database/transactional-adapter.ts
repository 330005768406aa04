import { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { DataSource } from 'typeorm';
import { routedManager } from './replica-reads';

/**
 * TypeORM's adapter, plus two rules:
 * - outside a transaction, the reads of an analytics request that ReplicaReads sent to a replica use
 *   the replica's manager (src/database/replica-reads.ts); everything else uses the data source's
 *   manager, the primary;
 * - on SQLite: better-sqlite3 has a single connection, so two transactions started by concurrent
 *   requests would nest into one another (the second becomes a SAVEPOINT of the first). On SQLite,
 *   top-level transactions therefore queue behind each other. MySQL takes a pooled connection per
 *   transaction and needs no queue.
 */
export class SerializingTypeOrmAdapter extends TransactionalAdapterTypeOrm {
  constructor(options: ConstructorParameters<typeof TransactionalAdapterTypeOrm>[0]) {
    super(options);
    const base = this.optionsFactory;
    this.optionsFactory = (dataSource: DataSource) => {
      const options = { ...base(dataSource), getFallbackInstance: () => routedManager(dataSource) ?? dataSource.manager };
      if (dataSource.options.type !== 'better-sqlite3') return options;
      const queue = new TransactionQueue();
      return {
        ...options,
        wrapWithTransaction: (txOptions, fn, setClient) => queue.run(() => options.wrapWithTransaction(txOptions, fn, setClient)),
      };
    };
  }
}

/** A FIFO mutex: each job starts when the previous one has settled. */
export class TransactionQueue {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(job: () => Promise<T>): Promise<T> {
    const result = this.tail.then(job, job);
    this.tail = result.catch(() => undefined);
    return result;
  }
}
