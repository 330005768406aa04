import { Injectable } from '@nestjs/common';
import { inSlices } from '../database/in-list';
import { TenantScopedRepository } from '../tenancy/tenant-scoped.repository';
import { LeadSubsourceCostEntity } from './lead-subsource-cost.entity';

/** Subsource cost history entries (LeadSubsourceCostEntity). */
@Injectable()
export class LeadSubsourceCostRepository extends TenantScopedRepository<LeadSubsourceCostEntity> {
  protected readonly target = LeadSubsourceCostEntity;
  protected readonly alias = 'cost';

  /** Every entry of these subsources, each subsource's by valid_from (from the beginning first): one read per IN_LIST_MAX subsources. */
  async ofSubsources(subSourceIds: number[]): Promise<LeadSubsourceCostEntity[]> {
    const rows: LeadSubsourceCostEntity[] = [];
    for (const ids of inSlices([...new Set(subSourceIds)])) {
      rows.push(...(await this.select().andWhere('cost.subSourceId IN (:...ids)', { ids }).getMany()));
    }
    // In JavaScript: both engines put NULL first in ascending order, but the rule is ours, not theirs.
    return rows.sort((a, b) => a.subSourceId - b.subSourceId || compareValidFrom(a.validFrom, b.validFrom));
  }

  insert(values: Pick<LeadSubsourceCostEntity, 'subSourceId' | 'validFrom' | 'costPerLead'>): Promise<LeadSubsourceCostEntity> {
    return this.insertOne(values);
  }

  /** Replaces an entry's cost (a new version of the entry, stamped with the actor). */
  async setCost(id: number, costPerLead: number): Promise<void> {
    await this.updateLive(id, { costPerLead });
  }

  async findById(id: number): Promise<LeadSubsourceCostEntity | null> {
    return this.select().andWhere('cost.id = :id', { id }).getOne();
  }
}

/** valid_from order: NULL (from the beginning) before every day; days as text (YYYY-MM-DD sorts as dates). */
export function compareValidFrom(a: string | null, b: string | null): number {
  if (a === b) return 0;
  if (a === null) return -1;
  if (b === null) return 1;
  return a < b ? -1 : 1;
}
