import { Injectable } from '@nestjs/common';
import { TenantDefaultsSeeder } from '../tenancy/tenant-defaults';
import { CampaignBudgetTypeRepository } from './campaign-budget-type.repository';
import { CampaignChannelRepository } from './campaign-channel.repository';
import { CampaignStatusRepository } from './campaign-status.repository';
import { CampaignTypeRepository } from './campaign-type.repository';

const TYPES = [
  { code: 'EMAIL_BLAST', name: 'Email blast' },
  { code: 'SOCIAL_ADS', name: 'Social ads' },
  { code: 'SEO_CAMPAIGN', name: 'SEO campaign' },
];
const CHANNELS = [
  { code: 'EMAIL', name: 'Email' },
  { code: 'FACEBOOK', name: 'Facebook' },
  { code: 'GOOGLE_ADS', name: 'Google Ads' },
];
/** DRAFT → ACTIVE → PAUSED ⇄ ACTIVE → COMPLETED (final). Every status allows editing (the API default). */
const STATUSES = [
  { code: 'DRAFT', name: 'Draft', isInitial: true, isFinal: false, transitions: ['ACTIVE'] },
  { code: 'ACTIVE', name: 'Active', isInitial: false, isFinal: false, transitions: ['PAUSED', 'COMPLETED'] },
  { code: 'PAUSED', name: 'Paused', isInitial: false, isFinal: false, transitions: ['ACTIVE', 'COMPLETED'] },
  { code: 'COMPLETED', name: 'Completed', isInitial: false, isFinal: true, transitions: [] },
];
const BUDGET_TYPES = [
  { code: 'TOTAL', name: 'Total' },
  { code: 'PER_CHANNEL', name: 'Per channel' },
  { code: 'VARIABLE', name: 'Variable' },
];

/** API.md §2: the campaign vocabulary every new tenant starts with. Runs before lead sources (order 10). */
@Injectable()
export class CampaignsDefaults implements TenantDefaultsSeeder {
  readonly name = 'campaigns';
  readonly order = 10;

  constructor(
    private readonly types: CampaignTypeRepository,
    private readonly channels: CampaignChannelRepository,
    private readonly statuses: CampaignStatusRepository,
    private readonly budgetTypes: CampaignBudgetTypeRepository,
  ) {}

  async seed(): Promise<void> {
    for (const [i, t] of TYPES.entries()) {
      await this.types.insert({ typeCode: t.code, typeName: t.name, displayOrder: i, isDefault: true, metadata: {} });
    }
    for (const [i, c] of CHANNELS.entries()) {
      await this.channels.insert({ channelCode: c.code, channelName: c.name, displayOrder: i, isDefault: true, integrationData: {} });
    }
    for (const [i, s] of STATUSES.entries()) {
      await this.statuses.insert({
        statusCode: s.code,
        statusName: s.name,
        displayOrder: i,
        isInitial: s.isInitial,
        isFinal: s.isFinal,
        allowedTransitions: s.transitions,
      });
    }
    for (const [i, b] of BUDGET_TYPES.entries()) {
      await this.budgetTypes.insert({ budgetTypeCode: b.code, budgetTypeName: b.name, displayOrder: i });
    }
  }
}
