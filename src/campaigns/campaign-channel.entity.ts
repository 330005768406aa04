import { Column, Entity, Index } from 'typeorm';
import { decimalColumn, jsonColumn, timestampColumn } from '../database/columns';
import { IconConfigResourceEntity } from '../config-resource/config-resource.entity';

/** What the `integration_key_last4` column holds: four clusters of up to 16 code points each. */
export const LAST4_MAX_CODE_POINTS = 64;

/**
 * `tenant_campaign_channels`: where campaigns run (email, ads platforms…). The integration key is
 * write-only: only its sealed form (SecretBox, AES-256-GCM) and its last four characters are stored.
 */
@Entity('tenant_campaign_channels')
@Index('ux_campaign_channels__channel_code', ['tenantId', 'channelCode', 'live'], { unique: true })
export class CampaignChannelEntity extends IconConfigResourceEntity {
  @Column({ type: 'varchar', length: 50 })
  channelCode: string;

  @Column({ type: 'varchar', length: 100 })
  channelName: string;

  @Column({ type: 'boolean', default: false })
  isDefault: boolean;

  @Column(decimalColumn({ nullable: true }))
  averageCpl: number | null;

  @Column(decimalColumn({ nullable: true }))
  averageCpm: number | null;

  /** A percentage; may be negative (down to −100). */
  @Column(decimalColumn({ nullable: true }))
  averageRoi: number | null;

  /** `v1.<iv>.<tag>.<ciphertext>`; never leaves the service except through CampaignChannelsService.revealIntegrationKey. */
  @Column({ type: 'text', nullable: true })
  integrationKeySealed: string | null;

  /**
   * Last four characters of the key as a person counts them (lastGraphemes: an emoji is one), shown to
   * help recognise it (keys are at least 8 characters). Up to LAST4_MAX_CODE_POINTS code points.
   */
  @Column({ type: 'varchar', length: LAST4_MAX_CODE_POINTS, nullable: true })
  integrationKeyLast4: string | null;

  /** When the key was last set or removed (null while it never was): makes a rotation visible. */
  @Column(timestampColumn({ nullable: true }))
  integrationKeyUpdatedAt: Date | null;

  @Column(jsonColumn())
  integrationData: Record<string, unknown>;
}
