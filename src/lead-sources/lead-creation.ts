import { Injectable } from '@nestjs/common';
import { duplicateCode, FieldError, validationFailed } from '../common/errors/app-error';
import { validateRows } from '../common/validation/validation.pipe';
import { DomainEventPublisher } from '../events/domain-event-publisher';
import { AuditLogService } from '../tenancy/audit-log.service';
import { CreateLeadDto, LeadResponseDto } from './dto/lead.dto';
import { publishCreated } from './lead-events';
import { LeadReferences, Refs } from './lead-references';
import { LeadRollups } from './lead-rollups';
import { duplicateCodeErrors, newLeadStages } from './lead-rules';
import { LeadEntity } from './lead.entity';
import { LeadRepository, LeadWithRefs } from './lead.repository';
import { SubsourceCosts } from './subsource-costs';

/** The leads of a create, checked: what to insert, and every problem found (not thrown yet). */
interface Plan {
  values: Partial<LeadEntity>[];
  refs: (Refs | undefined)[];
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
    const dtos = all.map((d) => d ?? ({ source_code: '' } as CreateLeadDto));
    const badShape = new Set(all.flatMap((d, i) => (d ? [] : [i])));
    const refErrors: FieldError[] = [];
    const refs = await this.references.resolve(dtos, prefix, refErrors);
    errors.push(...refErrors.filter((e) => !badShape.has(Number(/^leads\[(\d+)\]/.exec(e.field)?.[1] ?? -1))));
    const costOn = await this.costs.costsOn(refs.map((r) => r?.subSource));

    const values: Partial<LeadEntity>[] = dtos.map((dto, i) => {
      if (badShape.has(i)) return {};
      const { stages, errors: stageErrors } = newLeadStages(dto, now, prefix(i));
      errors.push(...stageErrors);
      const ref = refs[i];
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
    return { values, refs, errors, duplicates, holders };
  }

  /** Inserts the checked leads; answers the stored rows and their API representations (built once, for the audit and the answer). */
  private async store(plan: Plan): Promise<{ rows: LeadWithRefs[]; responses: LeadResponseDto[] }> {
    const inserted = await this.leads.insert(plan.values);
    await this.rollups.add(inserted.map((lead) => ({ lead, sign: 1 as const })));
    const rows: LeadWithRefs[] = inserted.map((lead, i) =>
      Object.assign(lead, { deletedAt: null, source: plan.refs[i]!.source, subSource: plan.refs[i]!.subSource, channel: plan.refs[i]!.channel }),
    );
    const responses = await this.references.toResponses(rows);
    await this.audit.recordMany(responses.map((r) => ({ action: 'create' as const, entityType: 'lead', entityKey: r.id, before: null, after: r })));
    publishCreated(this.events, responses);
    return { rows, responses };
  }
}
