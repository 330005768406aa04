import { Injectable } from '@nestjs/common';
import { FieldError } from '../../common/errors/app-error';
import { CampaignChannelsService } from '../../campaigns/campaign-channels.service';
import { CampaignsService } from '../../campaigns/campaigns.service';
import { LeadChannelRepository } from '../lead-channel.repository';
import { LeadSourceRepository } from '../lead-source.repository';
import { LeadSubsourceRepository } from '../lead-subsource.repository';
import { UNMAPPED_CODE } from './attribution-matching';

/** What a rule resolves to, as codes (stored so on the rule). */
export interface RuleCodes {
  sourceCode: string;
  subSourceCode: string | null;
  channelCode: string | null;
  campaignCode: string | null;
  campaignChannelCode: string | null;
}

/** What a touch resolves to, as ids of live rows of the tenant. */
export interface TargetIds {
  sourceId: number;
  subSourceId: number | null;
  channelId: number | null;
  campaignId: number | null;
  campaignChannelId: number | null;
}

/** The live rows that a set of rules names, by code, looked up once: each rule's codes are then checked against them. */
export class TargetLookup {
  constructor(
    private readonly sources: Map<string, number>,
    private readonly subsources: Map<string, number>,
    private readonly channels: Map<string, number>,
    private readonly campaigns: Map<string, number>,
    private readonly campaignChannels: Map<string, number>,
  ) {}

  /** The ids a rule's codes name, or one problem per code that names no live row (field: the wire name). */
  check(codes: RuleCodes): { ids: TargetIds; problems: [] } | { ids: undefined; problems: FieldError[] } {
    const problems: FieldError[] = [];
    const sourceId = this.sources.get(codes.sourceCode);
    if (sourceId === undefined) problems.push({ field: 'source_code', message: `lead source ${codes.sourceCode} not found` });
    const optional = (field: string, code: string | null, id: number | undefined, notFound: string): number | null => {
      if (code === null) return null;
      if (id === undefined) problems.push({ field, message: notFound });
      return id ?? null;
    };
    const { subSourceCode: sub, channelCode: channel, campaignCode: campaign, campaignChannelCode: campaignChannel } = codes;
    const subSourceId =
      sourceId === undefined
        ? null
        : optional('sub_source_code', sub, this.subsources.get(`${sourceId}|${sub}`), `subsource ${sub} not found under source ${codes.sourceCode}`);
    const channelId = optional('channel_code', channel, this.channels.get(channel ?? ''), `lead channel ${channel} not found`);
    const campaignId = optional('campaign_code', campaign, this.campaigns.get(campaign ?? ''), `campaign ${campaign} not found`);
    const campaignChannelId = optional(
      'campaign_channel_code',
      campaignChannel,
      this.campaignChannels.get(campaignChannel ?? ''),
      `campaign channel ${campaignChannel} not found`,
    );
    if (problems.length > 0 || sourceId === undefined) return { ids: undefined, problems };
    return { ids: { sourceId, subSourceId, channelId, campaignId, campaignChannelId }, problems: [] };
  }

  /** UNMAPPED/UNMAPPED, when both are live (undefined otherwise: an unmatched touch cannot be placed). */
  unmapped(): TargetIds | undefined {
    const { ids } = this.check({ sourceCode: UNMAPPED_CODE, subSourceCode: UNMAPPED_CODE, channelCode: null, campaignCode: null, campaignChannelCode: null });
    return ids;
  }
}

/**
 * Looks up the live rows that rules name (sources, their subsources, lead channels, campaigns,
 * campaign channels), one query per kind for all the rules at once, plus UNMAPPED/UNMAPPED.
 */
@Injectable()
export class AttributionTargets {
  constructor(
    private readonly sources: LeadSourceRepository,
    private readonly subsources: LeadSubsourceRepository,
    private readonly channels: LeadChannelRepository,
    private readonly campaigns: CampaignsService,
    private readonly campaignChannels: CampaignChannelsService,
  ) {}

  async load(rules: RuleCodes[]): Promise<TargetLookup> {
    const codes = (pick: (r: RuleCodes) => string | null, extra: string[] = []) => [
      ...new Set([...extra, ...rules.map(pick).filter((c): c is string => c !== null)]),
    ];
    const sources = await this.sources.findByCodes(codes((r) => r.sourceCode, [UNMAPPED_CODE]));
    const subsources = await this.subsources.findBySourcesAndCodes(
      sources.map((s) => s.id),
      codes((r) => r.subSourceCode, [UNMAPPED_CODE]),
    );
    const channels = await this.channels.findByCodes(codes((r) => r.channelCode));
    const campaigns = await this.campaigns.idsByCodes(codes((r) => r.campaignCode));
    const campaignChannels = await this.campaignChannels.findByCodes(codes((r) => r.campaignChannelCode));
    return new TargetLookup(
      new Map(sources.map((s) => [s.sourceCode, s.id])),
      new Map(subsources.map((s) => [`${s.sourceId}|${s.subSourceCode}`, s.id])),
      new Map(channels.map((c) => [c.channelCode, c.id])),
      campaigns,
      new Map(campaignChannels.map((c) => [c.channelCode, c.id])),
    );
  }
}
