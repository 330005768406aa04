import { Inject, Injectable } from '@nestjs/common';
import { ConfigResourceService } from '../config-resource/config-resource.service';
import { SecretBox } from '../common/crypto/secret-box';
import { AuditLogService } from '../tenancy/audit-log.service';
import { TenantContext } from '../tenancy/tenant-context';
import { lastGraphemes } from '../common/text/graphemes';
import { CampaignChannelEntity, LAST4_MAX_CODE_POINTS } from './campaign-channel.entity';
import { CampaignChannelRepository } from './campaign-channel.repository';
import { toCampaignChannelResponse } from './campaign.mapper';
import { CampaignChannelResponseDto } from './dto/campaign-channel.dto';

/** The SecretBox of this module, built from AppConfig.encryptionKey (see CampaignsModule). */
export const CAMPAIGN_SECRET_BOX = Symbol('CAMPAIGN_SECRET_BOX');

type WithKey = Partial<CampaignChannelEntity> & { integrationKey?: string | null };

@Injectable()
export class CampaignChannelsService extends ConfigResourceService<CampaignChannelEntity, CampaignChannelResponseDto> {
  constructor(
    channels: CampaignChannelRepository,
    audit: AuditLogService,
    tenancy: TenantContext,
    @Inject(CAMPAIGN_SECRET_BOX) private readonly box: SecretBox,
  ) {
    super(channels, audit, tenancy, {
      entityType: 'campaign_channel',
      label: 'campaign channel',
      codeField: 'channel_code',
      codeOf: (e) => e.channelCode,
      toResponse: toCampaignChannelResponse,
      createDefaults: { integrationData: {} },
    });
  }

  /** Sealed values are bound to their purpose and tenant: a ciphertext copied elsewhere does not open. */
  private context(): string {
    return `tenant_campaign_channels.integration_key:${this.tenancy.require().tenantId}`;
  }

  /**
   * The write-only key: the body's `integration_key` never reaches a column. A string is sealed
   * (AES-256-GCM, fresh IV) with its last four characters (as a person counts them) kept for display; null removes the key;
   * absent leaves it as it is. Setting a key, or removing one that is stored, stamps
   * `integrationKeyUpdatedAt`, so a rotation to a key with the same last four characters still shows
   * in the response and in the audit diff.
   */
  private sealKey(fields: WithKey, current: CampaignChannelEntity | null): void {
    if (!('integrationKey' in fields)) return;
    const key = fields.integrationKey;
    delete fields.integrationKey;
    fields.integrationKeySealed = key == null ? null : this.box.seal(key, this.context());
    fields.integrationKeyLast4 = key == null ? null : lastGraphemes(key, 4, LAST4_MAX_CODE_POINTS);
    if (key != null || (current?.integrationKeySealed ?? null) !== null) fields.integrationKeyUpdatedAt = new Date();
  }

  protected override async prepareCreate(fields: WithKey): Promise<void> {
    this.sealKey(fields, null);
  }

  protected override async prepareUpdate(fields: WithKey, current: CampaignChannelEntity): Promise<void> {
    this.sealKey(fields, current);
  }

  /**
   * The clear key, for the ERP services that call the ad platform (never for HTTP responses).
   * Null when the channel has none.
   */
  async revealIntegrationKey(code: string): Promise<string | null> {
    const channel = await this.get(code);
    return channel.integrationKeySealed === null ? null : this.box.open(channel.integrationKeySealed, this.context());
  }
}
