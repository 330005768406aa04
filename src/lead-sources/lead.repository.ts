import { Injectable } from '@nestjs/common';
import { SelectQueryBuilder } from 'typeorm';
import { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { inSlices } from '../database/in-list';
import { TenantScopedRepository } from '../tenancy/tenant-scoped.repository';
import { LeadChannelEntity } from './lead-channel.entity';
import { LeadEntity, LeadStatus } from './lead.entity';
import { LeadSourceEntity } from './lead-source.entity';
import { LeadSubsourceEntity } from './lead-subsource.entity';

/** A lead with the codes of what it points at (those rows may be soft-deleted: facts keep their codes). */
export interface LeadWithRefs extends LeadEntity {
  source?: LeadSourceEntity;
  subSource?: LeadSubsourceEntity | null;
  channel?: LeadChannelEntity | null;
}

export interface LeadFilter {
  /** The live lead with this code (as the unique key compares codes). */
  leadCode?: string;
  /** Codes match the referenced rows whether live or deleted (a reused code covers both). */
  sourceCode?: string;
  subSourceCode?: string;
  channelCode?: string;
  /** The campaigns that have had the filtered code (the campaigns module resolves it). */
  campaignIds?: number[];
  status?: LeadStatus;
  createdFrom?: Date;
  createdTo?: Date;
}

@Injectable()
export class LeadRepository extends TenantScopedRepository<LeadEntity> {
  protected readonly target = LeadEntity;
  protected readonly alias = 'lead';

  /** Live leads with their references joined (deleted references included, tenant-scoped). */
  private withRefs(): SelectQueryBuilder<LeadWithRefs> {
    let qb = this.select({ includeDeleted: true }).andWhere('lead.deletedAt IS NULL');
    qb = this.joinScoped(qb, LeadSourceEntity, 'src', 'src.id = lead.sourceId', { mapTo: 'source' });
    qb = this.joinScoped(qb, LeadSubsourceEntity, 'sub', 'sub.id = lead.subSourceId', { mapTo: 'subSource' });
    qb = this.joinScoped(qb, LeadChannelEntity, 'chan', 'chan.id = lead.channelId', { mapTo: 'channel' });
    return qb as SelectQueryBuilder<LeadWithRefs>;
  }

  findById(id: number): Promise<LeadWithRefs | null> {
    return this.withRefs().andWhere('lead.id = :id', { id }).getOne();
  }

  findByIds(ids: number[]): Promise<LeadWithRefs[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return this.withRefs().andWhere('lead.id IN (:...ids)', { ids }).getMany();
  }

  /**
   * The live leads holding one of `codes` (for uniqueness checks of a batch), compared exactly, as the
   * unique key compares them on both engines (binary collation on MySQL/MariaDB).
   */
  async existingCodes(codes: string[], exceptId?: number): Promise<{ code: string; id: number }[]> {
    const found: { code: string; id: number }[] = [];
    for (const slice of inSlices(codes)) {
      const qb = this.select().select('lead.leadCode', 'code').addSelect('lead.id', 'id').andWhere('lead.leadCode IN (:...slice)', { slice });
      if (exceptId !== undefined) qb.andWhere('lead.id <> :exceptId', { exceptId });
      found.push(...(await qb.getRawMany<{ code: string; id: number | string }>()).map((r) => ({ code: r.code, id: Number(r.id) })));
    }
    return found;
  }

  /** Newest first. */
  list(filter: LeadFilter, page: { limit: number; offset: number }): Promise<[LeadWithRefs[], number]> {
    const qb = this.withRefs();
    if (filter.leadCode !== undefined) qb.andWhere('lead.leadCode = :leadCode', { leadCode: filter.leadCode });
    if (filter.sourceCode !== undefined) qb.andWhere('src.sourceCode = :sourceCode', { sourceCode: filter.sourceCode });
    if (filter.subSourceCode !== undefined) qb.andWhere('sub.subSourceCode = :subSourceCode', { subSourceCode: filter.subSourceCode });
    if (filter.channelCode !== undefined) qb.andWhere('chan.channelCode = :channelCode', { channelCode: filter.channelCode });
    if (filter.campaignIds !== undefined) qb.andWhere('lead.campaignId IN (:...campaignIds)', { campaignIds: filter.campaignIds });
    if (filter.status) qb.andWhere('lead.status = :status', { status: filter.status });
    if (filter.createdFrom) qb.andWhere('lead.createdAt >= :from', { from: filter.createdFrom });
    if (filter.createdTo) qb.andWhere('lead.createdAt < :to', { to: filter.createdTo });
    return qb.orderBy('lead.createdAt', 'DESC').addOrderBy('lead.id', 'DESC').offset(page.offset).limit(page.limit).getManyAndCount();
  }

  insert(values: Partial<LeadEntity>[]): Promise<LeadEntity[]> {
    return this.insertMany(values);
  }

  update(id: number, changes: QueryDeepPartialEntity<LeadEntity>, ifVersion: number): Promise<number> {
    return this.updateLive(id, changes, ifVersion);
  }

  softDelete(id: number, ifVersion: number, deletedAt: Date): Promise<number> {
    return this.softDeleteWhere('id = :id', { id }, deletedAt, ifVersion);
  }

  /** The live lead's own columns (no references), locked until the transaction ends: one statement. */
  lockById(id: number): Promise<LeadEntity | null> {
    return this.lockLive(id);
  }

  /**
   * The highest of the next `limit` lead ids after `afterId` (deleted leads included), or null when
   * there is none: where a batch of a zone change ends. A range of the primary key (tenant_id, id).
   */
  async batchEndAfter(afterId: number, limit: number): Promise<number | null> {
    const rows = await this.select({ includeDeleted: true })
      .select('lead.id', 'id')
      .andWhere('lead.id > :afterId', { afterId })
      .orderBy('lead.id', 'ASC')
      .limit(limit)
      .getRawMany<{ id: number | string }>();
    return rows.length === 0 ? null : Number(rows[rows.length - 1].id);
  }

  /** The live leads with ids in (afterId, throughId], their own columns only. */
  findLiveInRange(afterId: number, throughId: number): Promise<LeadEntity[]> {
    return this.select().andWhere('lead.id > :afterId AND lead.id <= :throughId', { afterId, throughId }).getMany();
  }

  /**
   * Takes the lead row's write lock until the transaction ends, live or deleted, with a no-op UPDATE
   * (MySQL locks the matched row; SQLite runs one write transaction at a time anyway). Nothing visible changes.
   */
  lockRow(id: number): Promise<void> {
    return this.lockRows({ id }, { includeDeleted: true });
  }

  /** lockRow for several leads at once (one statement: the rows are locked in key order). */
  lockRowsOf(ids: number[]): Promise<void> {
    return ids.length === 0 ? Promise.resolve() : this.lockRows({ id: ids }, { includeDeleted: true });
  }
}
