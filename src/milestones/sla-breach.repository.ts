import { Injectable } from '@nestjs/common';
import { inSlices } from '../database/in-list';
import { Transactional } from '../database/transactional';
import { TenantKeyedRepository } from '../tenancy/tenant-keyed.repository';
import { SlaBreachEntity } from './sla-breach.entity';
import { SlaScanProgressEntity } from './sla-scan-progress.entity';

/** A breach's key as one string: lead, expected type, entered day. */
export const breachKey = (leadId: number, milestoneTypeId: number, enteredOn: string) => `${leadId}|${milestoneTypeId}|${enteredOn}`;

/** The claims of announced SLA breaches (sla_breaches): one per (lead, expected type, entered day). */
@Injectable()
export class SlaBreachRepository extends TenantKeyedRepository<SlaBreachEntity> {
  protected readonly target = SlaBreachEntity;
  protected readonly alias = 'slab';

  /** Inserts the breach unless its key is taken: whether this caller is the one to announce it. */
  claimBreach(values: Omit<SlaBreachEntity, 'tenantId' | 'createdAt'>): Promise<boolean> {
    return this.claim({ ...values, createdAt: new Date() });
  }

  /**
   * The keys already claimed among these leads' breaches, as `breachKey` strings: one read by the
   * primary key's (tenant_id, lead_id) prefix, so the scan skips a lead whose wait is announced already
   * without a transaction of its own.
   */
  async claimedKeys(leadIds: number[]): Promise<Set<string>> {
    const keys = new Set<string>();
    for (const slice of inSlices(leadIds)) {
      const rows = await this.select()
        .select(['slab.leadId', 'slab.milestoneTypeId', 'slab.enteredOn'])
        .andWhere('slab.leadId IN (:...slice)', { slice })
        .getMany();
      for (const r of rows) keys.add(breachKey(r.leadId, r.milestoneTypeId, r.enteredOn));
    }
    return keys;
  }

  /** The breaches announced for a lead (tests and diagnostics), in key order. */
  findOfLead(leadId: number): Promise<SlaBreachEntity[]> {
    return this.select().andWhere('slab.leadId = :leadId', { leadId }).orderBy('slab.enteredOn', 'ASC').addOrderBy('slab.milestoneTypeId', 'ASC').getMany();
  }
}

/** Marks a pass that has looked at every lead of the tenant (above every lead id). */
export const SLA_PASS_FINISHED = Number.MAX_SAFE_INTEGER;

/** The tenant's scan progress (sla_scan_progress): one row per tenant, only ever moved forward. */
@Injectable()
export class SlaScanProgressRepository extends TenantKeyedRepository<SlaScanProgressEntity> {
  protected readonly target = SlaScanProgressEntity;
  protected readonly alias = 'slap';

  find(): Promise<SlaScanProgressEntity | null> {
    return this.select().getOne();
  }

  /**
   * Records that the pass of `day` has looked at every lead up to `afterLeadId`. Only ever forward (a
   * later day, or further in the same day): a slower scanner that finishes a batch another already
   * passed changes nothing. In a transaction of its own: on SQLite's one connection a write outside a
   * transaction would join whichever request's transaction is open, and go with its rollback.
   */
  @Transactional()
  async advance(day: string, afterLeadId: number): Promise<void> {
    if (await this.claim({ day, afterLeadId })) return;
    await this.updateWhere({ day, afterLeadId }, 'day < :day OR (day = :day AND after_lead_id < :afterLeadId)', { day, afterLeadId });
  }
}
