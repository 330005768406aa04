import { Injectable } from '@nestjs/common';
import { duplicateCode, FieldError, validationFailed } from '../common/errors/app-error';
import { validateRows } from '../common/validation/validation.pipe';
import { DomainEventPublisher } from '../events/domain-event-publisher';
import { AuditLogService } from '../tenancy/audit-log.service';
import { CreateLeadDto, LeadResponseDto } from './dto/lead.dto';
import { publishCreated } from './lead-events';
import { LeadReferences, Refs } from './lead-references';
import { LeadRollups } from './lead-rollups';
import { duplicateCodeErrors, FUTURE_TOLERANCE_MS, newLeadStages } from './lead-rules';
import { AttributionResolver } from './attribution/attribution-resolver';
import { LeadTouchEntity } from './attribution/lead-touch.entity';
import { LeadTouchRepository } from './attribution/lead-touch.repository';
import { touchColumns } from './attribution/touch-columns';
import { LeadEntity } from './lead.entity';
import { LeadRepository, LeadWithRefs } from './lead.repository';
import { SubsourceCosts } from './subsource-costs';

/** The leads of a create, checked: what to insert, and every problem found (not thrown yet). */
interface Plan {
  values: Partial<LeadEntity>[];
  refs: (Refs | undefined)[];
  /** Each lead's origin touch (undefined: none given), with where it was attributed. */
  touches: (Partial<LeadTouchEntity> | undefined)[];
  /** Problems of the rows' shape, references and timestamps. */
  errors: FieldError[];
  /** lead_code already in use (by a stored lead or an earlier row). */
  duplicates: FieldError[];
  /** The stored leads holding a code given. */
  holders: { id: number; code: string }[];
}

/**
 * Creating leads (API.md §3), inside the caller's transaction. One lead and a batch check and store
 * the same way; they differ only in how a refusal is told, so each has its own entry point:
 * - `createOne` (POST /leads): fields are named as in the body; a bad field is a 400 listing the
 *   messages, and a lead_code in use is a 409 naming the lead that holds it;
 * - `createBatch` (POST /leads/bulk): all or nothing; fields are named `leads[i].field`, and every
 *   problem, a lead_code in use included, is one 400 counting the rows that are not valid.
 * Stored leads move the rollups (LeadRollups), get their audit entry and publish lead.created.
 */
@Injectable()
export class LeadCreation {
  constructor(
    private readonly leads: LeadRepository,
    private readonly references: LeadReferences,
    private readonly rollups: LeadRollups,
    private readonly audit: AuditLogService,
    private readonly events: DomainEventPublisher,
    private readonly resolver: AttributionResolver,
    private readonly touches: LeadTouchRepository,
    private readonly costs: SubsourceCosts,
  ) {}

  /** One lead, its body validated. */
  async createOne(dto: CreateLeadDto): Promise<{ row: LeadWithRefs; response: LeadResponseDto }> {
    const plan = await this.plan([dto], () => '');
    if (plan.errors.length > 0) {
      const problems = [...plan.errors, ...plan.duplicates];
      throw validationFailed(problems, problems.map((e) => e.message).join('; '));
    }
    // One lead: the lead holding the code is named in the 409.
    if (plan.holders.length > 0) throw duplicateCode('lead', dto.lead_code!, plan.holders[0].id);
    const { rows, responses } = await this.store(plan);
    return { row: rows[0], response: responses[0] };
  }

  /** A batch of bodies as given (each validated here): every bad row is reported by index and nothing is stored. */
  async createBatch(items: unknown[]): Promise<{ rows: LeadWithRefs[]; responses: LeadResponseDto[] }> {
    const { rows, errors } = validateRows(CreateLeadDto, items, 'leads');
    const plan = await this.plan(rows, (i) => `leads[${i}].`, errors);
    const problems = [...plan.errors, ...plan.duplicates];
    if (problems.length > 0) {
      const bad = new Set(problems.map((e) => /^leads\[(\d+)\]/.exec(e.field)?.[1]).filter(Boolean));
      throw validationFailed(problems, `${bad.size} of ${rows.length} leads are not valid; nothing was stored`);
    }
    return this.store(plan);
  }

  /**
   * Checks every row: its references, its timestamps, its lead_code. `all` holds undefined for rows
   * whose shape already failed (their errors are in `shapeErrors`); those are only reported.
   */
  private async plan(all: (CreateLeadDto | undefined)[], prefix: (i: number) => string, shapeErrors: FieldError[] = []): Promise<Plan> {
    const now = new Date();
    const errors: FieldError[] = [...shapeErrors];
    // Rows keep their batch index; rows with a bad shape are only reported.
    const given = all.map((d) => d ?? ({ source_code: '' } as CreateLeadDto));
    const badShape = new Set(all.flatMap((d, i) => (d ? [] : [i])));
    // Touches resolve through the attribution rules (in one pass): a lead naming its source keeps the
    // codes it names (the match gives only the campaign channel); one without takes them all from it.
    const resolutions = given.some((d) => d.touch) ? await this.resolver.resolveMany(given.map((d) => d.touch ?? {})) : [];
    const dtos = given.map((dto, i) => {
      if (badShape.has(i) || dto.source_code !== undefined) return dto;
      const named = (['sub_source_code', 'channel_code', 'campaign_code'] as const).filter((k) => dto[k] !== undefined);
      if (!dto.touch || named.length > 0) {
        const message = dto.touch ? `${named.join(', ')} need${named.length === 1 ? 's' : ''} source_code` : 'source_code is required unless a touch is given';
        errors.push({ field: `${prefix(i)}source_code`, message });
        badShape.add(i);
        return dto;
      }
      const resolution = resolutions[i];
      if (!resolution) {
        errors.push({ field: `${prefix(i)}touch`, message: 'no attribution rule matches this touch and the UNMAPPED subsource is not live' });
        badShape.add(i);
        return dto;
      }
      const c = resolution.codes;
      return {
        ...dto,
        source_code: c.source_code,
        sub_source_code: c.sub_source_code ?? undefined,
        channel_code: c.channel_code ?? undefined,
        campaign_code: c.campaign_code ?? undefined,
      };
    });
    const refErrors: FieldError[] = [];
    const refs = await this.references.resolve(dtos, prefix, refErrors);
    // A row's errors name it `leads[i].…`; a single lead's name no index.
    errors.push(...refErrors.filter((e) => !badShape.has(Number(/^leads\[(\d+)\]/.exec(e.field)?.[1] ?? (all.length === 1 ? 0 : -1)))));
    const costOn = await this.costs.costsOn(refs.map((r) => r?.subSource));

    const values: Partial<LeadEntity>[] = dtos.map((dto, i) => {
      if (badShape.has(i)) return {};
      const { stages, errors: stageErrors } = newLeadStages(dto, now, prefix(i));
      errors.push(...stageErrors);
      const ref = refs[i];
      if (dto.touch?.occurred_at !== undefined && new Date(dto.touch.occurred_at).getTime() > now.getTime() + FUTURE_TOLERANCE_MS) {
        errors.push({ field: `${prefix(i)}touch.occurred_at`, message: 'touch.occurred_at may be at most 5 minutes ahead' });
      }
      return {
        leadCode: dto.lead_code ?? null,
        sourceId: ref?.sourceId,
        subSourceId: ref?.subSourceId ?? null,
        channelId: ref?.channelId ?? null,
        campaignId: ref?.campaignId ?? null,
        acquisitionCost: dto.acquisition_cost ?? costOn(ref?.subSource, stages.createdAt),
        ...stages,
      };
    });

    // lead_code: unique among live leads, within the batch too.
    const codes = dtos.map((d) => d.lead_code).filter((c): c is string => Boolean(c));
    const holders = await this.leads.existingCodes([...new Set(codes)]);
    const taken = new Set(holders.map((h) => h.code));
    const duplicates = duplicateCodeErrors(
      dtos.map((d) => d.lead_code),
      taken,
      prefix,
      badShape,
    );
    const touches = dtos.map((dto, i) =>
      dto.touch && !badShape.has(i)
        ? { ...touchColumns(dto.touch), isOrigin: true, ruleId: resolutions[i]?.ruleId ?? null, campaignChannelId: resolutions[i]?.campaignChannelId ?? null }
        : undefined,
    );
    return { values, refs, touches, errors, duplicates, holders };
  }

  /** Inserts the checked leads; answers the stored rows and their API representations (built once, for the audit and the answer). */
  private async store(plan: Plan): Promise<{ rows: LeadWithRefs[]; responses: LeadResponseDto[] }> {
    const inserted = await this.leads.insert(plan.values);
    // Origin touches: at the lead's created_at unless given, attributed to what the lead points at.
    const origins = inserted.flatMap((lead, i) => {
      const t = plan.touches[i];
      if (!t) return [];
      const at = t.occurredAt ?? lead.createdAt;
      const { sourceId, subSourceId, channelId, campaignId } = lead;
      return [{ ...t, leadId: lead.id, occurredAt: at, sourceId, subSourceId, channelId, campaignId }];
    });
    const touchesOf = new Map<number, LeadTouchEntity[]>(inserted.map((lead) => [lead.id, []]));
    for (const t of origins.length > 0 ? await this.touches.insert(origins) : []) touchesOf.get(t.leadId)!.push(t);
    await this.rollups.add(inserted.map((lead) => ({ lead, sign: 1 as const, touches: touchesOf.get(lead.id)! })));
    const rows: LeadWithRefs[] = inserted.map((lead, i) =>
      Object.assign(lead, { deletedAt: null, source: plan.refs[i]!.source, subSource: plan.refs[i]!.subSource, channel: plan.refs[i]!.channel }),
    );
    const responses = await this.references.toResponses(rows, touchesOf);
    await this.audit.recordMany(responses.map((r) => ({ action: 'create' as const, entityType: 'lead', entityKey: r.id, before: null, after: r })));
    publishCreated(this.events, responses);
    return { rows, responses };
  }
}
