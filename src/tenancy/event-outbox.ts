import { datetimeOf } from '../database/columns';
import { Injectable, Logger } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { BeforeCommit } from '../database/transaction-hooks';
import { InjectTxHost } from '../database/transactional';
import { dialectOf } from '../database/sql-dialect';
import { OutboxEventEntity } from './event-outbox.entity';
import { TenantContext } from './tenant-context';
import { groupBy } from '../common/group-by';

/** A new event id: globally unique, `evt_` and 32 hex digits (the `webhook-id` of its deliveries). */
export const newEventId = (): string => `evt_${randomUUID().replace(/-/g, '')}`;

const logger = new Logger('EventOutbox');
/** What BeforeCommit gathers the outbox rows of a transaction under. */
const OUTBOX_ROWS = Symbol('event_outbox rows');
/** Rows per INSERT (5 columns each: well under the placeholder limits of both engines). */
const INSERT_CHUNK = 400;

/**
 * The transactional outbox of domain events (`event_outbox`):
 *
 * - `append` writes an event in the transaction of the write that raised it, as one of its last
 *   statements (BeforeCommit): it commits with the change or not at all. Outside a transaction it is
 *   written at once. Scoped to the tenant in context, like every write.
 * - `takeBatch` is a cross-tenant system job (the webhook relay of every instance calls it): in one
 *   short transaction it locks up to `limit` of the oldest events of all tenants, skipping those another
 *   instance holds (`FOR UPDATE SKIP LOCKED` on MySQL 8 / MariaDB 10.6+; SQLite runs one write
 *   transaction at a time), hands them to `work` in that same transaction, and deletes them. A failure
 *   of `work` (or a crash) rolls everything back: the events stay for the next try. No two instances
 *   ever hand on the same event.
 */
@Injectable()
export class EventOutbox {
  constructor(
    @InjectTxHost() private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>,
    private readonly tenancy: TenantContext,
    private readonly beforeCommit: BeforeCommit,
  ) {}

  /**
   * Queues the event's row into the current write (see the class): the rows of one transaction are
   * inserted together, a few hundred per statement. Never throws: a failure outside a transaction is logged.
   */
  append(event: { eventId: string; eventType: string; payload: object; occurredAt: string }): void {
    const { tenantId } = this.tenancy.require();
    const manager: EntityManager = this.txHost.tx;
    const row = {
      tenantId,
      eventId: event.eventId,
      eventType: event.eventType,
      payload: JSON.stringify(event.payload),
      occurredAt: new Date(event.occurredAt),
    };
    this.beforeCommit
      .collect(OUTBOX_ROWS, row, async (rows) => {
        for (let i = 0; i < rows.length; i += INSERT_CHUNK) await manager.insert(OutboxEventEntity, rows.slice(i, i + INSERT_CHUNK));
      })
      .catch((error: unknown) => logger.error({ err: error, eventId: event.eventId }, 'an event could not be written to the outbox'));
  }

  /** How many events wait in the outbox, all tenants, counted up to `cap` (/metrics: a relay falling behind). */
  async backlog(cap: number): Promise<number> {
    const manager: EntityManager = this.txHost.tx;
    const rows: { n: number | string }[] = await manager.query(`SELECT COUNT(*) AS n FROM (SELECT 1 FROM event_outbox LIMIT ${Number(cap)}) waiting`);
    return Number(rows[0]?.n ?? 0);
  }

  /** See the class. Answers how many events were handed on. */
  async takeBatch(limit: number, work: (events: OutboxEventEntity[]) => Promise<void>): Promise<number> {
    const mysql = dialectOf(this.txHost.tx.connection) === 'mysql';
    // READ COMMITTED on MySQL/MariaDB: the scan locks the rows it takes and no gaps, so the writes that
    // append to the table meanwhile never wait for it (SQLite: its default, one write transaction at a time).
    return this.txHost.withTransaction({ isolationLevel: mysql ? 'READ COMMITTED' : 'SERIALIZABLE' }, async () => {
      const manager: EntityManager = this.txHost.tx;

      const rows: { tenant_id: string; event_id: string; event_type: string; payload: string; occurred_at: Date | string }[] = await manager.query(
        `SELECT tenant_id, event_id, event_type, payload, occurred_at FROM event_outbox ORDER BY occurred_at LIMIT ${Number(limit)}${mysql ? ' FOR UPDATE SKIP LOCKED' : ''}`,
      );
      if (rows.length === 0) return 0;
      const events = rows.map((r) =>
        Object.assign(new OutboxEventEntity(), {
          tenantId: r.tenant_id,
          eventId: r.event_id,
          eventType: r.event_type,
          payload: r.payload,
          occurredAt: datetimeOf(r.occurred_at),
        }),
      );
      await work(events);
      for (const [tenantId, ids] of groupBy(
        events,
        (e) => e.tenantId,
        (e) => e.eventId,
      )) {
        await manager
          .createQueryBuilder()
          .delete()
          .from(OutboxEventEntity)
          .where('tenant_id = :tenantId AND event_id IN (:...ids)', { tenantId, ids })
          .execute();
      }
      return events.length;
    });
  }
}
