import { assertVersion } from '../common/http/etag';
import { Injectable } from '@nestjs/common';
import { Transactional } from '../database/transactional';
import { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { daysBetween } from '../common/analytics/dates';
import { changedMeanwhile, conflict, notFound, raise, validationFailed } from '../common/errors/app-error';
import { ListResponse } from '../common/http/list.dto';
import { validateId, validateInput } from '../common/validation/validate-input';
import { LeadEntity } from '../lead-sources/lead.entity';
import { LeadsService } from '../lead-sources/leads.service';
import { DomainEventPublisher } from '../events/domain-event-publisher';
import { DOMAIN_EVENTS } from '../events/domain-events';
import { AuditLogService } from '../tenancy/audit-log.service';
import { TenantCalendar } from '../tenancy/tenant-calendar';
import { TenantContext } from '../tenancy/tenant-context';
import {
  CreateLeadMilestoneDto,
  LeadMilestoneResponseDto,
  LeadTimelineResponseDto,
  ListLeadMilestonesQueryDto,
  UpdateLeadMilestoneDto,
} from './dto/lead-milestone.dto';
import { LEAD_MILESTONE_AUDIT_TYPE as ENTITY, LeadMilestoneEntity } from './lead-milestone.entity';
import { LeadMilestoneRepository } from './lead-milestone.repository';
import { chainFactsOf, linksOf, MilestoneChainUpkeep, NO_LINKS, PROVISIONAL_ID } from './milestone-chain-upkeep';
import { progressAgainst } from './milestone-figures';
import { MilestoneHistoryImport } from './milestone-history-import';
import { newMilestoneRow, patchChanges, refusedSkip, writeErrors } from './milestone-rules';
import { MilestoneTemplatesService } from './milestone-templates.service';
import { SlaBreachAnnouncer } from './sla-breach-announcer';
import { unchanged } from '../common/patch';
import { MilestoneTypeEntity } from './milestone-type.entity';
import { MilestoneTypeRepository } from './milestone-type.repository';
import { toLeadMilestoneResponse } from './milestone.mapper';

/**
 * Lead milestones (API.md §4): the orchestration of each write. Every write of a lead's milestones
 * runs in one transaction that:
 * 1. locks the lead's row first (LeadsService.lockForDependants), so the writes of one lead run one at a time;
 * 2. checks the body against the type and the lead (milestone-rules.ts), reads the lead's live
 *    chain as it was, applies the write, reads the chain as it is (a create adds the new row to the
 *    chain in memory instead);
 * 3. re-derives days_from_previous (and the transition links) of every milestone of the lead and
 *    stores those that changed: an insert, a date move or a delete anywhere in the chain leaves
 *    every neighbour right (MilestoneChainUpkeep);
 * 4. adds (chain as it is) − (chain as it was) to the rollups (milestone-chain.ts: daily counts, the
 *    duration histogram with its monthly copy, the distinct-lead cells), so the analytics fast path
 *    never drifts from the facts (MilestoneChainUpkeep);
 * 5. appends the audit entry and raises the domain events (a late milestone's SLA breach through
 *    SlaBreachAnnouncer, once per stage).
 * A lead has few milestones, so each write costs a few short statements however large the tenant is.
 * The bulk import of histories applies the same rules and upkeep to many leads at once
 * (MilestoneHistoryImport).
 */
@Injectable()
export class LeadMilestonesService {
  constructor(
    private readonly leads: LeadsService,
    private readonly milestones: LeadMilestoneRepository,
    private readonly types: MilestoneTypeRepository,
    private readonly templates: MilestoneTemplatesService,
    private readonly chain: MilestoneChainUpkeep,
    private readonly historyImport: MilestoneHistoryImport,
    private readonly audit: AuditLogService,
    private readonly tenancy: TenantContext,
    private readonly events: DomainEventPublisher,
    private readonly slaBreaches: SlaBreachAnnouncer,
    private readonly calendar: TenantCalendar,
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
    const errors = writeErrors(type, dto, (await this.calendar.read()).zone.dayOf(lead.createdAt));
    if (errors.length > 0) throw validationFailed(errors, errors.map((e) => e.message).join('; '));
    const skip = refusedSkip(type, dto.status ?? 'completed');
    if (skip) throw conflict(skip);

    // The chain is linked in memory from the one read, the new row included: its id is not known
    // before the insert but will exceed every stored one, which is all the chain order needs of it.
    // The row goes in with its links; only neighbours whose links change are written.
    const before = await this.milestones.findChainFacts(lead.id);
    const values = newMilestoneRow(lead.id, type, dto, this.tenancy.require().userId);
    const after = [...before.map((m) => ({ ...m })), { ...chainFactsOf(values), id: PROVISIONAL_ID }];
    await this.chain.storeLinks(after);
    const created = await this.milestones.insert({ ...values, ...linksOf(after[after.length - 1]) });
    after[after.length - 1].id = created.id;
    await this.chain.addChainChange(lead, before, after);
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
    // The SLA rule of the response (sla_breached: days_from_previous > the type's sla_days), announced
    // once per stage: not again if the scan already announced this lead's wait for this type.
    if (response.sla_breached) await this.slaBreaches.recordedLate(row, type.slaDays!);
    return { row, response };
  }

  /** Bulk import of milestone histories, all or nothing (MilestoneHistoryImport; internal: no route). */
  importHistories(histories: { leadId: number; milestones: unknown[] }[]): Promise<LeadMilestoneEntity[]> {
    return this.historyImport.run(histories);
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
    const errors = writeErrors(type, dto, (await this.calendar.read()).zone.dayOf(lead.createdAt));
    if (errors.length > 0) throw validationFailed(errors, errors.map((e) => e.message).join('; '));
    const skip = refusedSkip(type, dto.status, current.status);
    if (skip) throw conflict(skip);

    const changes = patchChanges(current, dto, this.tenancy.require().userId);

    // A PATCH that changes nothing writes nothing: no new version, no audit entry.
    if (unchanged(current, changes)) return current;
    const before = await this.milestones.findChainFacts(lead.id);
    if ((await this.milestones.update(current.id, changes as QueryDeepPartialEntity<LeadMilestoneEntity>, current.version)) === 0) {
      throw changedMeanwhile('lead milestone');
    }
    await this.chain.rechain(lead, before);
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
      throw changedMeanwhile('lead milestone');
    }
    // A deleted milestone is out of the chain: it keeps no links.
    await this.milestones.setLinks(current.id, NO_LINKS);
    await this.chain.rechain(lead, before);
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
    await this.chain.rechain(lead, before);
    await this.audit.recordMany(responses.map((r) => ({ action: 'delete' as const, entityType: ENTITY, entityKey: r.id, before: r, after: null })));
  }

  /** A milestone's lead never changes, so it can be read before the write's transaction takes the lead's lock. */
  private async leadOf(id: number): Promise<number> {
    return (await this.getLive(id)).leadId;
  }

  private async getLive(id: number): Promise<LeadMilestoneEntity> {
    return (await this.milestones.findById(id)) ?? raise(notFound('lead milestone', id));
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
