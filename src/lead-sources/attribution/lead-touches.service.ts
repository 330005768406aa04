import { Injectable } from '@nestjs/common';
import { conflict, fieldInvalid, notFound, raise } from '../../common/errors/app-error';
import { ListResponse, PageQueryDto } from '../../common/http/list.dto';
import { validateId, validateInput } from '../../common/validation/validate-input';
import { CampaignsService } from '../../campaigns/campaigns.service';
import { Transactional } from '../../database/transactional';
import { AuditLogService } from '../../tenancy/audit-log.service';
import { TouchDto, TouchResponseDto } from '../dto/touch.dto';
import { LeadChannelRepository } from '../lead-channel.repository';
import { LeadRollups } from '../lead-rollups';
import { FUTURE_TOLERANCE_MS } from '../lead-rules';
import { LeadSourceRepository } from '../lead-source.repository';
import { LeadSubsourceRepository } from '../lead-subsource.repository';
import { LeadEntity } from '../lead.entity';
import { LeadRepository } from '../lead.repository';
import { AttributionResolver } from './attribution-resolver';
import { LeadTouchEntity } from './lead-touch.entity';
import { LeadTouchRepository } from './lead-touch.repository';
import { touchColumns } from './touch-columns';
import { toTouchSummary } from './touch.mapper';

/** How many touches one lead keeps: every write to the lead reads them all and shares its credit over them. */
export const MAX_TOUCHES_PER_LEAD = 200;

/**
 * A lead's touches (API.md §3, docs/attribution.md): `POST /leads/{id}/touches` records a later visit,
 * attributed by the tenant's rules as they are at that moment, and moves the lead's attribution
 * credits in the same transaction (LeadRollups); `GET` lists them in path order.
 */
@Injectable()
export class LeadTouches {
  constructor(
    private readonly leads: LeadRepository,
    private readonly touches: LeadTouchRepository,
    private readonly resolver: AttributionResolver,
    private readonly rollups: LeadRollups,
    private readonly audit: AuditLogService,
    private readonly sources: LeadSourceRepository,
    private readonly subsources: LeadSubsourceRepository,
    private readonly channels: LeadChannelRepository,
    private readonly campaigns: CampaignsService,
  ) {}

  /** For hosts (validate-input.ts): the touches of a live lead, in path order (occurred_at, then id). */
  async list(leadId: number, query: PageQueryDto = new PageQueryDto()): Promise<ListResponse<TouchResponseDto>> {
    const id = validateId(leadId, 'lead');
    const page = validateInput(PageQueryDto, query);
    const lead = (await this.leads.findById(id)) ?? raise(notFound('lead', id));
    const all = await this.touches.ofLead(lead.id);
    const data = await this.toResponses(lead, all.slice(page.offset, page.offset + page.limit));
    return { data, total: all.length, limit: page.limit, offset: page.offset };
  }

  /** For hosts (validate-input.ts): records a later touch of a live lead (the body as the route takes it). */
  @Transactional()
  async record(leadId: number, body: TouchDto): Promise<TouchResponseDto> {
    const id = validateId(leadId, 'lead');
    const dto = validateInput(TouchDto, body);
    // The lead's row lock orders this against every other write to the lead (and its touches).
    await this.leads.lockRow(id);
    const lead: LeadEntity = (await this.leads.findById(id)) ?? raise(notFound('lead', id));
    const before = await this.touches.ofLead(lead.id);
    if (before.length >= MAX_TOUCHES_PER_LEAD) throw conflict(`A lead keeps at most ${MAX_TOUCHES_PER_LEAD} touches`);
    const now = new Date();
    const occurredAt = dto.occurred_at !== undefined ? new Date(dto.occurred_at) : now;
    if (occurredAt.getTime() > now.getTime() + FUTURE_TOLERANCE_MS) throw fieldInvalid('occurred_at', 'occurred_at may be at most 5 minutes ahead');
    // A later touch follows the lead's first point (its origin touch, else its creation).
    const start = before.find((t) => t.isOrigin)?.occurredAt ?? lead.createdAt;
    if (occurredAt < start) {
      throw fieldInvalid('occurred_at', `occurred_at may not be before the lead's first point (${start.toISOString()})`);
    }
    const [resolution] = await this.resolver.resolveMany([dto]);
    if (!resolution) throw fieldInvalid('touch', 'no attribution rule matches this touch and the UNMAPPED subsource is not live');
    const [touch] = await this.touches.insert([
      {
        ...touchColumns(dto),
        leadId: lead.id,
        isOrigin: false,
        occurredAt,
        ruleId: resolution.ruleId,
        sourceId: resolution.sourceId,
        subSourceId: resolution.subSourceId,
        channelId: resolution.channelId,
        campaignId: resolution.campaignId,
        campaignChannelId: resolution.campaignChannelId,
      },
    ]);
    await this.rollups.add([
      { lead, sign: -1, touches: before },
      { lead, sign: 1, touches: [...before, touch] },
    ]);
    const [response] = await this.toResponses(lead, [touch]);
    await this.audit.record('create', 'lead_touch', touch.id, null, response);
    return response;
  }

  /** Touches as the API shows them: an origin's codes are its lead's (where its credit goes), the others' their own. */
  private async toResponses(lead: LeadEntity, touches: LeadTouchEntity[]): Promise<TouchResponseDto[]> {
    const ids = (pick: (t: { sourceId: number | null; subSourceId: number | null; channelId: number | null; campaignId: number | null }) => number | null) => [
      ...new Set(touches.map((t) => pick(t.isOrigin ? lead : t)).filter((v): v is number => v !== null)),
    ];
    const [sources, subs, channels, campaigns, campaignChannels] = await Promise.all([
      this.sources.findAnyByIds(ids((t) => t.sourceId)),
      this.subsources.findAnyByIds(ids((t) => t.subSourceId)),
      this.channels.findAnyByIds(ids((t) => t.channelId)),
      this.campaigns.codesByIds(ids((t) => t.campaignId)),
      this.campaigns.channelCodesByIds(touches.map((t) => t.campaignChannelId).filter((v): v is number => v !== null)),
    ]);
    const code = <T extends { id: number }>(rows: T[], id: number | null, of: (r: T) => string) => {
      const row = id === null ? undefined : rows.find((r) => r.id === id);
      return row ? of(row) : null;
    };
    return touches.map((t) => {
      const at = t.isOrigin ? lead : t;
      return {
        ...toTouchSummary(t),
        lead_id: t.leadId,
        attributed_to: {
          rule_id: t.ruleId,
          source_code: code(sources, at.sourceId, (s) => s.sourceCode),
          sub_source_code: code(subs, at.subSourceId, (s) => s.subSourceCode),
          channel_code: code(channels, at.channelId, (c) => c.channelCode),
          campaign_code: at.campaignId === null ? null : (campaigns.get(at.campaignId) ?? null),
          campaign_channel_code: t.campaignChannelId === null ? null : (campaignChannels.get(t.campaignChannelId) ?? null),
        },
        created_at: t.createdAt.toISOString(),
        created_by: t.createdBy,
      };
    });
  }
}
