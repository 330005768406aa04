import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { timestampColumn } from '../database/columns';

/**
 * `event_outbox`: the domain events of committed writes, waiting to be relayed (transactional outbox).
 * A row is written in the transaction of the change it describes (EventOutbox.append, BeforeCommit), so
 * a rolled-back write leaves none, and it is deleted when the relay has handed it on
 * (EventOutbox.takeBatch): the table holds only the backlog. Keyed by `(tenant_id, event_id)`; the event id
 * is globally unique (`evt_` + 32 hex digits), so these rows take no per-tenant id and no lock of
 * `id_sequences`.
 */
@Entity('event_outbox')
@Index('ix_event_outbox__occurred_at', ['occurredAt'])
export class OutboxEventEntity {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  tenantId: string;

  @PrimaryColumn({ type: 'varchar', length: 40 })
  eventId: string;

  /** A name of DOMAIN_EVENTS (`lead.created`…). */
  @Column({ type: 'varchar', length: 64 })
  eventType: string;

  /** The event as emitted in-process (DomainEventMap), as JSON. */
  @Column({ type: 'text' })
  payload: string;

  @Column(timestampColumn())
  occurredAt: Date;
}
