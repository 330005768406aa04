import { Column, Entity, Index } from 'typeorm';
import { decimalColumn, idColumn, timestampColumn } from '../database/columns';
import { TenantOwnedEntity } from '../tenancy/tenant-owned.entity';

export const LEAD_STATUSES = ['new', 'contacted', 'qualified', 'negotiation', 'converted', 'lost'] as const;
export type LeadStatus = (typeof LEAD_STATUSES)[number];

/**
 * A lead: the fact the lead-source analytics count. `createdAt` is the business creation time (it may
 * be back-filled on create); references are ids of the tenant's rows (codes in the API).
 */
@Entity('leads')
@Index('ux_leads__lead_code', ['tenantId', 'leadCode', 'live'], { unique: true })
@Index('ix_leads__created_at__id', ['tenantId', 'createdAt', 'id'])
@Index('ix_leads__source_id__created_at', ['tenantId', 'sourceId', 'createdAt'])
@Index('ix_leads__campaign_id', ['tenantId', 'campaignId'])
export class LeadEntity extends TenantOwnedEntity {
  @Column({ type: 'varchar', length: 100, nullable: true })
  leadCode: string | null;

  @Column(idColumn())
  sourceId: number;

  @Column(idColumn({ nullable: true }))
  subSourceId: number | null;

  @Column(idColumn({ nullable: true }))
  channelId: number | null;

  @Column(idColumn({ nullable: true }))
  campaignId: number | null;

  @Column({ type: 'varchar', length: 16 })
  status: LeadStatus;

  @Column(decimalColumn({ default: 0 }))
  expectedValue: number;

  @Column(decimalColumn({ nullable: true }))
  convertedValue: number | null;

  @Column(decimalColumn({ default: 0 }))
  acquisitionCost: number;

  @Column(timestampColumn({ nullable: true }))
  contactedAt: Date | null;

  @Column(timestampColumn({ nullable: true }))
  qualifiedAt: Date | null;

  @Column(timestampColumn({ nullable: true }))
  convertedAt: Date | null;

  @Column(timestampColumn({ nullable: true }))
  lostAt: Date | null;
}
