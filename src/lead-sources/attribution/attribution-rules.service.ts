import { Injectable } from '@nestjs/common';
import { changedMeanwhile, FieldError, notFound, raise, validationFailed } from '../../common/errors/app-error';
import { assertVersion } from '../../common/http/etag';
import { withBase } from '../../common/http/base-response.dto';
import { ListResponse, toListResponse } from '../../common/http/list.dto';
import { unchanged } from '../../common/patch';
import { ConfigListQuery, toListFilter } from '../../config-resource/list-filter';
import { restoreDeleted } from '../../config-resource/restore';
import { Transactional } from '../../database/transactional';
import { AuditLogService } from '../../tenancy/audit-log.service';
import { TenantContext } from '../../tenancy/tenant-context';
import { TenantRegistry } from '../../tenancy/tenant-registry';
import { UNMAPPED_CODE, UTM_FIELDS, UtmField } from './attribution-matching';
import { AttributionResolver } from './attribution-resolver';
import { AttributionRuleEntity } from './attribution-rule.entity';
import { AttributionRuleRepository } from './attribution-rule.repository';
import { AttributionTargets, RuleCodes } from './attribution-targets';
import {
  AttributionDryRunDto,
  AttributionDryRunResponseDto,
  AttributionRuleResponseDto,
  UpdateAttributionRuleDto,
  UtmConditionDto,
} from './attribution-rule.dto';

/** The audit log's entity_type of a rule. */
export const ATTRIBUTION_RULE = 'attribution_rule';
const LABEL = 'attribution rule';

/** Each condition's columns. */
const CONDITION_COLUMNS: Record<
  UtmField,
  { value: 'utmSourceValue' | 'utmMediumValue' | 'utmCampaignValue'; match: 'utmSourceMatch' | 'utmMediumMatch' | 'utmCampaignMatch' }
> = {
  utm_source: { value: 'utmSourceValue', match: 'utmSourceMatch' },
  utm_medium: { value: 'utmMediumValue', match: 'utmMediumMatch' },
  utm_campaign: { value: 'utmCampaignValue', match: 'utmCampaignMatch' },
};

/** Each code's wire name and property. */
const CODE_FIELDS: [keyof RuleCodes, 'source_code' | 'sub_source_code' | 'channel_code' | 'campaign_code' | 'campaign_channel_code'][] = [
  ['sourceCode', 'source_code'],
  ['subSourceCode', 'sub_source_code'],
  ['channelCode', 'channel_code'],
  ['campaignCode', 'campaign_code'],
  ['campaignChannelCode', 'campaign_channel_code'],
];

const conditionOf = (e: AttributionRuleEntity, field: UtmField): UtmConditionDto | null => {
  const { value, match } = CONDITION_COLUMNS[field];
  const v = e[value];
  const m = e[match];
  return v !== null && m !== null ? { value: v, match: m } : null;
};

export const toAttributionRuleResponse = (e: AttributionRuleEntity): AttributionRuleResponseDto =>
  withBase<AttributionRuleResponseDto>(e, {
    name: e.name,
    priority: e.priority,
    is_active: e.isActive,
    utm_source: conditionOf(e, 'utm_source'),
    utm_medium: conditionOf(e, 'utm_medium'),
    utm_campaign: conditionOf(e, 'utm_campaign'),
    source_code: e.sourceCode,
    sub_source_code: e.subSourceCode,
    channel_code: e.channelCode,
    campaign_code: e.campaignCode,
    campaign_channel_code: e.campaignChannelCode,
  });

/**
 * `/attribution-rules`: a tenant's mapping rules, addressed by id, versioned (If-Match), audited
 * (`attribution_rule`), soft-deleted and restored like every resource; and the dry-run that shows
 * what a touch resolves to. The codes a write names must name live rows of the tenant then (400 naming
 * each field); codes a rule already holds may have been deleted since (it is then skipped at
 * resolution, and the dry-run says so).
 */
@Injectable()
export class AttributionRulesService {
  constructor(
    private readonly rules: AttributionRuleRepository,
    private readonly targets: AttributionTargets,
    private readonly resolver: AttributionResolver,
    private readonly audit: AuditLogService,
    private readonly tenancy: TenantContext,
    private readonly registry: TenantRegistry,
  ) {}

  toResponse(e: AttributionRuleEntity): AttributionRuleResponseDto {
    return toAttributionRuleResponse(e);
  }

  async get(id: number): Promise<AttributionRuleEntity> {
    return (await this.rules.findById(id)) ?? raise(notFound(LABEL, id));
  }

  async list(query: ConfigListQuery): Promise<ListResponse<AttributionRuleResponseDto>> {
    const { filter, page } = toListFilter(query, this.tenancy);
    return toListResponse(await this.rules.list(filter, page), page, toAttributionRuleResponse);
  }

  @Transactional()
  async create(dto: UpdateAttributionRuleDto): Promise<AttributionRuleEntity> {
    const fields = await this.fieldsOf(dto, null);
    const created = await this.rules.insert({ priority: 0, isActive: true, ...fields });
    const stored = await this.get(created.id);
    await this.audit.record('create', ATTRIBUTION_RULE, stored.id, null, toAttributionRuleResponse(stored));
    return stored;
  }

  /** Partial; with If-Match, 412 unless the rule is still at that version. A PATCH that changes nothing writes nothing. */
  @Transactional()
  async update(id: number, dto: UpdateAttributionRuleDto, ifMatch?: number): Promise<AttributionRuleEntity> {
    const current = (await this.rules.findForWrite(id)) ?? raise(notFound(LABEL, id));
    assertVersion(current, ifMatch);
    const fields = await this.fieldsOf(dto, current);
    if (unchanged(current, fields)) return current;
    if ((await this.rules.update(id, fields, current.version)) === 0) throw changedMeanwhile(LABEL);
    const after = await this.get(id);
    await this.audit.record('update', ATTRIBUTION_RULE, id, toAttributionRuleResponse(current), toAttributionRuleResponse(after));
    return after;
  }

  @Transactional()
  async remove(id: number, ifMatch?: number): Promise<void> {
    const current = (await this.rules.findForWrite(id)) ?? raise(notFound(LABEL, id));
    assertVersion(current, ifMatch);
    if ((await this.rules.softDelete(id, new Date(), current.version)) === 0) throw changedMeanwhile(LABEL);
    await this.audit.record('delete', ATTRIBUTION_RULE, id, toAttributionRuleResponse(current), null);
  }

  /** Admin only (the shared restore flow). The rule comes back as it was; codes deleted since make it skipped, not refused. */
  @Transactional()
  async restore(id: number): Promise<AttributionRuleEntity> {
    return restoreDeleted(
      { tenancy: this.tenancy, registry: this.registry, audit: this.audit },
      {
        entityType: ATTRIBUTION_RULE,
        label: LABEL,
        key: id,
        findDeleted: () => this.rules.findDeletedById(id),
        restore: (rowId, deletedAt) => this.rules.restore(rowId, deletedAt),
        reload: (rowId) => this.rules.findById(rowId),
        entityKey: (row) => row.id,
        toResponse: toAttributionRuleResponse,
      },
    );
  }

  /** What a touch with these UTM parameters resolves to now, which rule matched, and which were skipped. */
  async dryRun(dto: AttributionDryRunDto): Promise<AttributionDryRunResponseDto> {
    const [{ rule, resolution, skipped }] = await this.resolver.explainMany([dto]);
    const placed = resolution !== undefined;
    return {
      utm_source: dto.utm_source ?? null,
      utm_medium: dto.utm_medium ?? null,
      utm_campaign: dto.utm_campaign ?? null,
      matched_rule: rule && toAttributionRuleResponse(rule),
      source_code: rule ? rule.sourceCode : placed ? UNMAPPED_CODE : null,
      sub_source_code: rule ? rule.subSourceCode : placed ? UNMAPPED_CODE : null,
      channel_code: rule?.channelCode ?? null,
      campaign_code: rule?.campaignCode ?? null,
      campaign_channel_code: rule?.campaignChannelCode ?? null,
      unmapped: rule === null,
      skipped_rules: skipped,
    };
  }

  /**
   * The body as columns, checked: at least one condition once merged with `current` (null on create),
   * and every code the body names anew is a live row of the tenant (400 naming each bad field). A new
   * source_code clears sub_source_code unless the body names one.
   */
  private async fieldsOf(dto: UpdateAttributionRuleDto, current: AttributionRuleEntity | null): Promise<Partial<AttributionRuleEntity>> {
    const out: Partial<AttributionRuleEntity> = {};
    if (dto.name !== undefined) out.name = dto.name;
    if (dto.priority !== undefined) out.priority = dto.priority;
    if (dto.is_active !== undefined) out.isActive = dto.is_active;
    for (const field of UTM_FIELDS) {
      const condition = dto[field];
      if (condition === undefined) continue;
      const { value, match } = CONDITION_COLUMNS[field];
      out[value] = condition?.value ?? null;
      out[match] = condition?.match ?? null;
    }
    const named = new Set<string>();
    for (const [property, wire] of CODE_FIELDS) {
      const code = dto[wire];
      if (code === undefined) continue;
      out[property] = code as string;
      if (code !== null && code !== current?.[property]) named.add(wire);
    }
    if (current && out.sourceCode !== undefined && out.sourceCode !== current.sourceCode && dto.sub_source_code === undefined) out.subSourceCode = null;
    // A subsource is checked under the source the rule will have.
    if (named.has('source_code') && out.subSourceCode) named.add('sub_source_code');

    const next = { ...current, ...out } as AttributionRuleEntity;
    const errors: FieldError[] = [];
    if (!UTM_FIELDS.some((field) => next[CONDITION_COLUMNS[field].value] != null)) {
      errors.push({ field: 'utm_source', message: 'a rule needs at least one condition: utm_source, utm_medium or utm_campaign' });
    }
    if (named.size > 0) {
      const lookup = await this.targets.load([next]);
      errors.push(...lookup.check(next).problems.filter((p) => named.has(p.field)));
    }
    if (errors.length > 0) throw validationFailed(errors, errors.map((e) => `${e.field}: ${e.message}`).join('; '));
    return out;
  }
}
