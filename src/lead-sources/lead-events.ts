import { DomainEventPublisher } from '../events/domain-event-publisher';
import { DOMAIN_EVENTS } from '../events/domain-events';
import { LeadResponseDto } from './dto/lead.dto';

/** lead.created for each lead recorded (and lead.converted for those recorded converted), from their responses. */
export function publishCreated(events: DomainEventPublisher, responses: LeadResponseDto[]): void {
  if (!events.enabled) return;
  for (const r of responses) {
    events.publish(DOMAIN_EVENTS.leadCreated, {
      leadId: r.id,
      leadCode: r.lead_code,
      sourceCode: r.source_code,
      subSourceCode: r.sub_source_code,
      channelCode: r.channel_code,
      campaignCode: r.campaign_code,
      status: r.status,
    });
    if (r.status === 'converted') publishConverted(events, r);
  }
}

/** lead.converted for a lead that is converted now (its response). */
export function publishConverted(events: DomainEventPublisher, lead: LeadResponseDto): void {
  events.publish(DOMAIN_EVENTS.leadConverted, {
    leadId: lead.id,
    leadCode: lead.lead_code,
    convertedAt: lead.converted_at!,
    convertedValue: lead.converted_value,
  });
}
