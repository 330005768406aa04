import { Column, Entity, Index } from 'typeorm';
import { dateColumn, decimalColumn, idColumn } from '../database/columns';
import { TenantOwnedEntity } from '../tenancy/tenant-owned.entity';

/**
 * One entry of a subsource's cost history (API.md §3 "Subsource costs"): the cost_per_lead in force from
 * `validFrom` (a day of the tenant's zone; NULL: from the beginning) until the next entry's day. A day
 * has at most one entry per subsource: writing a day again replaces its cost (an update of the row).
 * Entries are never deleted, also not with their subsource (a restore finds its history as it was).
 */
@Entity('lead_subsource_costs')
@Index('ux_lead_subsource_costs__sub_source_id__valid_from', ['tenantId', 'subSourceId', 'validFrom'], { unique: true })
export class LeadSubsourceCostEntity extends TenantOwnedEntity {
  @Column(idColumn())
  subSourceId: number;

  @Column(dateColumn({ nullable: true }))
  validFrom: string | null;

  @Column(decimalColumn())
  costPerLead: number;
}
