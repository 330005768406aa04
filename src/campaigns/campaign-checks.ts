import { Injectable } from '@nestjs/common';
import { conflict } from '../common/errors/app-error';
import { CampaignAllocations, ChannelAllocation } from './campaign-allocations';
import { CampaignReferences, ReferenceErrors } from './campaign-references';
import { budgetOutsideType, datesOutOfOrder } from './campaign-rules';
import { CampaignTemplateRepository } from './campaign-template.repository';
import { CampaignTypeEntity } from './campaign-type.entity';
import { CampaignEntity } from './campaign.entity';
import { CreateCampaignDto, UpdateCampaignDto } from './dto/campaign.dto';

/** A write's columns and channel set, resolved from its body and checked. */
export interface CheckedCampaign {
  fields: Partial<CampaignEntity>;
  /** Undefined on a PATCH that leaves the channels as they are. */
  channels?: ChannelAllocation[];
}

/**
 * The body of a campaign create or PATCH → columns: codes resolved to the tenant's rows (a new reference
 * must be live and active; one the campaign holds may stay), dates in order, the budget within its
 * type's guideline. Every bad field of a request is reported at once (400 naming each).
 */
@Injectable()
export class CampaignChecks {
  constructor(
    private readonly refs: CampaignReferences,
    private readonly allocations: CampaignAllocations,
    private readonly templateRows: CampaignTemplateRepository,
  ) {}

  /** `rename` names a 400's fields as the caller knows them (instantiate: the template's fields). */
  async forCreate(dto: CreateCampaignDto, rename?: (field: string) => string): Promise<Required<CheckedCampaign>> {
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
    const channels = await this.allocations.resolve(dto.channels ?? [], errs, []);
    if (dto.template_id !== undefined && !(await this.templateRows.findById(dto.template_id))) {
      errs.add('template_id', `no campaign template ${dto.template_id} in this tenant`);
    }
    checkDates(dto.start_date, dto.end_date ?? null, errs);
    checkBudget(dto.budget ?? null, type, errs);
    errs.throwIfAny();
    const fields: Partial<CampaignEntity> = {
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
    };
    return { fields, channels };
  }

  /** Partial: only what the body sends; `current` holds the campaign's channels (allocations). */
  async forUpdate(dto: UpdateCampaignDto, current: CampaignEntity): Promise<CheckedCampaign> {
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
    const channels = dto.channels === undefined ? undefined : await this.allocations.resolve(dto.channels, errs, current.allocations ?? []);
    if (dto.start_date !== undefined || dto.end_date !== undefined) {
      checkDates(fields.startDate ?? current.startDate, fields.endDate !== undefined ? fields.endDate : current.endDate, errs);
    }
    // The guideline binds when the budget or the type changes; an unrelated PATCH of a campaign
    // whose type's bounds moved since is not refused for it.
    if (type && (dto.budget !== undefined || dto.campaign_type_code !== undefined)) {
      checkBudget(fields.budget !== undefined ? fields.budget : current.budget, type, errs);
    }
    errs.throwIfAny();
    return { fields, channels };
  }
}

function checkDates(start: string, end: string | null, errs: ReferenceErrors): void {
  const outOfOrder = datesOutOfOrder(start, end);
  if (outOfOrder) errs.add(outOfOrder.field, outOfOrder.message);
}

function checkBudget(budget: number | null, type: CampaignTypeEntity | undefined, errs: ReferenceErrors): void {
  const outside = type ? budgetOutsideType(budget, type) : null;
  if (outside) errs.add(outside.field, outside.message);
}
