import { TouchSummaryDto } from '../dto/touch.dto';
import { LeadTouchEntity } from './lead-touch.entity';

export const toTouchSummary = (t: LeadTouchEntity): TouchSummaryDto => ({
  id: t.id,
  is_origin: t.isOrigin,
  occurred_at: t.occurredAt.toISOString(),
  utm_source: t.utmSource,
  utm_medium: t.utmMedium,
  utm_campaign: t.utmCampaign,
  utm_content: t.utmContent,
  utm_term: t.utmTerm,
  gclid: t.gclid,
  fbclid: t.fbclid,
  msclkid: t.msclkid,
  referrer: t.referrer,
  landing_page: t.landingPage,
});

/**
 * A lead's first_touch and last_touch from its touches: the first recorded (lowest id: the origin
 * when the lead came with one, so it never changes) and the latest in path order (occurred_at, id).
 */
export function firstAndLast(touches: LeadTouchEntity[]): { first_touch: TouchSummaryDto | null; last_touch: TouchSummaryDto | null } {
  if (touches.length === 0) return { first_touch: null, last_touch: null };
  const first = touches.reduce((a, b) => (b.id < a.id ? b : a));
  const last = touches.reduce((a, b) =>
    b.occurredAt.getTime() > a.occurredAt.getTime() || (b.occurredAt.getTime() === a.occurredAt.getTime() && b.id > a.id) ? b : a,
  );
  return { first_touch: toTouchSummary(first), last_touch: toTouchSummary(last) };
}
