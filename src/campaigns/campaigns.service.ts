import { assertVersion } from '../common/http/etag';
import { Injectable } from '@nestjs/common';
import { Transactional } from '../database/transactional';
import { changedMeanwhile, conflict, duplicateCode, notFound, raise } from '../common/errors/app-error';
import { ListResponse, toListResponse } from '../common/http/list.dto';
import { validateCode, validateInput } from '../common/validation/validate-input';
import { DomainEventPublisher } from '../events/domain-event-publisher';
import { DOMAIN_EVENTS } from '../events/domain-events';
import { AuditLogService } from '../tenancy/audit-log.service';
import { TenantContext } from '../tenancy/tenant-context';
import { TenantRegistry } from '../tenancy/tenant-registry';
import { restoreDeleted } from '../config-resource/restore';
import { CampaignAllocations } from './campaign-allocations';
import { CampaignMetricMoves } from './campaign-metric-moves';
import { CampaignReferences, ReferenceErrors } from './campaign-references';
import { campaignFromTemplate, transitionRefusal } from './campaign-rules';
import { CampaignTemplatesService } from './campaign-templates.service';
import { CampaignEntity } from './campaign.entity';
import { toCampaignResponse } from './campaign.mapper';
import { CampaignChannelRepository } from './campaign-channel.repository';
import { CampaignRepository } from './campaign.repository';
import { CampaignChecks } from './campaign-checks';
import {
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
    private readonly allocations: CampaignAllocations,
    private readonly checks: CampaignChecks,
    private readonly templates: CampaignTemplatesService,
    private readonly refs: CampaignReferences,
    private readonly audit: AuditLogService,
    private readonly tenancy: TenantContext,
    private readonly metricMoves: CampaignMetricMoves,
    private readonly events: DomainEventPublisher,
    private readonly registry: TenantRegistry,
    private readonly channels: CampaignChannelRepository,
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

  /** The codes of campaign channels by id, deleted ones included (what a touch was attributed to). */
  async channelCodesByIds(ids: number[]): Promise<Map<number, string>> {
    return new Map((await this.channels.findAnyByIds([...new Set(ids)])).map((c) => [c.id, c.channelCode]));
  }

  /** For hosts (validate-input.ts): a live campaign by code, 404 otherwise. */
  async get(code: string): Promise<CampaignEntity> {
    const campaign = (await this.campaigns.findByCode(validateCode(code))) ?? raise(notFound(LABEL, code));
    return this.allocations.attach(campaign);
  }

  private async byId(id: number): Promise<CampaignEntity> {
    return this.allocations.attach((await this.campaigns.findById(id)) ?? raise(notFound(LABEL, id)));
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
    await this.allocations.attachToPage(rows);
    return toListResponse([rows, total], page, toCampaignResponse);
  }

  /** `rename` names a 400's fields as the caller knows them (instantiate: the template's fields). */
  @Transactional()
  async create(dto: CreateCampaignDto, rename?: (field: string) => string): Promise<CampaignEntity> {
    if (await this.campaigns.findByCode(dto.campaign_code)) throw duplicateCode(LABEL, dto.campaign_code);
    const { fields, channels } = await this.checks.forCreate(dto, rename);
    const created = await this.campaigns.insert(fields);
    await this.allocations.insert(created.id, channels);
    const stored = await this.byId(created.id);
    await this.audit.record('create', ENTITY, stored.campaignCode, null, toCampaignResponse(stored));
    return stored;
  }

  /** A campaign from a template's defaults, each overridden by what the body sends (campaignFromTemplate). */
  @Transactional()
  async instantiate(templateId: number, dto: InstantiateCampaignDto): Promise<CampaignEntity> {
    const template = await this.templates.get(templateId);
    if (!template.isActive) throw conflict(`campaign template ${templateId} is inactive`);
    const { create, rename } = campaignFromTemplate(template, dto);
    return this.create(create, rename);
  }

  @Transactional()
  async update(code: string, dto: UpdateCampaignDto, ifMatch?: number): Promise<CampaignEntity> {
    const current = await this.lockForWrite(code, ifMatch);
    if (!current.status!.allowsEditing) {
      throw conflict(`Campaign ${code} is ${current.status!.statusCode}, which does not allow editing`);
    }
    const { fields, channels } = await this.checks.forUpdate(dto, current);
    await this.save(current, fields);
    if (fields.campaignTypeId !== undefined && fields.campaignTypeId !== current.campaignTypeId) {
      await this.metricMoves.move(current.id, [
        { typeId: current.campaignTypeId, sign: -1 },
        { typeId: fields.campaignTypeId, sign: 1 },
      ]);
    }
    if (channels) await this.allocations.replace(current.id, current.allocations ?? [], channels);
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
    const current = await this.lockForWrite(code, ifMatch);
    const errs = new ReferenceErrors();
    const target = await this.refs.status(statusCode, 'status_code', errs);
    errs.throwIfAny();
    const from = current.status!;
    const refusal = transitionRefusal(from, target!);
    if (refusal) throw conflict(refusal);
    await this.save(current, { statusId: target!.id });
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
    const current = await this.lockForWrite(code, ifMatch);
    if ((await this.campaigns.softDelete(current.id, new Date(), current.version)) === 0) throw changedMeanwhile(LABEL);
    await this.metricMoves.move(current.id, [{ typeId: current.campaignTypeId, sign: -1 }]);
    await this.audit.record('delete', ENTITY, current.campaignCode, toCampaignResponse(current), null);
  }

  /** Admin only (the shared restore flow): the metric rollup takes the campaign's rows back. */
  @Transactional()
  async restore(code: string): Promise<CampaignEntity> {
    return restoreDeleted(
      { tenancy: this.tenancy, registry: this.registry, audit: this.audit },
      {
        entityType: ENTITY,
        label: LABEL,
        key: code,
        findDeleted: () => this.campaigns.findDeletedByCode(code),
        codeTaken: async () => (await this.campaigns.findByCode(code)) !== null,
        restore: (id, deletedAt) => this.campaigns.restore(id, deletedAt),
        cascade: (deleted) => this.metricMoves.move(deleted.id, [{ typeId: deleted.campaignTypeId, sign: 1 }]),
        reload: (id) => this.byId(id),
        entityKey: (row) => row.campaignCode,
        toResponse: toCampaignResponse,
      },
    );
  }

  /**
   * The live campaign a write changes, with its channels, after taking its row lock as the
   * transaction's first statement (docs/concurrency.md), checked against If-Match.
   */
  private async lockForWrite(code: string, ifMatch?: number): Promise<CampaignEntity> {
    await this.campaigns.lockByCode(code);
    const current = await this.get(code);
    assertVersion(current, ifMatch);
    return current;
  }

  /** Writes `fields` to the campaign read under its lock, guarded by its version. */
  private async save(current: CampaignEntity, fields: Partial<CampaignEntity>): Promise<void> {
    if ((await this.campaigns.update(current.id, fields, current.version)) === 0) throw changedMeanwhile(LABEL);
  }
}
