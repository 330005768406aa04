import { Injectable } from '@nestjs/common';
import { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { inSlices } from '../database/in-list';
import { LeadEntity, LeadStatus } from '../lead-sources/lead.entity';
import { ReadOptions, TenantScopedRepository } from '../tenancy/tenant-scoped.repository';
import { LeadMilestoneEntity } from './lead-milestone.entity';
import { ChainLinks, ChainMilestone } from './milestone-chain';

/** What the chain and the rollups need of a milestone (what every write reads twice). */
const CHAIN_COLUMNS: (keyof ChainMilestone)[] = [
  'id',
  'milestoneTypeId',
  'typeCode',
  'achievedDate',
  'achievedTime',
  'status',
  'followUpRequired',
  'daysFromPrevious',
  'previousTypeId',
  'pairPreviousDate',
];

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
    return this.select()
      .select(CHAIN_COLUMNS.map((c) => `lm.${c}`))
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
    return this.setDerived(id, { ...links });
  }

  /**
   * Bulk import: locks the live leads among `leadIds` for the rest of the transaction (like
   * LeadsService.getForUpdate, in one statement: an UPDATE that changes nothing still takes each
   * row's lock on MySQL; SQLite write transactions already run one at a time) and answers when each
   * was created. Leads that are not the tenant's, or deleted, are absent from the answer.
   */
  async lockLeadsCreatedAt(leadIds: number[]): Promise<Map<number, Date>> {
    const created = new Map<number, Date>();
    const ids = [...new Set(leadIds)].sort((a, b) => a - b);
    // By primary key, whose statistics are exact: slices larger than IN_LIST_MAX still use the key.
    for (const part of inSlices(ids, 500)) {
      await this.lockRows({ id: part }, { of: LeadEntity });
      const rows = await this.selectOf(LeadEntity, 'l').select(['l.id', 'l.createdAt']).andWhere('l.id IN (:...part)', { part }).getMany();
      for (const r of rows) created.set(r.id, r.createdAt);
    }
    return created;
  }

  /**
   * The live milestones of the live leads with ids in (afterId, throughId], with their lead's
   * creation instant: what a zone change's batch recomputes the daily rollup from.
   */
  async findChainFactsOfLeadRange(afterId: number, throughId: number): Promise<(ChainMilestone & { leadId: number; leadCreatedAt: Date })[]> {
    const qb = this.select()
      .select([...CHAIN_COLUMNS, 'leadId'].map((c) => `lm.${c}`))
      .andWhere('lm.leadId > :afterId AND lm.leadId <= :throughId', { afterId, throughId });
    const rows = await this.joinScoped(qb, LeadEntity, 'l', 'l.id = lm.leadId AND l.deletedAt IS NULL', { mapTo: 'lead', inner: true }).getMany();
    return rows.map((r) => Object.assign(r, { leadCreatedAt: (r as unknown as { lead: LeadEntity }).lead.createdAt }));
  }

  /**
   * Ids of live leads whose status is not one of `exceptStatuses`, above `afterId`, in id order, at
   * most `limit` (the SLA scan walks a tenant's leads in such batches): a range of the leads' primary
   * key (tenant_id, id), so each batch costs what it returns.
   */
  async findLiveLeadIdsAfter(afterId: number, limit: number, exceptStatuses: readonly LeadStatus[]): Promise<number[]> {
    const qb = this.selectOf(LeadEntity, 'l').select('l.id', 'id').andWhere('l.id > :afterId', { afterId }).orderBy('l.id', 'ASC').limit(limit);
    if (exceptStatuses.length > 0) qb.andWhere('l.status NOT IN (:...exceptStatuses)', { exceptStatuses });
    return (await qb.getRawMany<{ id: number | string }>()).map((r) => Number(r.id));
  }

  /** The live chains of many leads (chain facts with their lead), for bulk imports and the SLA scan. */
  async findChainFactsOfLeads(leadIds: number[]): Promise<Map<number, ChainMilestone[]>> {
    const chains = new Map<number, ChainMilestone[]>();
    const ids = [...new Set(leadIds)];
    for (const slice of inSlices(ids)) {
      const rows = await this.select()
        .select([...CHAIN_COLUMNS, 'leadId'].map((c) => `lm.${c}`))
        .andWhere('lm.leadId IN (:...slice)', { slice })
        .getMany();
      for (const r of rows) chains.set(r.leadId, [...(chains.get(r.leadId) ?? []), r]);
    }
    return chains;
  }

  /** Multi-row insert, ids written back in the order given (consecutive within each statement). */
  insertAll(values: Partial<LeadMilestoneEntity>[]): Promise<LeadMilestoneEntity[]> {
    return this.insertMany(values);
  }
}
