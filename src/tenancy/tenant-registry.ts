import { Injectable, Logger } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { isDuplicateKeyError } from '../database/sql-dialect';
import { AfterCommit } from '../database/transaction-hooks';
import { InjectTxHost } from '../database/transactional';
import { openIdSequences } from './id-sequences';
import { TenantEntity } from './tenant.entity';
import { TenantContext } from './tenant-context';
import { TenantDefaultsRegistry } from './tenant-defaults';
import { defaultSettings, TenantSettingsRepository } from './tenant-settings.repository';

/** The actor recorded on rows created by default seeding. */
export const SYSTEM_ACTOR = 'system';

/**
 * Registers a tenant on first sight and seeds its defaults, once, in one transaction. Concurrency:
 * the tenant row's primary key is the lock. A concurrent first request that loses the race blocks on
 * that key until the winner commits (MySQL) or queues behind it (SQLite), then finds the tenant there.
 * Deleted defaults are never re-created, because a known tenant is never seeded again.
 *
 * The registration runs in a transaction of its own, or, when the caller already has one open (a host
 * calling TenantScope.run inside its transaction), in the caller's: under MySQL's REPEATABLE READ a
 * registration committed beside it would stay invisible to the caller's transaction, whose work then
 * would not find the defaults. A tenant is remembered as registered only once the transaction holding
 * its row has committed (AfterCommit): a registration that rolls back, by a failing seeder or with the
 * caller's transaction, is tried again on the tenant's next use.
 */
@Injectable()
export class TenantRegistry {
  private readonly logger = new Logger(TenantRegistry.name);
  /** Tenants known to be registered; a cache only, the database row is the truth. */
  private readonly known = new Set<string>();
  private readonly pending = new Map<string, Promise<void>>();

  constructor(
    @InjectTxHost() private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>,
    private readonly tenancy: TenantContext,
    private readonly defaults: TenantDefaultsRegistry,
    private readonly afterCommit: AfterCommit,
    private readonly settings: TenantSettingsRepository,
  ) {}

  /** Whether the tenant is known to be registered already (ensure() would have nothing to do). */
  isKnown(tenantId: string): boolean {
    return this.known.has(tenantId);
  }

  async ensure(tenantId: string): Promise<void> {
    if (this.known.has(tenantId)) return;
    let job = this.pending.get(tenantId);
    if (!job) {
      job = this.register(tenantId).finally(() => this.pending.delete(tenantId));
      this.pending.set(tenantId, job);
    }
    await job;
  }

  /**
   * Locks the current tenant's row until the transaction ends (a no-op UPDATE by primary key: one
   * record lock on MySQL; SQLite runs one write transaction at a time anyway). For rare tenant-wide
   * writes that must queue, such as keeping one default per kind. Take it first in the transaction,
   * so that the reads after it see what the previous holder committed.
   */
  async lockCurrentTenant(): Promise<void> {
    const { tenantId } = this.tenancy.require();
    await this.txHost.tx
      .getRepository(TenantEntity)
      .createQueryBuilder()
      .update()
      .set({ createdAt: () => 'created_at' })
      .where('id = :tenantId', { tenantId })
      .execute();
  }

  /**
   * The ids of the registered tenants, in id order, `limit` at a time after `afterId`: what jobs that
   * run for every tenant (the SLA scan) walk, each tenant then under its own TenantScope.
   */
  async tenantIds(afterId: string | null, limit: number): Promise<string[]> {
    const qb = this.txHost.tx.getRepository(TenantEntity).createQueryBuilder('t').select('t.id', 'id').orderBy('t.id', 'ASC').limit(limit);
    if (afterId !== null) qb.where('t.id > :afterId', { afterId });
    return (await qb.getRawMany<{ id: string }>()).map((r) => r.id);
  }

  private exists(tenantId: string): Promise<boolean> {
    return this.txHost.tx.getRepository(TenantEntity).exists({ where: { id: tenantId } });
  }

  /** Remember the tenant once what the current transaction (if any) wrote of it has committed. */
  private remember(tenantId: string): void {
    this.afterCommit.run(() => this.known.add(tenantId));
  }

  private async register(tenantId: string): Promise<void> {
    if (await this.exists(tenantId)) return this.remember(tenantId);
    try {
      const registered = await this.tenancy.runAs({ tenantId, userId: SYSTEM_ACTOR, role: 'admin' }, () =>
        this.txHost.withTransaction(async () => {
          const tenants = this.txHost.tx.getRepository(TenantEntity);
          let inserted = false;
          if (!(await tenants.exists({ where: { id: tenantId } }))) {
            await tenants.insert({ id: tenantId, createdAt: new Date() });
            await openIdSequences(this.txHost.tx, tenantId);
            await this.settings.insert(defaultSettings(new Date(), SYSTEM_ACTOR));
            for (const seeder of this.defaults.all()) await seeder.seed();
            inserted = true;
          }
          this.remember(tenantId);
          return inserted;
        }),
      );
      if (registered) this.logger.log({ tenantId }, 'tenant registered with defaults');
    } catch (e) {
      if (!isDuplicateKeyError(e)) throw e;
      // Another instance registered it first, if its row is there now. Otherwise the duplicate came
      // from a seeder: the registration was rolled back and the next request must try again.
      if (await this.exists(tenantId)) return this.remember(tenantId);
      throw new Error(`registering tenant ${tenantId} failed: a default collided with an existing row`, { cause: e });
    }
  }

  /** Forget the cache (tests that drop data underneath a running app). */
  reset(): void {
    this.known.clear();
  }
}
