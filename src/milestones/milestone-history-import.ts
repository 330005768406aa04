import { Injectable } from '@nestjs/common';
import { FieldError, validationFailed } from '../common/errors/app-error';
import { validateRows } from '../common/validation/validation.pipe';
import { Transactional } from '../database/transactional';
import { AuditLogService } from '../tenancy/audit-log.service';
import { TenantCalendar } from '../tenancy/tenant-calendar';
import { TenantContext } from '../tenancy/tenant-context';
import { CreateLeadMilestoneDto } from './dto/lead-milestone.dto';
import { LEAD_MILESTONE_AUDIT_TYPE, LeadMilestoneEntity } from './lead-milestone.entity';
import { LeadMilestoneRepository } from './lead-milestone.repository';
import { chainFactsOf, linksOf, MilestoneChainUpkeep, MilestoneChange, PROVISIONAL_ID } from './milestone-chain-upkeep';
import { ChainMilestone } from './milestone-chain';
import { newMilestoneRow, refusedSkip, writeErrors } from './milestone-rules';
import { MilestoneTypeEntity } from './milestone-type.entity';
import { MilestoneTypeRepository } from './milestone-type.repository';
import { toLeadMilestoneResponse } from './milestone.mapper';

/** One milestone of the import that passed every check, with its lead and type. */
interface Planned {
  leadId: number;
  type: MilestoneTypeEntity;
  dto: CreateLeadMilestoneDto;
}

/**
 * Bulk import of milestone histories (internal: the data generator, loads from other systems; no
 * route; LeadMilestonesService.importHistories). Stores exactly what a single create would have
 * stored had each history's milestones been POSTed one by one in the order given, in one
 * transaction for the whole call, all or nothing:
 * - each milestone is validated like a request body and then like a create (an unknown lead or
 *   type, a rule of the type, a date before the lead, a skipped mandatory type: milestone-rules.ts);
 *   every problem is reported as a field error of one 400 (`histories[i].milestones[j].field`) and
 *   nothing is stored;
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
@Injectable()
export class MilestoneHistoryImport {
  constructor(
    private readonly milestones: LeadMilestoneRepository,
    private readonly types: MilestoneTypeRepository,
    private readonly chain: MilestoneChainUpkeep,
    private readonly audit: AuditLogService,
    private readonly tenancy: TenantContext,
    private readonly calendar: TenantCalendar,
  ) {}

  @Transactional()
  async run(histories: { leadId: number; milestones: unknown[] }[]): Promise<LeadMilestoneEntity[]> {
    const createdAt = await this.milestones.lockLeadsCreatedAt(histories.map((h) => h.leadId));
    const { zone } = await this.calendar.read();
    const createdDays = new Map([...createdAt].map(([id, at]) => [id, zone.dayOf(at)]));
    const planned = await this.check(histories, createdDays);
    if (planned.length === 0) return [];

    // Each lead's chain as it was, and as it will be with the new rows (ids to come, in this order).
    const existing = await this.milestones.findChainFactsOfLeads([...createdDays.keys()]);
    const userId = this.tenancy.require().userId;
    const rows = planned.map((p) => newMilestoneRow(p.leadId, p.type, p.dto, userId));
    const byLead = new Map<number, ChainMilestone[]>();
    rows.forEach((r, k) => {
      const fact: ChainMilestone = { ...chainFactsOf(r), id: PROVISIONAL_ID + k };
      const chain = byLead.get(r.leadId!);
      if (chain) chain.push(fact);
      else byLead.set(r.leadId!, [fact]);
    });
    const changes: MilestoneChange[] = [];
    for (const [leadId, added] of byLead) {
      const lead = { id: leadId, createdAt: createdAt.get(leadId)! };
      const before = existing.get(leadId) ?? [];
      const after: ChainMilestone[] = before.length === 0 ? added : [...before.map((m) => ({ ...m })), ...added];
      await this.chain.storeLinks(after);
      for (const m of after) if (m.id >= PROVISIONAL_ID) Object.assign(rows[m.id - PROVISIONAL_ID], linksOf(m));
      for (const milestone of before) changes.push({ milestone, sign: -1, lead });
      for (const milestone of after) changes.push({ milestone, sign: 1, lead });
    }
    const stored = await this.milestones.insertAll(rows);
    await this.chain.addChanges(changes);
    await this.audit.recordMany(
      stored.map((r, k) => ({
        action: 'create' as const,
        entityType: LEAD_MILESTONE_AUDIT_TYPE,
        entityKey: r.id,
        before: null,
        after: toLeadMilestoneResponse(r, planned[k].type.slaDays),
      })),
    );
    return stored;
  }

  /** Every milestone checked against its lead (`createdDays`: the locked live leads) and type; a 400 with every problem, else the plan. */
  private async check(histories: { leadId: number; milestones: unknown[] }[], createdDays: Map<number, string>): Promise<Planned[]> {
    const errors: FieldError[] = [];
    const dtos = histories.map((h, i) => {
      const shaped = validateRows(CreateLeadMilestoneDto, h.milestones, `histories[${i}].milestones`);
      errors.push(...shaped.errors);
      return shaped.rows;
    });
    const types = new Map((await this.types.findAllLive()).map((t) => [t.typeCode, t]));
    const planned: Planned[] = [];
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
        const found = writeErrors(type, dto, createdDay);
        const skip = refusedSkip(type, dto.status ?? 'completed');
        if (skip) found.push({ field: 'status', message: skip });
        if (found.length === 0) planned.push({ leadId: h.leadId, type, dto });
        else errors.push(...found.map(at));
      });
    });
    if (errors.length > 0) {
      const bad = new Set(errors.map((e) => /^histories\[(\d+)\]/.exec(e.field)?.[1]));
      throw validationFailed(errors, `${bad.size} of ${histories.length} histories are not valid; nothing was stored`);
    }
    return planned;
  }
}
