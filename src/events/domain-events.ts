import type { LeadStatus } from '../lead-sources/lead.entity';
import type { MilestoneStatus } from '../milestones/lead-milestone.entity';

/**
 * The domain events the modules emit in-process through `@nestjs/event-emitter`, by name. They are
 * emitted only once the write's transaction has committed, never for a write that rolled back, and
 * only when the host registers `EventEmitterModule.forRoot()` (without it nothing is built or sent).
 * Listeners run outside any transaction, in the tenant's scope of the write (they may call the
 * services directly); a listener's failure is logged and never undoes or fails the write.
 *
 * ```ts
 * @OnEvent(DOMAIN_EVENTS.milestoneSlaBreached)
 * onBreach(event: MilestoneSlaBreachedEvent) { ... }
 * ```
 */
export const DOMAIN_EVENTS = {
  /** A lead was recorded (POST /leads, each lead of POST /leads/bulk, LeadsService.create). */
  leadCreated: 'lead.created',
  /** A lead's status changed (PATCH /leads/:id). */
  leadStatusChanged: 'lead.status_changed',
  /** A lead became converted: recorded as converted, or its status changed to converted. */
  leadConverted: 'lead.converted',
  /** A lead was deleted (soft delete). */
  leadDeleted: 'lead.deleted',
  /** A milestone was recorded for a lead (POST /milestones/:lead_id; not the internal bulk import of histories). */
  milestoneRecorded: 'milestone.recorded',
  /**
   * A lead overstayed its stage: the type expected next was not reached within its `sla_days`
   * (docs/milestones.md "SLA breaches"). Emitted once per (lead, expected type, day the lead entered
   * its stage), by whichever finds it first (`detectedBy`):
   * - `recording`: a milestone was recorded later than its type's SLA allows, days_from_previous >
   *   sla_days (API.md §4, the response's `sla_breached`); emitted with `milestone.recorded`, after it;
   * - `scan`: the periodic scan (SLA_SCAN_INTERVAL_MS) found a lead still waiting, on a day past the
   *   stage's entered day + the next expected type's sla_days (`milestoneId` and `achievedDate` null).
   * A late milestone recorded after the scan announced its breach emits no second event, nor does the
   * scan after the recording did.
   */
  milestoneSlaBreached: 'milestone.sla_breached',
  /** A campaign moved to another status of the workflow (POST /campaigns/:code/transition). */
  campaignStatusChanged: 'campaign.status_changed',
} as const;

export type DomainEventName = (typeof DOMAIN_EVENTS)[keyof typeof DOMAIN_EVENTS];

/** What every event carries. */
export interface DomainEventBase {
  /** The tenant whose data changed. */
  tenantId: string;
  /** Who made the change: the token's `sub`, or the actor of TenantScope.run. */
  actor: string;
  /**
   * When the change was made (ISO 8601, UTC, milliseconds), taken when the event was raised inside the
   * write, before its commit. A string so that the payload is JSON as it stands (webhook outbox).
   */
  occurredAt: string;
}

export interface LeadCreatedEvent extends DomainEventBase {
  leadId: number;
  leadCode: string | null;
  sourceCode: string;
  subSourceCode: string | null;
  channelCode: string | null;
  campaignCode: string | null;
  status: LeadStatus;
}

export interface LeadStatusChangedEvent extends DomainEventBase {
  leadId: number;
  leadCode: string | null;
  statusBefore: LeadStatus;
  statusAfter: LeadStatus;
}

export interface LeadConvertedEvent extends DomainEventBase {
  leadId: number;
  leadCode: string | null;
  /** The lead's converted_at (ISO 8601). */
  convertedAt: string;
  convertedValue: number | null;
}

export interface LeadDeletedEvent extends DomainEventBase {
  leadId: number;
  leadCode: string | null;
}

export interface MilestoneRecordedEvent extends DomainEventBase {
  milestoneId: number;
  leadId: number;
  typeCode: string;
  status: MilestoneStatus;
  /** YYYY-MM-DD */
  achievedDate: string;
  /** Days since the lead's previous milestone (null for its first). */
  daysFromPrevious: number | null;
}

export interface MilestoneSlaBreachedEvent extends DomainEventBase {
  /** The late milestone (detectedBy `recording`); null when the scan found the lead still waiting for it. */
  milestoneId: number | null;
  leadId: number;
  /** The type that is late: the recorded milestone's, or the one the lead waits for (the timeline's next_expected). */
  typeCode: string;
  /** YYYY-MM-DD: the late milestone's achieved_date; null for the scan. */
  achievedDate: string | null;
  /** Whole days from `enteredOn` to the late milestone's achieved_date (recording) or to the day of the scan. */
  daysFromPrevious: number;
  /** The type's SLA in days, which daysFromPrevious exceeds. */
  slaDays: number;
  /** Who found the breach first. */
  detectedBy: 'recording' | 'scan';
  /** YYYY-MM-DD: the day the lead entered its stage (the achieved_date of the milestone before). */
  enteredOn: string;
  /** YYYY-MM-DD: the last day within the SLA (enteredOn + slaDays). */
  dueOn: string;
}

export interface CampaignStatusChangedEvent extends DomainEventBase {
  campaignId: number;
  campaignCode: string;
  statusBefore: string;
  statusAfter: string;
}

/** The payload type of each event name (typed listeners, `DomainEventPublisher.publish`). */
export interface DomainEventMap {
  'lead.created': LeadCreatedEvent;
  'lead.status_changed': LeadStatusChangedEvent;
  'lead.converted': LeadConvertedEvent;
  'lead.deleted': LeadDeletedEvent;
  'milestone.recorded': MilestoneRecordedEvent;
  'milestone.sla_breached': MilestoneSlaBreachedEvent;
  'campaign.status_changed': CampaignStatusChangedEvent;
}

export type DomainEvent = DomainEventMap[DomainEventName];
