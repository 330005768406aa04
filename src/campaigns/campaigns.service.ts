import { assertVersion } from '../common/http/etag';
import { Injectable } from '@nestjs/common';
import { Transactional } from '../database/transactional';
import { addDays } from '../common/analytics/dates';
import { AppError, conflict, duplicateCode, notFound, raise } from '../common/errors/app-error';
import { ListResponse, toListResponse } from '../common/http/list.dto';
import { validateCode, validateInput } from '../common/validation/validate-input';
import { DomainEventPublisher } from '../events/domain-event-publisher';
import { DOMAIN_EVENTS } from '../events/domain-events';
import { AuditLogService } from '../tenancy/audit-log.service';
import { TenantContext } from '../tenancy/tenant-context';
import { TenantRegistry } from '../tenancy/tenant-registry';
import { restoreDeleted } from '../config-resource/restore';
import { CampaignAllocationEntity } from './campaign-allocation.entity';
import { CampaignMetricDailyStatRepository, netMetricDeltas } from './campaign-metric-daily-stat.repository';
import { CampaignMetricRepository } from './campaign-metric.repository';
import { CampaignAllocationRepository } from './campaign-allocation.repository';
import { CampaignReferences, ReferenceErrors } from './campaign-references';
import { budgetOutsideType, transitionRefusal } from './campaign-rules';
import { CampaignTemplatesService } from './campaign-templates.service';
import { CampaignTypeEntity } from './campaign-type.entity';
import { CampaignEntity } from './campaign.entity';
import { toCampaignResponse } from './campaign.mapper';
import { CampaignRepository } from './campaign.repository';
import { CampaignTemplateRepository } from './campaign-template.repository';
import {
  CampaignChannelInputDto,
  CampaignResponseDto,
  CreateCampaignDto,
  InstantiateCampaignDto,
  ListCampaignsQueryDto,
  TransitionCampaignDto,
  UpdateCampaignDto,
} from './dto/campaign.dto';

const ENTITY = 'campaign';
const LABEL = 'campaign';

/**
 * Campaigns: create (directly or from a template), read, PATCH while the status allows editing,
 * (writes to an existing campaign take its row lock first: see CampaignRepository.lockByCode)
 * status transitions along the workflow, soft delete and admin restore. Every write is audited in
 * its transaction. Other modules (leads) use `findLiveByCode`, or `idsByCodes`/`codesByIds` (the shape of
 * the leads' CampaignLookup), to check a campaign_code inside the tenant.
 */
@Injectable()
export class CampaignsService {
  constructor(
    private readonly campaigns: CampaignRepository,
    private readonly allocations: CampaignAllocationRepository,
    private readonly templateRows: CampaignTemplateRepository,
    private readonly templates: CampaignTemplatesService,
    private readonly refs: CampaignReferences,
    private readonly audit: AuditLogService,
    private readonly tenancy: TenantContext,
    private readonly metrics: CampaignMetricRepository,
    private readonly metricStats: CampaignMetricDailyStatRepository,
    private readonly events: DomainEventPublisher,
    private readonly registry: TenantRegistry,
  ) {}

  toResponse(e: CampaignEntity): CampaignResponseDto {
    return toCampaignResponse(e);
  }

  /**
   * For other modules: the tenant's live campaign with this code, or null. (Leads name their campaign
   * by code; a deleted campaign's code names nothing.)
   */
  findLiveByCode(code: string): Promise<CampaignEntity | null> {
    return this.campaigns.findByCode(code);
  }

  /** For other modules (the leads' CampaignLookup): live campaigns of the tenant among `codes`, code → id. */
  idsByCodes(codes: string[]): Promise<Map<string, number>> {
    return this.campaigns.idsByCodes(codes);
  }

  /**
   * For other modules: the ids of every campaign of the tenant that has had this code, deleted ones
   * included (a lead keeps showing a deleted campaign's code, so a filter by code finds it).
   */
  idsOfCode(code: string): Promise<number[]> {
    return this.campaigns.idsOfCode(code);
  }

  /** For other modules: campaign codes by id, deleted campaigns included (facts keep their references). */
  codesByIds(ids: number[]): Promise<Map<number, string>> {
    return this.campaigns.codesByIds(ids);
  }

  /** For hosts (validate-input.ts): a live campaign by code, 404 otherwise. */
  async get(code: string): Promise<CampaignEntity> {
    const campaign = (await this.campaigns.findByCode(validateCode(code))) ?? raise(notFound(LABEL, code));
    return this.withAllocations(campaign);
  }

  private async withAllocations(campaign: CampaignEntity): Promise<CampaignEntity> {
    campaign.allocations = await this.allocations.listForCampaigns([campaign.id]);
    return campaign;
  }

  private async byId(id: number): Promise<CampaignEntity> {
    return this.withAllocations((await this.campaigns.findById(id)) ?? raise(notFound(LABEL, id)));
  }

  /** For hosts (validate-input.ts): the query as GET /campaigns takes it. */
  async list(query: ListCampaignsQueryDto): Promise<ListResponse<CampaignResponseDto>> {
    const q = validateInput(ListCampaignsQueryDto, query);
    if (q.include_deleted) this.tenancy.requireAdmin('include_deleted');
    const page = { limit: q.limit, offset: q.offset };
    const [rows, total] = await this.campaigns.list(
      { includeDeleted: q.include_deleted, campaignTypeCode: q.campaign_type_code, statusCode: q.status_code, channelCode: q.channel_code },
      page,
    );
    // One query for the whole page's channels.
    const byCampaign = new Map<number, CampaignAllocationEntity[]>();
    for (const a of await this.allocations.listForCampaigns(rows.map((r) => r.id))) {
      byCampaign.set(a.campaignId, [...(byCampaign.get(a.campaignId) ?? []), a]);
    }
    for (const r of rows) r.allocations = byCampaign.get(r.id) ?? [];
    return toListResponse([rows, total], page, toCampaignResponse);
  }

  /** `rename` names a 400's fields as the caller knows them (instantiate: the template's fields). */
  @Transactional()
  async create(dto: CreateCampaignDto, rename?: (field: string) => string): Promise<CampaignEntity> {
    if (await this.campaigns.findByCode(dto.campaign_code)) throw duplicateCode(LABEL, dto.campaign_code);
    const errs = new ReferenceErrors(rename);
    const type = await this.refs.type(dto.campaign_type_code, 'campaign_type_code', errs);
    let statusId: number | undefined;
    if (dto.status_code !== undefined) statusId = (await this.refs.status(dto.status_code, 'status_code', errs))?.id;
    else {
      const initial = await this.refs.findInitialStatus();
      if (!initial) throw conflict('This tenant has no initial campaign status: name a status_code');
      statusId = initial.id;
    }
    let budgetTypeId: number | null = null;
    if (dto.budget_type_code != null) budgetTypeId = (await this.refs.budgetType(dto.budget_type_code, 'budget_type_code', errs))?.id ?? null;
    const channels = await this.resolveChannels(dto.channels ?? [], errs, []);
    if (dto.template_id !== undefined && !(await this.templateRows.findById(dto.template_id))) {
      errs.add('template_id', `no campaign template ${dto.template_id} in this tenant`);
    }
    this.checkDates(dto.start_date, dto.end_date ?? null, errs);
    this.checkBudget(dto.budget ?? null, type, errs);
    errs.throwIfAny();

    const created = await this.campaigns.insert({
      campaignCode: dto.campaign_code,
      campaignName: dto.campaign_name,
      campaignTypeId: type!.id,
      statusId: statusId!,
      budgetTypeId,
      budget: dto.budget ?? null,
      startDate: dto.start_date,
      endDate: dto.end_date ?? null,
      targetAudience: dto.target_audience ?? {},
      kpis: dto.kpis ?? [],
      templateId: dto.template_id ?? null,
    });
    await this.allocations.insertAll(channels.map((c) => ({ campaignId: created.id, channelId: c.channelId, allocatedBudget: c.allocatedBudget })));
    const stored = await this.byId(created.id);
    await this.audit.record('create', ENTITY, stored.campaignCode, null, toCampaignResponse(stored));
    return stored;
  }

  /**
   * A campaign from a template: the template's type, channels (allocated 0), budget, budget type,
   * target audience and KPIs, and end_date = start_date + default_duration_days − 1 (else the type's
   * typical_duration_days; else open-ended), each overridden by what the body sends.
   */
  @Transactional()
  async instantiate(templateId: number, dto: InstantiateCampaignDto): Promise<CampaignEntity> {
    const template = await this.templates.get(templateId);
    if (!template.isActive) throw conflict(`campaign template ${templateId} is inactive`);
    const type = template.campaignType!;
    const duration = template.defaultDurationDays ?? type.typicalDurationDays;
    const pick = <T>(sent: T | undefined, fallback: T): T => (sent !== undefined ? sent : fallback);
    // A value taken from the template that no longer holds (a default channel deleted or deactivated
    // since, a default budget outside the type's current range…) is named as the template's field.
    const rename = (field: string): string => {
      const channel = /^channels\[(\d+)\]\.channel_code$/.exec(field);
      if (channel && dto.channels === undefined) return `default_channels[${channel[1]}]`;
      if (field === 'budget' && dto.budget === undefined) return 'default_budget';
      if (field === 'budget_type_code' && dto.budget_type_code === undefined) return 'default_budget_type_code';
      return field;
    };
    return this.create(
      {
        campaign_code: dto.campaign_code,
        campaign_name: dto.campaign_name,
        campaign_type_code: type.typeCode,
        status_code: dto.status_code,
        budget_type_code: pick(dto.budget_type_code, template.defaultBudgetType?.budgetTypeCode ?? null),
        budget: pick(dto.budget, template.defaultBudget),
        start_date: dto.start_date,
        end_date: pick(dto.end_date, duration ? addDays(dto.start_date, duration - 1) : null),
        channels: pick(
          dto.channels,
          template.defaultChannels.map((code) => ({ channel_code: code, allocated_budget: 0 })),
        ),
        target_audience: pick(dto.target_audience, template.targetAudience),
        kpis: pick(dto.kpis, template.kpis),
        template_id: template.id,
      },
      rename,
    );
  }

  @Transactional()
  async update(code: string, dto: UpdateCampaignDto, ifMatch?: number): Promise<CampaignEntity> {
    await this.campaigns.lockByCode(code);
    const current = await this.get(code);
    assertVersion(current, ifMatch);
    if (!current.status!.allowsEditing) {
      throw conflict(`Campaign ${code} is ${current.status!.statusCode}, which does not allow editing`);
    }
    const errs = new ReferenceErrors();
    const fields: Partial<CampaignEntity> = {};
    if (dto.campaign_name !== undefined) fields.campaignName = dto.campaign_name;
    if (dto.target_audience !== undefined) fields.targetAudience = dto.target_audience;
    if (dto.kpis !== undefined) fields.kpis = dto.kpis;
    if (dto.start_date !== undefined) fields.startDate = dto.start_date;
    if (dto.end_date !== undefined) fields.endDate = dto.end_date;
    if (dto.budget !== undefined) fields.budget = dto.budget;
    let type: CampaignTypeEntity | undefined = current.campaignType;
    if (dto.campaign_type_code !== undefined) {
      type = await this.refs.type(dto.campaign_type_code, 'campaign_type_code', errs, current.campaignTypeId);
      if (type) fields.campaignTypeId = type.id;
    }
    if (dto.budget_type_code !== undefined) {
      if (dto.budget_type_code === null) fields.budgetTypeId = null;
      else {
        const bt = await this.refs.budgetType(dto.budget_type_code, 'budget_type_code', errs, current.budgetTypeId ?? undefined);
        if (bt) fields.budgetTypeId = bt.id;
      }
    }
    const held = current.allocations ?? [];
    const channels = dto.channels === undefined ? undefined : await this.resolveChannels(dto.channels, errs, held);
    if (dto.start_date !== undefined || dto.end_date !== undefined) {
      this.checkDates(fields.startDate ?? current.startDate, fields.endDate !== undefined ? fields.endDate : current.endDate, errs);
    }
    // The guideline binds when the budget or the type changes; an unrelated PATCH of a campaign
    // whose type's bounds moved since is not refused for it.
    if (type && (dto.budget !== undefined || dto.campaign_type_code !== undefined)) {
      this.checkBudget(fields.budget !== undefined ? fields.budget : current.budget, type, errs);
    }
    errs.throwIfAny();

    const changed = await this.campaigns.update(current.id, fields, current.version);
    if (changed === 0) throw new AppError('PRECONDITION_FAILED', `The ${LABEL} changed meanwhile; read it again`);
    if (fields.campaignTypeId !== undefined && fields.campaignTypeId !== current.campaignTypeId) {
      await this.moveMetrics(current.id, [{ typeId: current.campaignTypeId, sign: -1 }, { typeId: fields.campaignTypeId, sign: 1 }]);
    }
    if (channels) await this.replaceAllocations(current.id, held, channels);
    const after = await this.byId(current.id);
    await this.audit.record('update', ENTITY, after.campaignCode, toCampaignResponse(current), toCampaignResponse(after));
    return after;
  }

  /**
   * Moves the campaign along the workflow (409 when the current status does not allow the move).
   * For hosts (validate-input.ts): `statusCode` as the body of POST /campaigns/:code/transition takes it.
   */
  @Transactional()
  async transition(code: string, statusCode: string, ifMatch?: number): Promise<CampaignEntity> {
    validateCode(code);
    validateInput(TransitionCampaignDto, { status_code: statusCode });
    await this.campaigns.lockByCode(code);
    const current = await this.get(code);
    assertVersion(current, ifMatch);
    const errs = new ReferenceErrors();
    const target = await this.refs.status(statusCode, 'status_code', errs);
    errs.throwIfAny();
    const from = current.status!;
    const refusal = transitionRefusal(from, target!);
    if (refusal) throw conflict(refusal);
    const changed = await this.campaigns.update(current.id, { statusId: target!.id }, current.version);
    if (changed === 0) throw new AppError('PRECONDITION_FAILED', `The ${LABEL} changed meanwhile; read it again`);
    const after = await this.byId(current.id);
    await this.audit.record('transition', ENTITY, after.campaignCode, toCampaignResponse(current), toCampaignResponse(after));
    this.events.publish(DOMAIN_EVENTS.campaignStatusChanged, {
      campaignId: after.id,
      campaignCode: after.campaignCode,
      statusBefore: from.statusCode,
      statusAfter: target!.statusCode,
    });
    return after;
  }

  /** Soft delete: the campaign, its channels and metric rows stay stored; it stops counting in analytics. */
  @Transactional()
  async remove(code: string, ifMatch?: number): Promise<void> {
    await this.campaigns.lockByCode(code);
    const current = await this.get(code);
    assertVersion(current, ifMatch);
    const changed = await this.campaigns.softDelete(current.id, new Date(), current.version);
    if (changed === 0) throw new AppError('PRECONDITION_FAILED', `The ${LABEL} changed meanwhile; read it again`);
    await this.moveMetrics(current.id, [{ typeId: current.campaignTypeId, sign: -1 }]);
    await this.audit.record('delete', ENTITY, current.campaignCode, toCampaignResponse(current), null);
  }

  /** Admin only (the shared restore flow): the metric rollup takes the campaign's rows back. */
  @Transactional()
  async restore(code: string): Promise<CampaignEntity> {
    return restoreDeleted({ tenancy: this.tenancy, registry: this.registry, audit: this.audit }, {
      entityType: ENTITY,
      label: LABEL,
      key: code,
      findDeleted: () => this.campaigns.findDeletedByCode(code),
      codeTaken: async () => (await this.campaigns.findByCode(code)) !== null,
      restore: (id, deletedAt) => this.campaigns.restore(id, deletedAt),
      cascade: (deleted) => this.moveMetrics(deleted.id, [{ typeId: deleted.campaignTypeId, sign: 1 }]),
      reload: (id) => this.byId(id),
      entityKey: (row) => row.campaignCode,
      toResponse: toCampaignResponse,
    });
  }

  /**
   * The campaign metric rollup follows the campaign: its rows leave it on delete, come back on
   * restore, and move from the old type to the new one on a type change.
   */
  private async moveMetrics(campaignId: number, moves: { typeId: number; sign: 1 | -1 }[]): Promise<void> {
    const rows = await this.metrics.figuresOfCampaign(campaignId);
    if (rows.length === 0) return;
    await this.metricStats.add(netMetricDeltas(moves.flatMap((m) => rows.map((r) => ({ ...r, campaignTypeId: m.typeId, sign: m.sign })))));
  }

  private checkDates(start: string, end: string | null, errs: ReferenceErrors): void {
    if (end !== null && end < start) errs.add('end_date', `end_date must be on or after start_date (${start})`);
  }

  private checkBudget(budget: number | null, type: CampaignTypeEntity | undefined, errs: ReferenceErrors): void {
    const outside = type ? budgetOutsideType(budget, type) : null;
    if (outside) errs.add(outside.field, outside.message);
  }

  /** Channel codes → ids, each listed once; channels the campaign already has may stay even if inactive. */
  private async resolveChannels(
    input: CampaignChannelInputDto[],
    errs: ReferenceErrors,
    held: CampaignAllocationEntity[],
  ): Promise<{ channelId: number; allocatedBudget: number }[]> {
    const heldIds = new Set(held.map((a) => a.channelId));
    const rows = await this.refs.channelList(
      input.map((c) => c.channel_code),
      (i) => `channels[${i}].channel_code`,
      errs,
      (row) => heldIds.has(row.id),
    );
    const seen = new Set<string>();
    input.forEach((c, i) => {
      if (seen.has(c.channel_code)) errs.add(`channels[${i}].channel_code`, `channel ${c.channel_code} is listed twice`);
      seen.add(c.channel_code);
    });
    return input.flatMap((c, i) => (rows[i] ? [{ channelId: rows[i]!.id, allocatedBudget: c.allocated_budget ?? 0 }] : []));
  }

  /** The new channel set replaces the old: changed budgets updated, new channels added, dropped ones soft-deleted. */
  private async replaceAllocations(
    campaignId: number,
    held: CampaignAllocationEntity[],
    next: { channelId: number; allocatedBudget: number }[],
  ): Promise<void> {
    const heldByChannel = new Map(held.map((a) => [a.channelId, a]));
    const nextIds = new Set(next.map((n) => n.channelId));
    const now = new Date();
    for (const a of held) if (!nextIds.has(a.channelId)) await this.allocations.softDelete(a.id, now);
    const added: Partial<CampaignAllocationEntity>[] = [];
    for (const n of next) {
      const existing = heldByChannel.get(n.channelId);
      if (!existing) added.push({ campaignId, channelId: n.channelId, allocatedBudget: n.allocatedBudget });
      else if (existing.allocatedBudget !== n.allocatedBudget) await this.allocations.updateBudget(existing.id, n.allocatedBudget);
    }
    await this.allocations.insertAll(added);
  }
}
