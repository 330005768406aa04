import { Injectable } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import { DOMAIN_EVENTS, LeadConvertedEvent, LeadCreatedEvent, MilestoneRecordedEvent } from 'sales-customization-service';

export type ReceivedEvent =
  | { name: 'lead.created'; event: LeadCreatedEvent }
  | { name: 'lead.converted'; event: LeadConvertedEvent }
  | { name: 'milestone.recorded'; event: MilestoneRecordedEvent };

/**
 * The customization module's domain events, received in-process after each commit. A real host would
 * notify someone or update a read model; this one keeps them, newest last, for its test to read.
 */
@Injectable()
export class OrderEventsListener {
  readonly received: ReceivedEvent[] = [];

  @OnEvent(DOMAIN_EVENTS.leadCreated)
  leadCreated(event: LeadCreatedEvent): void {
    this.received.push({ name: 'lead.created', event });
  }

  @OnEvent(DOMAIN_EVENTS.leadConverted)
  leadConverted(event: LeadConvertedEvent): void {
    this.received.push({ name: 'lead.converted', event });
  }

  @OnEvent(DOMAIN_EVENTS.milestoneRecorded)
  milestoneRecorded(event: MilestoneRecordedEvent): void {
    this.received.push({ name: 'milestone.recorded', event });
  }
}
