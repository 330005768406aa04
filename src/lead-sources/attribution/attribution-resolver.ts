import { Injectable } from '@nestjs/common';
import { LeadSourceRepository } from '../lead-source.repository';
import { LeadSubsourceRepository } from '../lead-subsource.repository';

export interface TouchUtm {
  utm_source?: string | null;
  utm_medium?: string | null;
  utm_campaign?: string | null;
}

export interface TouchResolution {
  /** null: no rule matched (UNMAPPED). */
  ruleId: number | null;
  sourceId: number;
  subSourceId: number | null;
  channelId: number | null;
  campaignId: number | null;
  campaignChannelId: number | null;
  /** The same, as the codes a lead body names. */
  codes: {
    source_code: string;
    sub_source_code: string | null;
    channel_code: string | null;
    campaign_code: string | null;
    campaign_channel_code: string | null;
  };
}

export const UNMAPPED = 'UNMAPPED';

/** Where touches go: while a tenant has no attribution rule, every touch goes to UNMAPPED/UNMAPPED. */
@Injectable()
export class AttributionResolver {
  constructor(
    private readonly sources: LeadSourceRepository,
    private readonly subsources: LeadSubsourceRepository,
  ) {}

  /** One resolution per touch; undefined where UNMAPPED/UNMAPPED is not live. */
  async resolveMany(touches: TouchUtm[]): Promise<(TouchResolution | undefined)[]> {
    if (touches.length === 0) return [];
    const source = await this.sources.findByCode(UNMAPPED);
    const sub = source ? await this.subsources.findByCode(UNMAPPED, source.id) : null;
    return touches.map(() =>
      source && sub
        ? {
            ruleId: null,
            sourceId: source.id,
            subSourceId: sub.id,
            channelId: null,
            campaignId: null,
            campaignChannelId: null,
            codes: { source_code: UNMAPPED, sub_source_code: UNMAPPED, channel_code: null, campaign_code: null, campaign_channel_code: null },
          }
        : undefined,
    );
  }
}
