import { Column, Entity, PrimaryColumn } from 'typeorm';
import { dateColumn, idColumn } from '../database/columns';

/**
 * How far the SLA scan's pass of the day has come in a tenant: the day of the pass (in the tenant's time zone) and the last
 * lead id it has looked at (SLA_PASS_FINISHED once the pass went through every lead). Shared by every
 * instance, so that several scanners split a tenant's pass instead of each repeating it.
 */
@Entity('sla_scan_progress')
export class SlaScanProgressEntity {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  tenantId: string;

  @Column(dateColumn())
  day: string;

  @Column(idColumn())
  afterLeadId: number;
}
