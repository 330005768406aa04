import { Injectable } from '@nestjs/common';
import { groupBy } from '../../common/group-by';
import { inSlices } from '../../database/in-list';
import { TenantScopedRepository } from '../../tenancy/tenant-scoped.repository';
import { LeadTouchEntity } from './lead-touch.entity';

@Injectable()
export class LeadTouchRepository extends TenantScopedRepository<LeadTouchEntity> {
  protected readonly target = LeadTouchEntity;
  protected readonly alias = 't';

  insert(values: Partial<LeadTouchEntity>[]): Promise<LeadTouchEntity[]> {
    return this.insertMany(values);
  }

  /** A lead's touches in path order: occurred_at, then id. */
  ofLead(leadId: number): Promise<LeadTouchEntity[]> {
    return this.select().andWhere('t.leadId = :leadId', { leadId }).orderBy('t.occurredAt', 'ASC').addOrderBy('t.id', 'ASC').getMany();
  }

  /** The touches of these leads, by lead (each lead's in path order). */
  async ofLeads(leadIds: number[]): Promise<Map<number, LeadTouchEntity[]>> {
    const out = new Map<number, LeadTouchEntity[]>(leadIds.map((id) => [id, []]));
    for (const ids of inSlices([...new Set(leadIds)])) {
      const rows = await this.select().andWhere('t.leadId IN (:...ids)', { ids }).orderBy('t.occurredAt', 'ASC').addOrderBy('t.id', 'ASC').getMany();
      for (const r of rows) out.get(r.leadId)!.push(r);
    }
    return out;
  }

  /** The touches of the leads with ids in (afterId, throughId] (a zone change's batch), by lead. */
  async ofLeadRange(afterId: number, throughId: number): Promise<Map<number, LeadTouchEntity[]>> {
    const rows = await this.select()
      .andWhere('t.leadId > :afterId AND t.leadId <= :throughId', { afterId, throughId })
      .orderBy('t.leadId', 'ASC')
      .addOrderBy('t.occurredAt', 'ASC')
      .addOrderBy('t.id', 'ASC')
      .getMany();
    return groupBy(rows, (r) => r.leadId);
  }
}
