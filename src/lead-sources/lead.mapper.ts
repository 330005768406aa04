import { LeadResponseDto } from './dto/lead.dto';
import { LeadWithRefs } from './lead.repository';
import { LeadTouchEntity } from './attribution/lead-touch.entity';
import { firstAndLast } from './attribution/touch.mapper';

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export const toLeadResponse = (e: LeadWithRefs, campaignCode: string | null, touches: LeadTouchEntity[]): LeadResponseDto => ({
  id: e.id,
  lead_code: e.leadCode,
  source_code: e.source?.sourceCode ?? '',
  sub_source_code: e.subSource?.subSourceCode ?? null,
  channel_code: e.channel?.channelCode ?? null,
  campaign_code: campaignCode,
  status: e.status,
  expected_value: e.expectedValue,
  converted_value: e.convertedValue,
  acquisition_cost: e.acquisitionCost,
  created_at: e.createdAt.toISOString(),
  contacted_at: iso(e.contactedAt),
  qualified_at: iso(e.qualifiedAt),
  converted_at: iso(e.convertedAt),
  lost_at: iso(e.lostAt),
  ...firstAndLast(touches),
  updated_at: e.updatedAt.toISOString(),
  created_by: e.createdBy,
  updated_by: e.updatedBy,
  version: e.version,
});
