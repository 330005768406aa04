import { assertVersion } from '../common/http/etag';
import { Injectable } from '@nestjs/common';
import { Transactional } from '../database/transactional';
import { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { daysBetween, toDay } from '../common/analytics/dates';
import { AppError, conflict, FieldError, notFound, raise, validationFailed } from '../common/errors/app-error';
import { ListResponse } from '../common/http/list.dto';
import { validateId, validateInput } from '../common/validation/validate-input';
import { validateRows } from '../common/validation/validation.pipe';
import { LeadEntity } from '../lead-sources/lead.entity';
import { LeadsService } from '../lead-sources/leads.service';
import { DomainEventPublisher } from '../events/domain-event-publisher';
import { DOMAIN_EVENTS } from '../events/domain-events';
import { AuditLogService } from '../tenancy/audit-log.service';
import { TenantContext } from '../tenancy/tenant-context';
import {
  CreateLeadMilestoneDto,
  LeadMilestoneResponseDto,
  LeadTimelineResponseDto,
  ListLeadMilestonesQueryDto,
  UpdateLeadMilestoneDto,
} from './dto/lead-milestone.dto';
import { LeadMilestoneEntity, MilestoneStatus } from './lead-milestone.entity';
import { LeadMilestoneRepository } from './lead-milestone.repository';
import { ChainLinks, ChainMilestone, linkChain, netDeltas, sameLinks } from './milestone-chain';
import { MilestoneDailyStatRepository } from './milestone-daily-stat.repository';
import { progressAgainst } from './milestone-figures';
import { MilestoneTemplatesService, unchanged } from './milestone-templates.service';
import { MilestoneTransitionLeadRepository } from './milestone-transition-lead.repository';
import { MilestoneTransitionStatRepository } from './milestone-transition-stat.repository';
import { MilestoneTypeEntity } from './milestone-type.entity';
import { MilestoneTypeRepository } from './milestone-type.repository';
import { toLeadMilestoneResponse } from './milestone.mapper';

const ENTITY = 'lead_milestone';
const NO_LINKS = { daysFromPrevious: null, previousTypeId: null, pairPreviousDate: null };
/** Stands for the ids new rows will get: above every stored id, in the order given. */
const PROVISIONAL_ID = 2 ** 52;

/** What the chain needs of a row about to be inserted (its id and links come later). */
const chainFactsOf = (r: Partial<LeadMilestoneEntity>): Omit<ChainMilestone, 'id'> => ({
  milestoneTypeId: r.milestoneTypeId!,
  typeCode: r.typeCode!,
  achievedDate: r.achievedDate!,
  achievedTime: r.achievedTime!,
  status: r.status!,
  followUpRequired: r.followUpRequired!,
  ...NO_LINKS,
});

const linksOf = (m: ChainLinks): ChainLinks => ({ daysFromPrevious: m.daysFromPrevious, previousTypeId: m.previousTypeId, pairPreviousDate: m.pairPreviousDate });

/** The content fields a type's flags govern, as a write sets them (undefined: not set by this write). */
interface Content {
  notes?: string | null;
  location_latitude?: number | null;
  location_longitude?: number | null;
  location_name?: string | null;
  document_urls?: string[];
}

/**
 * Lead milestones (API.md §4). Every write of a lead's milestones runs in one transaction that:
 * 1. locks the lead's row first (LeadsService.lockForDependants), so the writes of one lead run one at a time;
 * 2. reads the lead's live chain as it was, applies the write, reads the chain as it is (a create
 *    adds the new row to the chain in memory instead);
 * 3. re-derives days_from_previous (and the transition links) of every milestone of the lead and
 *    stores those that changed: an insert, a date move or a delete anywhere in the chain leaves every
 *    neighbour right;
 * 4. adds (chain as it is) − (chain as it was) to the rollups (milestone-chain.ts: daily counts,
 *    the daily duration histogram with its monthly copy, the distinct-lead cells), so the analytics fast path
 *    never drifts from the facts;
 * 5. appends the audit entry.
 * A lead has few milestones, so each write costs a few short statements however large the tenant is.
 */
@Injectable()
export class LeadMilestonesService {
  constructor(
    private readonly leads: LeadsService,
    private readonly milestones: LeadMilestoneRepository,
    private readonly types: MilestoneTypeRepository,
    private readonly templates: MilestoneTemplatesService,
    private readonly daily: MilestoneDailyStatRepository,
    private readonly transitions: MilestoneTransitionStatRepository,
    private readonly transitionLeads: MilestoneTransitionLeadRepository,
    private readonly audit: AuditLogService,
    private readonly tenancy: TenantContext,
    private readonly events: DomainEventPublisher,
  ) {}

  async toResponses(rows: LeadMilestoneEntity[]): Promise<LeadMilestoneResponseDto[]> {
    const types = await this.typesById(rows);
    return rows.map((r) => toLeadMilestoneResponse(r, types.get(r.milestoneTypeId)?.slaDays ?? null));
  }

  async toResponse(row: LeadMilestoneEntity): Promise<LeadMilestoneResponseDto> {
    return (await this.toResponses([row]))[0];
  }

  /** For hosts (validate-input.ts): the lead's milestones, the query as GET /milestones/:lead_id takes it. */
  async list(leadId: number, query: ListLeadMilestonesQueryDto): Promise<ListResponse<LeadMilestoneResponseDto>> {
    validateId(leadId, 'lead');
    const q = validateInput(ListLeadMilestonesQueryDto, query);
    if (q.include_deleted) this.tenancy.requireAdmin('include_deleted');
    const lead = await this.leads.get(leadId);
    const page = { limit: q.limit, offset: q.offset };
    const [rows, total] = await this.milestones.list(lead.id, { includeDeleted: q.include_deleted }, page);
    return { data: await this.toResponses(rows), total, ...page };
  }

  /**
   * Timeline: the live chain with cumulative days since the first milestone; current_milestone is the
   * type of the last completed milestone; progress is measured against the tenant's default
   * standard template (live and active), by the codes the lead has completed. A code of the sequence
   * whose type was deleted after the template was written is left out (it can no longer be recorded):
   * next_expected never names it and progress is over the live codes (null when none is live). The
   * code counts again once a type has it again (restored, or created anew).
   */
  /** For hosts (validate-input.ts); the lead id is checked by LeadsService.get. */
  async timeline(leadId: number): Promise<LeadTimelineResponseDto> {
    const lead = await this.leads.get(leadId);
    const chain = await this.milestones.findChain(lead.id);
    const types = await this.typesById(chain);
    const template = await this.templates.findDefault('standard');
    const first = chain[0]?.achievedDate;
    const milestones = chain.map((m) => {
      const slaDays = types.get(m.milestoneTypeId)?.slaDays ?? null;
      return { ...toLeadMilestoneResponse(m, slaDays), cumulative_days: daysBetween(first, m.achievedDate), sla_days: slaDays };
    });
    const completed = chain.filter((m) => m.status === 'completed');
    const progress = template ? progressAgainst(await this.liveCodes(template.sequence), new Set(completed.map((m) => m.typeCode))) : null;
    return {
      lead_id: lead.id,
      milestones,
      total_days: milestones.length > 0 ? milestones[milestones.length - 1].cumulative_days : 0,
      current_milestone: completed.length > 0 ? completed[completed.length - 1].typeCode : null,
      next_expected: progress?.nextExpected ?? null,
      template_id: template?.id ?? null,
      progress_percent: progress?.progressPercent ?? null,
    };
  }

  /** For hosts (validate-input.ts): records a milestone, the body as POST /milestones/:lead_id takes it. */
  @Transactional()
  async create(leadId: number, body: CreateLeadMilestoneDto): Promise<{ row: LeadMilestoneEntity; response: LeadMilestoneResponseDto }> {
    // As the route: the lead id is checked before the body.
    validateId(leadId, 'lead');
    const dto = validateInput(CreateLeadMilestoneDto, body);
    const lead = await this.leads.lockForDependants(leadId);
    const type = await this.types.findByCode(dto.milestone_type_code);
    if (!type || !type.isActive) throw notFound('milestone type', dto.milestone_type_code);
    const status = dto.status ?? 'completed';
    const errors = [...this.contentErrors(type, dto), ...this.dateErrors(lead, dto.achieved_date)];
    if (errors.length > 0) throw validationFailed(errors, errors.map((e) => e.message).join('; '));
    if (status === 'skipped' && type.isMandatory) throw conflict(`milestone type ${type.typeCode} is mandatory and cannot be skipped`);

    // The chain is linked in memory from the one read, the new row included: its id is not known
    // before the insert but will exceed every stored one, which is all the chain order needs of it.
    // The row goes in with its links; only neighbours whose links change are written.
    const before = await this.milestones.findChainFacts(lead.id);
    const values = this.newRow(lead.id, type, dto);
    const after = [...before.map((m) => ({ ...m })), { ...chainFactsOf(values), id: PROVISIONAL_ID }];
    await this.storeLinks(after);
    const created = await this.milestones.insert({ ...values, ...linksOf(after[after.length - 1]) });
    after[after.length - 1].id = created.id;
    await this.addRollups(lead, before, after);
    // The inserted entity is the stored row (every column set by the write, ids written back): the
    // response needs no re-read (test/milestones/lead-milestones.e2e-spec.ts compares it with a GET).
    const row = Object.assign(created, { deletedAt: null });
    const response = toLeadMilestoneResponse(row, type.slaDays);
    await this.audit.record('create', ENTITY, row.id, null, response);
    const recorded = {
      milestoneId: row.id,
      leadId: row.leadId,
      typeCode: row.typeCode,
      achievedDate: row.achievedDate,
      daysFromPrevious: row.daysFromPrevious,
    };
    this.events.publish(DOMAIN_EVENTS.milestoneRecorded, { ...recorded, status: row.status });
    // The SLA rule of the response (sla_breached: days_from_previous > the type's sla_days).
    if (response.sla_breached) {
      this.events.publish(DOMAIN_EVENTS.milestoneSlaBreached, { ...recorded, daysFromPrevious: row.daysFromPrevious!, slaDays: type.slaDays! });
    }
    return { row, response };
  }

  /**
   * Bulk import of milestone histories (internal: the data generator, loads from other systems; no
   * route). Stores exactly what `create` would have stored had each history's milestones been
   * POSTed one by one in the order given, in one transaction for the whole call, all or nothing:
   * - each milestone is validated like a request body and then like `create` (an unknown lead or
   *   type, a rule of the type, a date before the lead, a skipped mandatory type); every problem is
   *   reported as a field error of one 400 (`histories[i].milestones[j].field`) and nothing is stored;
   * - the leads are locked first, as every milestone write does;
   * - each lead's chain (its live milestones and the new ones) is linked with the same pure
   *   functions before the insert (milestone-chain.ts), so the rows go in with their links; the new
   *   rows' ids follow the order given and exceed every existing id, which is all the chain order
   *   needs to know of them;
   * - the rollup deltas of the whole batch are netted (chains as they were, chains as they are) and
   *   added once, and each milestone gets its `create` audit entry.
   * A history whose milestones come in chain order leaves every row and audit entry as the single
   * writes would; in any other order the stored rows and rollups still are, and each audit entry
   * shows the row as finally linked (a single write's entry shows it as linked at its own time).
   */
  @Transactional()
  async importHistories(histories: { leadId: number; milestones: unknown[] }[]): Promise<LeadMilestoneEntity[]> {
    const errors: FieldError[] = [];
    const dtos = histories.map((h, i) => {
      const shaped = validateRows(CreateLeadMilestoneDto, h.milestones, `histories[${i}].milestones`);
      errors.push(...shaped.errors);
      return shaped.rows;
    });
    const createdDays = await this.milestones.lockLeadsCreatedDays(histories.map((h) => h.leadId));
    const types = new Map((await this.types.findAllLive()).map((t) => [t.typeCode, t]));
    const planned: { leadId: number; type: MilestoneTypeEntity; dto: CreateLeadMilestoneDto }[] = [];
    histories.forEach((h, i) => {
      const createdDay = createdDays.get(h.leadId);
      if (createdDay === undefined) {
        errors.push({ field: `histories[${i}].lead_id`, message: `lead ${h.leadId} not found` });
        return;
      }
      dtos[i].forEach((dto, j) => {
        if (!dto) return;
        const at = (e: FieldError) => ({ field: `histories[${i}].milestones[${j}].${e.field}`, message: e.message });
        const type = types.get(dto.milestone_type_code);
        if (!type || !type.isActive) {
          errors.push(at({ field: 'milestone_type_code', message: `milestone type ${dto.milestone_type_code} not found` }));
          return;
        }
        const before = errors.length;
        errors.push(...this.contentErrors(type, dto).map(at));
        if (dto.achieved_date < createdDay) errors.push(at({ field: 'achieved_date', message: `achieved_date is before the lead was created (${createdDay})` }));
        if ((dto.status ?? 'completed') === 'skipped' && type.isMandatory) {
          errors.push(at({ field: 'status', message: `milestone type ${type.typeCode} is mandatory and cannot be skipped` }));
        }
        if (errors.length === before) planned.push({ leadId: h.leadId, type, dto });
      });
    });
    if (errors.length > 0) {
      const bad = new Set(errors.map((e) => /^histories\[(\d+)\]/.exec(e.field)?.[1]));
      throw validationFailed(errors, `${bad.size} of ${histories.length} histories are not valid; nothing was stored`);
    }
    if (planned.length === 0) return [];

    // Each lead's chain as it was, and as it will be with the new rows (ids to come, in this order).
    const existing = await this.milestones.findChainFactsOfLeads([...createdDays.keys()]);
    const rows = planned.map((p) => this.newRow(p.leadId, p.type, p.dto));
    const byLead = new Map<number, ChainMilestone[]>();
    rows.forEach((r, k) => {
      const fact: ChainMilestone = { ...chainFactsOf(r), id: PROVISIONAL_ID + k };
      const chain = byLead.get(r.leadId!);
      if (chain) chain.push(fact);
      else byLead.set(r.leadId!, [fact]);
    });
    const changes: { milestone: ChainMilestone; sign: 1 | -1; leadCreatedDay: string }[] = [];
    for (const [leadId, added] of byLead) {
      const leadCreatedDay = createdDays.get(leadId)!;
      const before = existing.get(leadId) ?? [];
      const after: ChainMilestone[] = before.length === 0 ? added : [...before.map((m) => ({ ...m })), ...added];
      const links = linkChain(after);
      for (const m of after) {
        const derived = links.get(m.id)!;
        if (m.id < PROVISIONAL_ID && !sameLinks(m, derived)) await this.milestones.setLinks(m.id, derived);
        m.daysFromPrevious = derived.daysFromPrevious;
        m.previousTypeId = derived.previousTypeId;
        m.pairPreviousDate = derived.pairPreviousDate;
        if (m.id >= PROVISIONAL_ID) {
          const row = rows[m.id - PROVISIONAL_ID];
          row.daysFromPrevious = derived.daysFromPrevious;
          row.previousTypeId = derived.previousTypeId;
          row.pairPreviousDate = derived.pairPreviousDate;
        }
      }
      for (const milestone of before) changes.push({ milestone, sign: -1, leadCreatedDay });
      for (const milestone of after) changes.push({ milestone, sign: 1, leadCreatedDay });
    }
    const deltas = netDeltas(changes);
    const stored = await this.milestones.insertAll(rows);
    await this.daily.add(deltas.daily);
    await this.transitions.add(deltas.transitions);
    await this.transitionLeads.add(deltas.leads);
    await this.audit.recordMany(
      stored.map((r, k) => ({ action: 'create' as const, entityType: ENTITY, entityKey: r.id, before: null, after: toLeadMilestoneResponse(r, planned[k].type.slaDays) })),
    );
    return stored;
  }

  /** A new milestone's row as a write stores it (its chain links come after). */
  private newRow(leadId: number, type: MilestoneTypeEntity, dto: CreateLeadMilestoneDto): Partial<LeadMilestoneEntity> {
    const status = dto.status ?? 'completed';
    return {
      leadId,
      milestoneTypeId: type.id,
      typeCode: type.typeCode,
      typeName: type.typeName,
      achievedDate: dto.achieved_date,
      achievedTime: dto.achieved_time ?? null,
      status,
      notes: dto.notes ?? null,
      locationLatitude: dto.location_latitude ?? null,
      locationLongitude: dto.location_longitude ?? null,
      locationName: dto.location_name ?? null,
      durationMinutes: dto.duration_minutes ?? null,
      outcome: dto.outcome ?? null,
      followUpRequired: dto.follow_up_required ?? false,
      followUpDate: dto.follow_up_date ?? null,
      documentUrls: dto.document_urls ?? [],
      metadata: dto.metadata ?? {},
      completedBy: status === 'completed' ? this.tenancy.require().userId : null,
    };
  }

  /**
   * PATCH: status, outcome, notes, follow-up, and achieved_date/achieved_time (a move in the chain).
   * completed_by becomes the caller when the status becomes completed, stays while it stays
   * completed, and is cleared when it leaves completed.
   */
  async update(id: number, dto: UpdateLeadMilestoneDto, ifMatch?: number): Promise<LeadMilestoneEntity> {
    return this.updateInLead(await this.leadOf(id), id, dto, ifMatch);
  }

  async remove(id: number, ifMatch?: number): Promise<void> {
    await this.removeFromLead(await this.leadOf(id), id, ifMatch);
  }

  @Transactional()
  private async updateInLead(leadId: number, id: number, dto: UpdateLeadMilestoneDto, ifMatch?: number): Promise<LeadMilestoneEntity> {
    const lead = await this.leads.lockForDependants(leadId);
    const current = await this.getLive(id);
    assertVersion(current, ifMatch);
    const type = (await this.typesById([current])).get(current.milestoneTypeId)!;
    const errors = [...this.contentErrors(type, dto), ...(dto.achieved_date !== undefined ? this.dateErrors(lead, dto.achieved_date) : [])];
    if (errors.length > 0) throw validationFailed(errors, errors.map((e) => e.message).join('; '));
    if (dto.status === 'skipped' && current.status !== 'skipped' && type.isMandatory) {
      throw conflict(`milestone type ${type.typeCode} is mandatory and cannot be skipped`);
    }

    const changes: Partial<LeadMilestoneEntity> = {};
    if (dto.achieved_date !== undefined) changes.achievedDate = dto.achieved_date;
    if (dto.achieved_time !== undefined) changes.achievedTime = dto.achieved_time;
    if (dto.status !== undefined) changes.status = dto.status;
    if (dto.outcome !== undefined) changes.outcome = dto.outcome;
    if (dto.notes !== undefined) changes.notes = dto.notes;
    if (dto.follow_up_required !== undefined) changes.followUpRequired = dto.follow_up_required;
    if (dto.follow_up_date !== undefined) changes.followUpDate = dto.follow_up_date;
    const completedBy = this.completedBy(current, changes.status ?? current.status);
    if (completedBy !== current.completedBy) changes.completedBy = completedBy;

    // A PATCH that changes nothing writes nothing: no new version, no audit entry.
    if (unchanged(current, changes)) return current;
    const before = await this.milestones.findChainFacts(lead.id);
    if ((await this.milestones.update(current.id, changes as QueryDeepPartialEntity<LeadMilestoneEntity>, current.version)) === 0) {
      throw new AppError('PRECONDITION_FAILED', 'The lead milestone changed meanwhile; read it again');
    }
    await this.rechain(lead, before);
    const after = await this.getLive(current.id);
    await this.audit.record('update', ENTITY, current.id, toLeadMilestoneResponse(current, type.slaDays), toLeadMilestoneResponse(after, type.slaDays));
    return after;
  }

  @Transactional()
  private async removeFromLead(leadId: number, id: number, ifMatch?: number): Promise<void> {
    const lead = await this.leads.lockForDependants(leadId);
    const current = await this.getLive(id);
    assertVersion(current, ifMatch);
    const before = await this.milestones.findChainFacts(lead.id);
    if ((await this.milestones.softDelete(current.id, current.version)) === 0) {
      throw new AppError('PRECONDITION_FAILED', 'The lead milestone changed meanwhile; read it again');
    }
    // A deleted milestone is out of the chain: it keeps no links.
    await this.milestones.setLinks(current.id, NO_LINKS);
    await this.rechain(lead, before);
    await this.audit.record('delete', ENTITY, current.id, await this.toResponse(current), null);
  }

  /**
   * A deleted lead takes its milestones along (API.md §1: a delete cascades to what the row owns):
   * they are soft-deleted with the lead's deleted_at, leave the chain and every figure, and each gets
   * its audit entry. Runs inside the lead delete's transaction (LeadLifecycle), which holds the lead's
   * lock, so no milestone write of this lead can interleave.
   */
  async removeAllOfLead(lead: LeadEntity, deletedAt: Date): Promise<void> {
    const chain = await this.milestones.findChain(lead.id);
    if (chain.length === 0) return;
    const before = await this.milestones.findChainFacts(lead.id);
    const responses = await this.toResponses(chain);
    await this.milestones.softDeleteOfLead(lead.id, deletedAt);
    for (const m of chain) await this.milestones.setLinks(m.id, NO_LINKS);
    await this.rechain(lead, before);
    await this.audit.recordMany(responses.map((r) => ({ action: 'delete' as const, entityType: ENTITY, entityKey: r.id, before: r, after: null })));
  }

  /** Steps 3 and 4 of every write: re-derive the links of the chain as it is, then move the rollups. */
  private async rechain(lead: LeadEntity, before: ChainMilestone[]): Promise<void> {
    const after = await this.milestones.findChainFacts(lead.id);
    await this.storeLinks(after);
    await this.addRollups(lead, before, after);
  }

  /** Links `chain` (one lead's live milestones) and stores the links that changed; rows below PROVISIONAL_ID only. */
  private async storeLinks(chain: ChainMilestone[]): Promise<void> {
    const links = linkChain(chain);
    for (const m of chain) {
      const derived = links.get(m.id)!;
      if (sameLinks(m, derived)) continue;
      if (m.id < PROVISIONAL_ID) await this.milestones.setLinks(m.id, derived);
      Object.assign(m, derived);
    }
  }

  /** Adds (chain as it is) − (chain as it was) to the four rollups. */
  private async addRollups(lead: LeadEntity, before: ChainMilestone[], after: ChainMilestone[]): Promise<void> {
    const deltas = netDeltas(
      [...before.map((milestone) => ({ milestone, sign: -1 as const })), ...after.map((milestone) => ({ milestone, sign: 1 as const }))],
      toDay(lead.createdAt),
    );
    await this.daily.add(deltas.daily);
    await this.transitions.add(deltas.transitions);
    await this.transitionLeads.add(deltas.leads);
  }


  /** A milestone's lead never changes, so it can be read before the write's transaction takes the lead's lock. */
  private async leadOf(id: number): Promise<number> {
    return (await this.getLive(id)).leadId;
  }

  private async getLive(id: number): Promise<LeadMilestoneEntity> {
    return (await this.milestones.findById(id)) ?? raise(notFound('lead milestone', id));
  }

  private completedBy(current: LeadMilestoneEntity, status: MilestoneStatus): string | null {
    if (status !== 'completed') return null;
    return current.status === 'completed' ? current.completedBy : this.tenancy.require().userId;
  }

  /** The type's flags: content it does not allow → 400 naming each field (null clears and is always fine). */
  private contentErrors(type: MilestoneTypeEntity, c: Content): FieldError[] {
    const errors: FieldError[] = [];
    const set = (v: unknown) => v !== undefined && v !== null;
    if (!type.allowsNotes && set(c.notes)) errors.push({ field: 'notes', message: `milestone type ${type.typeCode} does not allow notes` });
    if (!type.allowsLocation) {
      for (const field of ['location_latitude', 'location_longitude', 'location_name'] as const) {
        if (set(c[field])) errors.push({ field, message: `milestone type ${type.typeCode} does not allow a location` });
      }
    } else if (set(c.location_latitude) !== set(c.location_longitude) && (c.location_latitude !== undefined || c.location_longitude !== undefined)) {
      errors.push({ field: 'location_longitude', message: 'location_latitude and location_longitude go together' });
    }
    if (!type.allowsAttachment && (c.document_urls?.length ?? 0) > 0) {
      errors.push({ field: 'document_urls', message: `milestone type ${type.typeCode} does not allow attachments` });
    }
    return errors;
  }

  private dateErrors(lead: LeadEntity, achievedDate: string): FieldError[] {
    const created = toDay(lead.createdAt);
    return achievedDate < created ? [{ field: 'achieved_date', message: `achieved_date is before the lead was created (${created})` }] : [];
  }

  /** The codes of `sequence` that name a live (not deleted) type, in sequence order. */
  private async liveCodes(sequence: string[]): Promise<string[]> {
    const live = new Set((await this.types.findByCodes(sequence)).map((t) => t.typeCode));
    return sequence.filter((code) => live.has(code));
  }

  private async typesById(rows: LeadMilestoneEntity[]): Promise<Map<number, MilestoneTypeEntity>> {
    const ids = [...new Set(rows.map((r) => r.milestoneTypeId))];
    return new Map((await this.types.findAnyByIds(ids)).map((t) => [t.id, t]));
  }
}
