import { Logger } from '@nestjs/common';
import { InjectTransactionHost, TransactionHost, Transactional as TransactionalOn } from '@nestjs-cls/transactional';
import { copyMethodMetadata } from 'nestjs-cls';
import { isDeadlock } from '../common/errors/to-problem';

/**
 * The name of our transactional connection in nestjs-cls. A host that embeds the module may use
 * `@nestjs-cls/transactional` for its own database with the default (unnamed) connection; ours is
 * named, so the two TransactionHosts never replace each other.
 */
export const CUSTOMIZATION_TX = 'sales-customization';

/** Attempts of one transaction that InnoDB keeps choosing as a deadlock victim, before the 503 goes out. */
export const DEADLOCK_ATTEMPTS = 3;
const logger = new Logger('Transactional');

/**
 * Runs `work` (a whole transaction) again when it lost a deadlock, up to DEADLOCK_ATTEMPTS times, after a
 * short random pause (5–25 ms, then 10–50 ms) so that the two transactions do not meet again in step.
 * InnoDB has rolled the victim back entirely, and the hooks it queued went with it
 * (src/database/transaction-hooks.ts), so a second attempt starts from nothing. Any other error, and the
 * last deadlock, go to the caller (a deadlock becomes 503 with Retry-After, src/common/errors/to-problem.ts).
 */
export async function retryDeadlocks<T>(work: () => Promise<T>, pause = (ms: number) => new Promise<void>((r) => setTimeout(r, ms))): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      if (attempt >= DEADLOCK_ATTEMPTS || !isDeadlock(error)) throw error;
      // Rare and harmless once retried; frequent ones point at two writes taking the same locks in opposite orders (docs/concurrency.md).
      logger.warn(`deadlock victim: sending the transaction again (attempt ${attempt + 1} of ${DEADLOCK_ATTEMPTS})`);
      await pause(attempt * (5 + Math.random() * 20));
    }
  }
}

/**
 * `@Transactional()` on our connection: every service method that writes uses this one. The outermost
 * call (no transaction open yet) owns the transaction, so it is the one that sends it again after a
 * deadlock; a nested call joins its caller's transaction and leaves the retry to it (a statement inside a
 * transaction cannot be retried alone: the deadlock rolled back everything before it).
 */
export const Transactional = (): MethodDecorator => (target, key, descriptor: PropertyDescriptor) => {
  TransactionalOn(CUSTOMIZATION_TX)(target, key, descriptor);
  const transactional = descriptor.value as (...args: unknown[]) => Promise<unknown>;
  const outermost = function (this: unknown, ...args: unknown[]) {
    if (TransactionHost.getInstance(CUSTOMIZATION_TX).isTransactionActive()) return transactional.apply(this, args);
    return retryDeadlocks(() => transactional.apply(this, args));
  };
  copyMethodMetadata(transactional, outermost);
  descriptor.value = outermost;
};

/** Injects the TransactionHost of our connection (repositories and the tenant registry). */
export const InjectTxHost = (): PropertyDecorator & ParameterDecorator => InjectTransactionHost(CUSTOMIZATION_TX);
