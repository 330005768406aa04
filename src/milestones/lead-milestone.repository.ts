import { Injectable } from '@nestjs/common';
import { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { ReadOptions, TenantScopedRepository } from '../tenancy/tenant-scoped.repository';
import { LeadMilestoneEntity } from './lead-milestone.entity';
import { ChainLinks, ChainMilestone } from './milestone-chain';

@Injectable()
export class LeadMilestoneRepository extends TenantScopedRepository<LeadMilestoneEntity> {
  protected readonly target = LeadMilestoneEntity;
  protected readonly alias = 'lm';

  findById(id: number, opts: ReadOptions = {}): Promise<LeadMilestoneEntity | null> {
    return this.select(opts).andWhere('lm.id = :id', { id }).getOne();
  }

  /** The live milestones of one lead in chain order (achieved_date, achieved_time, id). */
  findChain(leadId: number): Promise<LeadMilestoneEntity[]> {
    return this.select()
      .andWhere('lm.leadId = :leadId', { leadId })
      .orderBy('lm.achievedDate', 'ASC')
      .addOrderBy('lm.achievedTime', 'ASC')
      .addOrderBy('lm.id', 'ASC')
      .getMany();
  }

  /** The same chain, with only what the chain and the rollups need (what every write reads twice). */
  findChainFacts(leadId: number): Promise<ChainMilestone[]> {
    const columns: (keyof ChainMilestone)[] = [
      'id',
      'milestoneTypeId',
      'achievedDate',
      'achievedTime',
      'status',
      'followUpRequired',
      'daysFromPrevious',
      'previousTypeId',
      'pairPreviousDate',
    ];
    return this.select()
      .select(columns.map((c) => `lm.${c}`))
      .andWhere('lm.leadId = :leadId', { leadId })
      .orderBy('lm.achievedDate', 'ASC')
      .addOrderBy('lm.achievedTime', 'ASC')
      .addOrderBy('lm.id', 'ASC')
      .getMany();
  }

  list(leadId: number, opts: ReadOptions, page: { limit: number; offset: number }): Promise<[LeadMilestoneEntity[], number]> {
    return this.select(opts)
      .andWhere('lm.leadId = :leadId', { leadId })
      .orderBy('lm.achievedDate', 'ASC')
      .addOrderBy('lm.achievedTime', 'ASC')
      .addOrderBy('lm.id', 'ASC')
      .offset(page.offset)
      .limit(page.limit)
      .getManyAndCount();
  }

  insert(values: Partial<LeadMilestoneEntity>): Promise<LeadMilestoneEntity> {
    return this.insertOne(values);
  }

  update(id: number, changes: QueryDeepPartialEntity<LeadMilestoneEntity>, ifVersion: number): Promise<number> {
    return this.updateLive(id, changes, ifVersion);
  }

  softDelete(id: number, ifVersion: number): Promise<number> {
    return this.softDeleteWhere('id = :id', { id }, new Date(), ifVersion);
  }

  /** Soft-deletes every live milestone of a lead, stamped with the lead's own deleted_at. */
  softDeleteOfLead(leadId: number, deletedAt: Date): Promise<number> {
    return this.softDeleteWhere('lead_id = :leadId', { leadId }, deletedAt);
  }

  /**
   * Stores what the chain derives for a milestone. Derived, not a user edit: `version` and
   * `updated_*` stay as they are, so a neighbour's insert never invalidates your If-Match.
   */
  setLinks(id: number, links: ChainLinks): Promise<void> {
    return this.adjustCounters(id, {}, { ...links });
  }
}
