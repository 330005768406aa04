import { Injectable } from '@nestjs/common';
import { TenantDefaultsSeeder } from '../tenancy/tenant-defaults';
import { LeadChannelRepository } from './lead-channel.repository';
import { LeadSourceRepository } from './lead-source.repository';
import { SourceType } from './lead-source.entity';
import { LeadSubsourceRepository } from './lead-subsource.repository';
import { UNMAPPED_CODE } from './attribution/attribution-matching';

const SOURCES: { code: string; name: string; type: SourceType }[] = [
  { code: 'WEBSITE', name: 'Website', type: 'website' },
  { code: 'EMAIL', name: 'Email', type: 'email' },
  { code: 'SOCIAL', name: 'Social', type: 'social' },
  { code: 'REFERRAL', name: 'Referral', type: 'referral' },
  // Where a touch that no attribution rule maps goes (docs/attribution.md): displayed last.
  { code: UNMAPPED_CODE, name: 'Unmapped', type: 'direct' },
];
const SUBSOURCES: Record<string, { code: string; name: string }[]> = {
  SOCIAL: [
    { code: 'FACEBOOK', name: 'Facebook' },
    { code: 'LINKEDIN', name: 'LinkedIn' },
  ],
  [UNMAPPED_CODE]: [{ code: UNMAPPED_CODE, name: 'Unmapped' }],
};
const CHANNELS = [
  { code: 'DIRECT', name: 'Direct' },
  { code: 'ORGANIC', name: 'Organic' },
  { code: 'PAID', name: 'Paid' },
  { code: 'REFERRAL', name: 'Referral' },
];

/** API.md §2: the lead sources, subsources and channels every new tenant starts with. */
@Injectable()
export class LeadSourcesDefaults implements TenantDefaultsSeeder {
  readonly name = 'lead-sources';
  readonly order = 20;

  constructor(
    private readonly sources: LeadSourceRepository,
    private readonly subsources: LeadSubsourceRepository,
    private readonly channels: LeadChannelRepository,
  ) {}

  async seed(): Promise<void> {
    for (const [i, s] of SOURCES.entries()) {
      const source = await this.sources.insert({
        sourceCode: s.code,
        sourceName: s.name,
        sourceType: s.type,
        displayOrder: i,
        isDefault: true,
        metadata: {},
      });
      for (const [j, sub] of (SUBSOURCES[s.code] ?? []).entries()) {
        await this.subsources.insert({ sourceId: source.id, subSourceCode: sub.code, subSourceName: sub.name, displayOrder: j, metadata: {} });
      }
    }
    for (const [i, c] of CHANNELS.entries()) {
      await this.channels.insert({ channelCode: c.code, channelName: c.name, displayOrder: i });
    }
  }
}
