import { Injectable } from '@nestjs/common';
import { groupBy } from '../../common/group-by';
import { conflict, FieldError, fieldInvalid, notFound, raise, validationFailed } from '../../common/errors/app-error';
import { validateRows } from '../../common/validation/validation.pipe';
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
    const data = await this.toResponses(new Map([[lead.id, lead]]), all.slice(page.offset, page.offset + page.limit));
    return { data, total: all.length, limit: page.limit, offset: page.offset };
  }

  /** For hosts (validate-input.ts): records a later touch of a live lead (the body as the route takes it). */
  @Transactional()
  async record(leadId: number, body: TouchDto): Promise<TouchResponseDto> {
    const id = validateId(leadId, 'lead');
    const dto = validateInput(TouchDto, body);
    const { stored, leads } = await this.store([{ leadId: id, touch: dto }], () => '');
    const [response] = await this.toResponses(leads, stored);
    await this.audit.record('create', 'lead_touch', response.id, null, response);
    return response;
  }

  /**
   * For hosts and imports (the seeding of `npm run bench` uses it): later touches of many leads in one
   * transaction, each checked and attributed as POST /leads/{id}/touches does, all or nothing (a 400
   * names every bad item as `touches[i].field`; an unknown lead is a 404). Answers how many were stored.
   */
  @Transactional()
  async recordMany(items: { lead_id: number; touch: unknown }[]): Promise<number> {
    const { rows, errors } = validateRows(
      TouchDto,
      items.map((i) => i.touch),
      'touches',
    );
    if (errors.length > 0) throw validationFailed(errors, `${new Set(errors.map((e) => e.field.split('.')[0])).size} of ${items.length} touches are not valid`);
    const { stored, leads } = await this.store(
      items.map((item, i) => ({ leadId: validateId(item.lead_id, 'lead'), touch: rows[i]! })),
      (i) => `touches[${i}].`,
    );
    const responses = await this.toResponses(leads, stored);
    await this.audit.recordMany(responses.map((r) => ({ action: 'create' as const, entityType: 'lead_touch', entityKey: r.id, before: null, after: r })));
    return stored.length;
  }

  /**
   * Checks and stores later touches, and moves their leads' credits: the leads' rows locked first (in
   * id order: this orders the write against every other write to those leads), their touches read once,
   * every touch resolved by the rules in one pass.
   */
  private async store(
    items: { leadId: number; touch: TouchDto }[],
    prefix: (i: number) => string,
  ): Promise<{ stored: LeadTouchEntity[]; leads: Map<number, LeadEntity> }> {
    const ids = [...new Set(items.map((i) => i.leadId))].sort((a, b) => a - b);
    await this.leads.lockRowsOf(ids);
    const leads = new Map((await this.leads.findByIds(ids)).map((l) => [l.id, l]));
    const missing = ids.find((id) => !leads.has(id));
    if (missing !== undefined) throw notFound('lead', missing);
    const before = await this.touches.ofLeads(ids);
    const now = new Date();
    const errors: FieldError[] = [];
    const count = new Map(ids.map((id) => [id, before.get(id)!.length]));
    const times = items.map(({ leadId, touch }, i) => {
      const occurredAt = touch.occurred_at !== undefined ? new Date(touch.occurred_at) : now;
      // A later touch follows the lead's first point (its origin touch, else its creation).
      const start = before.get(leadId)!.find((t) => t.isOrigin)?.occurredAt ?? leads.get(leadId)!.createdAt;
      if (occurredAt.getTime() > now.getTime() + FUTURE_TOLERANCE_MS)
        errors.push({ field: `${prefix(i)}occurred_at`, message: 'occurred_at may be at most 5 minutes ahead' });
      else if (occurredAt < start)
        errors.push({ field: `${prefix(i)}occurred_at`, message: `occurred_at may not be before the lead's first point (${start.toISOString()})` });
      count.set(leadId, count.get(leadId)! + 1);
      return occurredAt;
    });
    if (errors.length > 0) throw validationFailed(errors, errors.map((e) => `${e.field}: ${e.message}`).join('; '));
    const full = ids.find((id) => count.get(id)! > MAX_TOUCHES_PER_LEAD);
    if (full !== undefined) throw conflict(`A lead keeps at most ${MAX_TOUCHES_PER_LEAD} touches (lead ${full})`);
    const resolutions = await this.resolver.resolveMany(items.map((i) => i.touch));
    const unplaced = resolutions.findIndex((r) => r === undefined);
    if (unplaced !== -1) throw fieldInvalid(`${prefix(unplaced)}touch`, 'no attribution rule matches this touch and the UNMAPPED subsource is not live');
    const stored = await this.touches.insert(
      items.map(({ leadId, touch }, i) => {
        const r = resolutions[i]!;
        return {
          ...touchColumns(touch),
          leadId,
          isOrigin: false,
          occurredAt: times[i],
          ruleId: r.ruleId,
          sourceId: r.sourceId,
          subSourceId: r.subSourceId,
          channelId: r.channelId,
          campaignId: r.campaignId,
          campaignChannelId: r.campaignChannelId,
        };
      }),
    );
    const added = groupBy(stored, (t) => t.leadId);
    await this.rollups.add(
      ids.flatMap((id) => [
        { lead: leads.get(id)!, sign: -1 as const, touches: before.get(id)! },
        { lead: leads.get(id)!, sign: 1 as const, touches: [...before.get(id)!, ...added.get(id)!] },
      ]),
    );
    return { stored, leads };
  }

  /**
   * Touches as the API shows them (the codes of every kind looked up once for all of them): an
   * origin's codes are its lead's (where its credit goes), the others' their own.
   */
  private async toResponses(leads: Map<number, LeadEntity>, touches: LeadTouchEntity[]): Promise<TouchResponseDto[]> {
    const at = (t: LeadTouchEntity) => (t.isOrigin ? leads.get(t.leadId)! : t);
    const ids = (pick: (r: { sourceId: number | null; subSourceId: number | null; channelId: number | null; campaignId: number | null }) => number | null) => [
      ...new Set(touches.map((t) => pick(at(t))).filter((v): v is number => v !== null)),
    ];
    const [sources, subs, channels, campaigns, campaignChannels] = await Promise.all([
      this.sources.findAnyByIds(ids((r) => r.sourceId)),
      this.subsources.findAnyByIds(ids((r) => r.subSourceId)),
      this.channels.findAnyByIds(ids((r) => r.channelId)),
      this.campaigns.codesByIds(ids((r) => r.campaignId)),
      this.campaigns.channelCodesByIds(touches.map((t) => t.campaignChannelId).filter((v): v is number => v !== null)),
    ]);
    const sourceCodes = new Map(sources.map((r) => [r.id, r.sourceCode]));
    const subCodes = new Map(subs.map((r) => [r.id, r.subSourceCode]));
    const channelCodes = new Map(channels.map((r) => [r.id, r.channelCode]));
    const code = (codes: Map<number, string>, id: number | null) => (id === null ? null : (codes.get(id) ?? null));
    return touches.map((t) => {
      const r = at(t);
      return {
        ...toTouchSummary(t),
        lead_id: t.leadId,
        attributed_to: {
          rule_id: t.ruleId,
          source_code: code(sourceCodes, r.sourceId),
          sub_source_code: code(subCodes, r.subSourceId),
          channel_code: code(channelCodes, r.channelId),
          campaign_code: code(campaigns, r.campaignId),
          campaign_channel_code: code(campaignChannels, t.campaignChannelId),
        },
        created_at: t.createdAt.toISOString(),
        created_by: t.createdBy,
      };
    });
  }
}
