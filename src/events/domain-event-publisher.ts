import { Injectable, Optional } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { AfterCommit } from '../database/transaction-hooks';
import { TenantContext } from '../tenancy/tenant-context';
import { DomainEventBase, DomainEventMap, DomainEventName } from './domain-events';

/** What a service says of an event; the publisher adds tenant, actor and time. */
export type DomainEventFields<N extends DomainEventName> = Omit<DomainEventMap[N], keyof DomainEventBase>;

/**
 * Raises domain events from inside a write: each is sent once the write's transaction commits
 * (AfterCommit: never on rollback; at once outside a transaction), through the host's EventEmitter2.
 * The emitter is optional: a host that does not register `EventEmitterModule.forRoot()` gets no
 * events, and nothing is built or queued for them.
 */
@Injectable()
export class DomainEventPublisher {
  constructor(
    private readonly tenancy: TenantContext,
    private readonly afterCommit: AfterCommit,
    @Optional() private readonly emitter?: EventEmitter2,
  ) {}

  /** Whether events reach anyone: callers may skip building payloads when not. */
  get enabled(): boolean {
    return this.emitter !== undefined;
  }

  publish<N extends DomainEventName>(name: N, fields: DomainEventFields<N>): void {
    const emitter = this.emitter;
    if (!emitter) return;
    const { tenantId, userId } = this.tenancy.require();
    const event = { tenantId, actor: userId, occurredAt: new Date().toISOString(), ...fields } as DomainEventMap[N];
    this.afterCommit.run(() => emitter.emit(name, event));
  }
}
