import { Column, Entity, PrimaryColumn } from 'typeorm';
import { idColumn, timestampColumn } from '../database/columns';

export const WEEKDAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/**
 * A tenant's settings (one row per tenant, written when the tenant is registered) and the state of
 * its days: the zone its stored days are in and, while a change of zone is being applied, how far the
 * recomputation of its rollups has come (docs/time-zones.md).
 *
 * `timeZone` is what the admin asked for; `daysTimeZone` is the zone every answer uses. They differ
 * only while the rollups are recomputed into `recomputeGeneration`; the batch that finishes sets
 * `daysTimeZone` and `generation` together, so reads switch from the old days to the new ones at once.
 */
@Entity('tenant_settings')
export class TenantSettingsEntity {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  tenantId: string;

  @Column({ type: 'varchar', length: 64 })
  timeZone: string;

  @Column({ type: 'varchar', length: 9 })
  weekStart: Weekday;

  @Column({ type: 'int', default: 1 })
  version: number;

  @Column(timestampColumn())
  createdAt: Date;

  @Column(timestampColumn())
  updatedAt: Date;

  @Column({ type: 'varchar', length: 128 })
  createdBy: string;

  @Column({ type: 'varchar', length: 128 })
  updatedBy: string;

  /** The zone the stored days (rollups) are in, and that every answer uses. */
  @Column({ type: 'varchar', length: 64 })
  daysTimeZone: string;

  /** The rollup rows reads use (the `generation` key column of the zoned rollups). */
  @Column({ type: 'int', default: 0 })
  generation: number;

  /** While a zone change is applied: the rollup rows being built in `timeZone`; else null. */
  @Column({ type: 'int', nullable: true })
  recomputeGeneration: number | null;

  /** The leads (by id) whose facts are in `recomputeGeneration` already; writes keep those up to date in both. */
  @Column({ ...idColumn(), default: 0 })
  recomputedThroughLeadId: number;

  @Column(timestampColumn({ nullable: true }))
  recomputeStartedAt: Date | null;

  /** The highest generation ever used: a new one is always above it, never reusing rows not deleted yet. */
  @Column({ type: 'int', default: 0 })
  lastGeneration: number;

  /**
   * Since when rows of other generations than `generation` and `recomputeGeneration` (replaced by a
   * switch, or a recomputation given up) wait to be deleted; null when there are none. They are
   * deleted once no read can still be using them (a read takes its generation once, at its start).
   */
  @Column(timestampColumn({ nullable: true }))
  retiredAt: Date | null;
}
