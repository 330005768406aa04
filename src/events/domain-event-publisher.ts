import { Injectable, Optional } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { AfterCommit } from '../database/transaction-hooks';
import { EventOutbox, newEventId } from '../tenancy/event-outbox';
import { TenantContext } from '../tenancy/tenant-context';
import { DomainEventBase, DomainEventMap, DomainEventName } from './domain-events';

/** What a service says of an event; the publisher adds tenant, actor and time. */
export type DomainEventFields<N extends DomainEventName> = Omit<DomainEventMap[N], keyof DomainEventBase>;

/**
 * Raises domain events from inside a write, to two independent receivers:
 * - in-process: each is sent once the write's transaction commits (AfterCommit: never on rollback; at
 *   once outside a transaction), through the host's EventEmitter2, when the host registers
 *   `EventEmitterModule.forRoot()`;
 * - the outbox (`event_outbox`, EventOutbox), when webhooks are on (WebhooksModule provides it): written
 *   in the write's own transaction, under a new globally unique event id, for the webhook relay.
 * With neither, nothing is built or queued.
 */
@Injectable()
export class DomainEventPublisher {
  constructor(
    private readonly tenancy: TenantContext,
    private readonly afterCommit: AfterCommit,
    @Optional() private readonly emitter?: EventEmitter2,
    @Optional() private readonly outbox?: EventOutbox,
  ) {}

  /** Whether events reach anyone: callers may skip building payloads when not. */
  get enabled(): boolean {
    return this.emitter !== undefined || this.outbox !== undefined;
  }

  publish<N extends DomainEventName>(name: N, fields: DomainEventFields<N>): void {
    const { emitter, outbox } = this;
    if (!emitter && !outbox) return;
    const { tenantId, userId } = this.tenancy.require();
    const event = { tenantId, actor: userId, occurredAt: new Date().toISOString(), ...fields } as DomainEventMap[N];
    outbox?.append({ eventId: newEventId(), eventType: name, payload: event, occurredAt: event.occurredAt });
    if (emitter) this.afterCommit.run(() => emitter.emit(name, event));
  }
}
