import { Column, Entity, Index } from 'typeorm';
import { idColumn, timestampColumn } from '../../database/columns';
import { TenantOwnedEntity } from '../../tenancy/tenant-owned.entity';

/** The parameters a touch records, as the API names them (each optional, bounded: dto/touch.dto.ts). */
export const TOUCH_TEXT_FIELDS = ['utm_source', 'utm_medium', 'utm_campaign', 'utm_content', 'utm_term', 'gclid', 'fbclid', 'msclkid'] as const;
export const TOUCH_URL_FIELDS = ['referrer', 'landing_page'] as const;

/**
 * One visit that brought a lead, or brought it back (docs/attribution.md): its UTM parameters, click
 * ids and URLs as received, and where it was attributed when it was recorded (the attribution rule that
 * matched, and the rows it resolved to). Touches are facts: never edited.
 *
 * The origin touch is the one given with the lead's creation. Its credit always goes to the lead's own
 * source, subsource and campaign (so the lead's codes, corrected or not, are its first point); the
 * campaign channel, which leads do not have, comes from the rule that matched it.
 */
@Entity('lead_touches')
@Index('ix_lead_touches__lead_id__occurred_at', ['tenantId', 'leadId', 'occurredAt'])
export class LeadTouchEntity extends TenantOwnedEntity {
  @Column(idColumn())
  leadId: number;

  @Column({ type: 'boolean', default: false })
  isOrigin: boolean;

  @Column(timestampColumn())
  occurredAt: Date;

  @Column({ type: 'varchar', length: 255, nullable: true })
  utmSource: string | null;

  @Column({ type: 'varchar', length: 255, nullable: true })
  utmMedium: string | null;

  @Column({ type: 'varchar', length: 255, nullable: true })
  utmCampaign: string | null;

  @Column({ type: 'varchar', length: 255, nullable: true })
  utmContent: string | null;

  @Column({ type: 'varchar', length: 255, nullable: true })
  utmTerm: string | null;

  @Column({ type: 'varchar', length: 255, nullable: true })
  gclid: string | null;

  @Column({ type: 'varchar', length: 255, nullable: true })
  fbclid: string | null;

  @Column({ type: 'varchar', length: 255, nullable: true })
  msclkid: string | null;

  @Column({ type: 'varchar', length: 2048, nullable: true })
  referrer: string | null;

  @Column({ type: 'varchar', length: 2048, nullable: true })
  landingPage: string | null;

  /** The attribution rule that matched (null: none, the touch went to UNMAPPED or its lead named its codes). */
  @Column(idColumn({ nullable: true }))
  ruleId: number | null;

  @Column(idColumn({ nullable: true }))
  sourceId: number | null;

  @Column(idColumn({ nullable: true }))
  subSourceId: number | null;

  @Column(idColumn({ nullable: true }))
  channelId: number | null;

  @Column(idColumn({ nullable: true }))
  campaignId: number | null;

  @Column(idColumn({ nullable: true }))
  campaignChannelId: number | null;
}
