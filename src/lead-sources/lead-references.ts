import { Injectable } from '@nestjs/common';
import { FieldError } from '../common/errors/app-error';
import { CampaignsService } from '../campaigns/campaigns.service';
import { LeadResponseDto, UpdateLeadDto } from './dto/lead.dto';
import { LeadChannelEntity } from './lead-channel.entity';
import { LeadChannelRepository } from './lead-channel.repository';
import { LeadSourceEntity } from './lead-source.entity';
import { LeadSourceRepository } from './lead-source.repository';
import { LeadSubsourceEntity } from './lead-subsource.entity';
import { LeadSubsourceRepository } from './lead-subsource.repository';
import { LeadEntity } from './lead.entity';
import { toLeadResponse } from './lead.mapper';
import { LeadWithRefs } from './lead.repository';
import { LeadTouchEntity } from './attribution/lead-touch.entity';
import { LeadTouchRepository } from './attribution/lead-touch.repository';

/** What a new lead's codes resolve to. */
export interface Refs {
  /** The rows named, for the response's codes (no reload after a bulk insert). */
  source?: LeadSourceEntity;
  subSource?: LeadSubsourceEntity | null;
  channel?: LeadChannelEntity | null;
  sourceId: number;
  subSourceId: number | null;
  channelId: number | null;
  campaignId: number | null;
}

interface RefCodes {
  source_code?: string;
  sub_source_code?: string | null;
  channel_code?: string | null;
  campaign_code?: string | null;
}

/**
 * The references of a lead (source, subsource, channel, campaign): the codes of a body resolved to
 * rows of the tenant, each unknown code a field error; and the codes a response shows (a campaign's
 * code lives in the campaigns module).
 */
@Injectable()
export class LeadReferences {
  constructor(
    private readonly sources: LeadSourceRepository,
    private readonly subsources: LeadSubsourceRepository,
    private readonly channels: LeadChannelRepository,
    private readonly campaigns: CampaignsService,
    private readonly touches: LeadTouchRepository,
  ) {}

  /** The API representations of leads (their campaign codes in one query, their touches in another unless given). */
  async toResponses(rows: LeadWithRefs[], touches?: Map<number, LeadTouchEntity[]>): Promise<LeadResponseDto[]> {
    const codes = await this.campaigns.codesByIds([...new Set(rows.map((r) => r.campaignId).filter((id): id is number => id !== null))]);
    const ofLead = touches ?? (rows.length > 0 ? await this.touches.ofLeads(rows.map((r) => r.id)) : new Map<number, LeadTouchEntity[]>());
    return rows.map((r) => toLeadResponse(r, r.campaignId === null ? null : (codes.get(r.campaignId) ?? null), ofLead.get(r.id) ?? []));
  }

  /**
   * Resolves the codes of each row inside the tenant, in one query per kind for the whole batch.
   * Unknown codes become field errors (400 naming the field); the row's Refs is then undefined.
   */
  async resolve(rows: RefCodes[], prefix: (i: number) => string, errors: FieldError[]): Promise<(Refs | undefined)[]> {
    const uniq = (xs: (string | null | undefined)[]) => [...new Set(xs.filter((x): x is string => Boolean(x)))];
    const sources = new Map((await this.sources.findByCodes(uniq(rows.map((r) => r.source_code)))).map((s) => [s.sourceCode, s]));
    const sourceIds = [...sources.values()].map((s) => s.id);
    const subs = await this.subsources.findBySourcesAndCodes(sourceIds, uniq(rows.map((r) => r.sub_source_code)));
    const subByKey = new Map(subs.map((s) => [`${s.sourceId}|${s.subSourceCode}`, s]));
    const channels = new Map((await this.channels.findByCodes(uniq(rows.map((r) => r.channel_code)))).map((c) => [c.channelCode, c]));
    const campaigns = await this.campaigns.idsByCodes(uniq(rows.map((r) => r.campaign_code)));

    return rows.map((row, i) => {
      const p = prefix(i);
      const before = errors.length;
      const sourceId: number | undefined = row.source_code ? sources.get(row.source_code)?.id : undefined;
      if (sourceId === undefined) errors.push({ field: `${p}source_code`, message: `source ${row.source_code} not found` });
      const sub = row.sub_source_code && sourceId !== undefined ? subByKey.get(`${sourceId}|${row.sub_source_code}`) : undefined;
      if (row.sub_source_code && !sub) {
        errors.push({ field: `${p}sub_source_code`, message: `subsource ${row.sub_source_code} not found under source ${row.source_code}` });
      }
      const channel = row.channel_code ? channels.get(row.channel_code) : undefined;
      if (row.channel_code && !channel) errors.push({ field: `${p}channel_code`, message: `lead channel ${row.channel_code} not found` });
      const campaignId = row.campaign_code ? campaigns.get(row.campaign_code) : undefined;
      if (row.campaign_code && campaignId === undefined) errors.push({ field: `${p}campaign_code`, message: `campaign ${row.campaign_code} not found` });
      if (errors.length > before) return undefined;
      return {
        source: sources.get(row.source_code!),
        subSource: sub ?? null,
        channel: channel ?? null,
        sourceId: sourceId!,
        subSourceId: sub?.id ?? null,
        channelId: channel?.id ?? null,
        campaignId: campaignId ?? null,
      };
    });
  }

  /**
   * The references of a PATCH (API.md §1: facts keep pointing at what they point at). Only the
   * references named in the body are looked up; the others keep their stored ids, even when those
   * rows were deleted since. A named code equal to the one the lead holds keeps it as well (deleted or
   * not); any other code must name a live row. A new source clears the subsource unless one is named.
   */
  async resolveChanged(
    current: LeadWithRefs,
    dto: UpdateLeadDto,
    errors: FieldError[],
  ): Promise<Pick<LeadEntity, 'sourceId' | 'subSourceId' | 'channelId' | 'campaignId'>> {
    const ref = { sourceId: current.sourceId, subSourceId: current.subSourceId, channelId: current.channelId, campaignId: current.campaignId };
    let sourceKnown = true;
    if (dto.source_code !== undefined && dto.source_code !== current.source?.sourceCode) {
      const source = await this.sources.findByCode(dto.source_code);
      if (source) ref.sourceId = source.id;
      else {
        sourceKnown = false;
        errors.push({ field: 'source_code', message: `source ${dto.source_code} not found` });
      }
      ref.subSourceId = null;
    }
    const sourceMoved = ref.sourceId !== current.sourceId;
    if (dto.sub_source_code === null) ref.subSourceId = null;
    else if (dto.sub_source_code !== undefined) {
      if (!sourceMoved && sourceKnown && dto.sub_source_code === current.subSource?.subSourceCode) ref.subSourceId = current.subSourceId;
      else if (sourceKnown) {
        const sub = await this.subsources.findByCode(dto.sub_source_code, ref.sourceId);
        if (sub) ref.subSourceId = sub.id;
        else
          errors.push({
            field: 'sub_source_code',
            message: `subsource ${dto.sub_source_code} not found under source ${dto.source_code ?? current.source?.sourceCode}`,
          });
      }
    }
    if (dto.channel_code === null) ref.channelId = null;
    else if (dto.channel_code !== undefined && dto.channel_code !== current.channel?.channelCode) {
      const channel = await this.channels.findByCode(dto.channel_code);
      if (channel) ref.channelId = channel.id;
      else errors.push({ field: 'channel_code', message: `lead channel ${dto.channel_code} not found` });
    }
    if (dto.campaign_code === null) ref.campaignId = null;
    else if (dto.campaign_code !== undefined) {
      const held = current.campaignId === null ? undefined : (await this.campaigns.codesByIds([current.campaignId])).get(current.campaignId);
      if (dto.campaign_code !== held) {
        const id = (await this.campaigns.idsByCodes([dto.campaign_code])).get(dto.campaign_code);
        if (id !== undefined) ref.campaignId = id;
        else errors.push({ field: 'campaign_code', message: `campaign ${dto.campaign_code} not found` });
      }
    }
    return ref;
  }
}
