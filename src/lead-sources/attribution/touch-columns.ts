import { TouchDto } from '../dto/touch.dto';
import { LeadTouchEntity } from './lead-touch.entity';

/** The recorded parameters of a touch body (absent fields stored as NULL); occurred_at only when given. */
export function touchColumns(t: TouchDto): Partial<LeadTouchEntity> {
  return {
    utmSource: t.utm_source ?? null,
    utmMedium: t.utm_medium ?? null,
    utmCampaign: t.utm_campaign ?? null,
    utmContent: t.utm_content ?? null,
    utmTerm: t.utm_term ?? null,
    gclid: t.gclid ?? null,
    fbclid: t.fbclid ?? null,
    msclkid: t.msclkid ?? null,
    referrer: t.referrer ?? null,
    landingPage: t.landing_page ?? null,
    ...(t.occurred_at !== undefined ? { occurredAt: new Date(t.occurred_at) } : {}),
  };
}
