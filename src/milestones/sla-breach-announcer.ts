import { Injectable } from '@nestjs/common';
import { addDays } from '../common/analytics/dates';
import { AppError } from '../common/errors/app-error';
import { Transactional } from '../database/transactional';
import { DomainEventPublisher } from '../events/domain-event-publisher';
import { DOMAIN_EVENTS } from '../events/domain-events';
import { LeadsService } from '../lead-sources/leads.service';
import { LeadMilestoneEntity } from './lead-milestone.entity';
import { LeadMilestoneRepository } from './lead-milestone.repository';
import { MilestoneTemplatesService } from './milestone-templates.service';
import { MilestoneTypeRepository } from './milestone-type.repository';
import { SlaBreachRepository } from './sla-breach.repository';
import { CLOSED_LEAD_STATUSES, overdueStage, SlaPlan } from './sla-breaches';

/**
 * Announces SLA breaches (`milestone.sla_breached`) once per (lead, expected type, day the lead
 * entered its stage): each announcer first inserts that key into sla_breaches, in the transaction
 * that raises the event (DomainEventPublisher), and announces only if its insert went in. The
 * recording of a late milestone and the scan share the key, so whichever comes first announces and
 * the other stays silent; several scanners racing on one lead announce it once.
 */
@Injectable()
export class SlaBreachAnnouncer {
  constructor(
    private readonly leads: LeadsService,
    private readonly milestones: LeadMilestoneRepository,
    private readonly types: MilestoneTypeRepository,
    private readonly templates: MilestoneTemplatesService,
    private readonly claims: SlaBreachRepository,
    private readonly events: DomainEventPublisher,
  ) {}

  /**
   * The tenant's plan, as the timeline reads it: the live codes of the default standard template's
   * sequence (live and active template) and their types' SLAs. Empty without such a template.
   */
  async plan(): Promise<SlaPlan> {
    const template = await this.templates.findDefault('standard');
    if (!template) return { sequence: [], types: new Map() };
    const live = await this.types.findByCodes(template.sequence);
    const types = new Map(live.map((t) => [t.typeCode, { id: t.id, slaDays: t.slaDays }]));
    return { sequence: template.sequence.filter((code) => types.has(code)), types };
  }

  /**
   * The recording path, inside the transaction that records `row` (which holds the lead's lock): the
   * milestone came days_from_previous > slaDays after the previous one. Announced unless the scan
   * already announced the same stage's breach of this type.
   */
  async recordedLate(row: LeadMilestoneEntity, slaDays: number): Promise<void> {
    const daysFromPrevious = row.daysFromPrevious!;
    const enteredOn = addDays(row.achievedDate, -daysFromPrevious);
    const dueOn = addDays(enteredOn, slaDays);
    const key = { leadId: row.leadId, milestoneTypeId: row.milestoneTypeId, enteredOn };
    if (!(await this.claims.claimBreach({ ...key, typeCode: row.typeCode, dueOn, detectedBy: 'recording', milestoneId: row.id }))) return;
    this.events.publish(DOMAIN_EVENTS.milestoneSlaBreached, {
      milestoneId: row.id,
      leadId: row.leadId,
      typeCode: row.typeCode,
      achievedDate: row.achievedDate,
      daysFromPrevious,
      slaDays,
      detectedBy: 'recording',
      enteredOn,
      dueOn,
    });
  }

  /**
   * The scan path, in a transaction of its own: takes the lead's lock (as every milestone write does),
   * reads its chain again and, if the lead is still live, open and overdue on `today`, claims and
   * announces the breach. A milestone recorded meanwhile (a back-dated one that resolves the stage,
   * say) is seen here, and then nothing is announced. Answers whether this call announced it.
   */
  @Transactional()
  async announceIfOverdue(leadId: number, plan: SlaPlan, today: string): Promise<boolean> {
    let lead;
    try {
      lead = await this.leads.lockForDependants(leadId);
    } catch (e) {
      if (e instanceof AppError && e.code === 'NOT_FOUND') return false; // deleted meanwhile
      throw e;
    }
    if (CLOSED_LEAD_STATUSES.includes(lead.status)) return false;
    const stage = overdueStage(await this.milestones.findChainFacts(lead.id), plan, today);
    if (!stage) return false;
    const { typeId, typeCode, slaDays, enteredOn, dueOn, daysInStage } = stage;
    const key = { leadId: lead.id, milestoneTypeId: typeId, enteredOn };
    if (!(await this.claims.claimBreach({ ...key, typeCode, dueOn, detectedBy: 'scan', milestoneId: null }))) return false;
    this.events.publish(DOMAIN_EVENTS.milestoneSlaBreached, {
      milestoneId: null,
      leadId: lead.id,
      typeCode,
      achievedDate: null,
      daysFromPrevious: daysInStage,
      slaDays,
      detectedBy: 'scan',
      enteredOn,
      dueOn,
    });
    return true;
  }
}
