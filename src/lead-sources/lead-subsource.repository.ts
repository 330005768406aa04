import { Injectable } from '@nestjs/common';
import { SelectQueryBuilder } from 'typeorm';
import { CodedRepository } from '../config-resource/coded.repository';
import { splitCents } from '../database/columns';
import { ReadOptions } from '../tenancy/tenant-scoped.repository';
import { LeadSourceEntity } from './lead-source.entity';
import { LeadSubsourceEntity } from './lead-subsource.entity';

/** Subsource codes are unique within their source: every method takes the source's id. */
@Injectable()
export class LeadSubsourceRepository extends CodedRepository<LeadSubsourceEntity> {
  protected readonly target = LeadSubsourceEntity;
  protected readonly alias = 'sub';
  protected readonly codeProperty = 'subSourceCode';
  protected override readonly parentProperty = 'sourceId';
  protected readonly nameProperty = 'subSourceName';

  /**
   * Every read carries its source (for `source_code`), even a deleted one: TypeORM's soft-delete
   * filter applies to the whole query, so it is switched off and the subsource's own filter restated.
   */
  protected override select(opts: ReadOptions = {}, alias = this.alias): SelectQueryBuilder<LeadSubsourceEntity> {
    const qb = this.joinScoped(super.select({ includeDeleted: true }, alias), LeadSourceEntity, 'parent', `parent.id = ${alias}.sourceId`, {
      mapTo: 'source',
    });
    return opts.includeDeleted ? qb : qb.andWhere(`${alias}.deletedAt IS NULL`);
  }

  /** Live subsources among the given sources and codes (a batch of leads resolves them at once). */
  findBySourcesAndCodes(sourceIds: number[], codes: string[]): Promise<LeadSubsourceEntity[]> {
    if (sourceIds.length === 0 || codes.length === 0) return Promise.resolve([]);
    return this.select().andWhere('sub.sourceId IN (:...sourceIds)', { sourceIds }).andWhere('sub.subSourceCode IN (:...codes)', { codes }).getMany();
  }

  /** Every subsource of these sources, deleted ones included (analytics report facts under their codes). */
  findAllOfSources(sourceIds: number[]): Promise<LeadSubsourceEntity[]> {
    if (sourceIds.length === 0) return Promise.resolve([]);
    return this.select({ includeDeleted: true }).andWhere('sub.sourceId IN (:...sourceIds)', { sourceIds }).getMany();
  }

  /** Subsources (deleted ones included) that have had a lead, by id. */
  findWithActivity(): Promise<LeadSubsourceEntity[]> {
    return this.select({ includeDeleted: true }).andWhere('sub.lastActivityAt IS NOT NULL').orderBy('sub.id', 'ASC').getMany();
  }

  /** Sets a subsource's last_activity_date (derived: its version stays). */
  setLastActivityDate(id: number, day: string | null): Promise<void> {
    return this.setDerived(id, { lastActivityDate: day } as Partial<LeadSubsourceEntity>);
  }

  /**
   * Adds lead counts and cost (cents) to a subsource; `latest` (the creation instant of the latest lead
   * written, and its day in the tenant's zone) raises last_activity_at and last_activity_date when later.
   */
  addLeadCounters(id: number, leads: number, converted: number, costCents: bigint, latest?: { at: Date; day: string }): Promise<void> {
    const sets: Record<string, unknown> = {};
    if (latest && /^\d{4}-\d{2}-\d{2}$/.test(latest.day)) {
      // Literals both engines compare as stored: DATETIME(3) on MySQL, the same text on SQLite.
      const at = latest.at.toISOString().replace('T', ' ').replace('Z', '');
      const later = `last_activity_at IS NULL OR last_activity_at < '${at}'`;
      // The date first: MySQL evaluates the assignments of an UPDATE in order, each seeing the ones before it.
      sets.lastActivityDate = () => `CASE WHEN ${later} THEN '${latest.day}' ELSE last_activity_date END`;
      sets.lastActivityAt = () => `CASE WHEN ${later} THEN '${at}' ELSE last_activity_at END`;
    }
    const [costHi, costLo] = splitCents(costCents);
    return this.adjustCounters(id, { leadsGenerated: leads, conversionCount: converted, totalCostHi: costHi, totalCostLo: costLo }, sets);
  }

  /** A source's subsources stamped with this `deletedAt` (what one delete of the source took with it), by id. */
  findBySourceDeletedAt(sourceId: number, deletedAt: Date): Promise<LeadSubsourceEntity[]> {
    return this.select({ includeDeleted: true })
      .andWhere('sub.sourceId = :sourceId', { sourceId })
      .andWhere('sub.deletedAt = :deletedAt', { deletedAt })
      .orderBy('sub.id', 'ASC')
      .getMany();
  }

  /**
   * Takes a live subsource's row lock for the rest of the transaction: a no-op UPDATE naming its whole
   * unique key (no gap lock). As a transaction's first statement, every read after it sees what the
   * previous holder committed (MySQL takes its REPEATABLE READ snapshot at the first plain read): two
   * writes of one day of its cost history queue, and the second finds the first's entry.
   */
  async lockByCode(code: string, sourceId: number): Promise<void> {
    await this.lockRows({ sourceId, subSourceCode: code, live: 1 }, { includeDeleted: true });
  }

  /** Live subsources by id, in id order. */
  findByIds(ids: number[]): Promise<LeadSubsourceEntity[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return this.select().andWhere('sub.id IN (:...ids)', { ids }).orderBy('sub.id', 'ASC').getMany();
  }

  softDeleteBySource(sourceId: number, deletedAt: Date): Promise<number> {
    return this.softDeleteWhere('source_id = :sourceId', { sourceId }, deletedAt);
  }

  restoreBySource(sourceId: number, deletedAt: Date): Promise<number> {
    return this.restoreWhere('source_id = :sourceId', { sourceId }, deletedAt);
  }
}
