import { Injectable } from '@nestjs/common';
import { Transactional } from '../database/transactional';
import { ConfigResourceService } from '../config-resource/config-resource.service';
import { conflict, fieldInvalid, validationFailed } from '../common/errors/app-error';
import { AuditLogService } from '../tenancy/audit-log.service';
import { TenantContext } from '../tenancy/tenant-context';
import { statusConfigErrors } from './campaign-rules';
import { CampaignStatusEntity } from './campaign-status.entity';
import { CampaignStatusRepository } from './campaign-status.repository';
import { toCampaignStatusResponse } from './campaign.mapper';
import { CampaignStatusResponseDto } from './dto/campaign-status.dto';

const KEEP_INITIAL = 'a tenant always has one active initial status: make another status initial first';

/**
 * Campaign statuses: the shared configuration rules plus the workflow's own. Exactly one live initial
 * status per tenant: promoting one takes the tenant lock first (promotions queue; docs/concurrency.md)
 * and clears the previous one in the same transaction (audited as an update of that row), and the
 * initial status cannot be unset, deactivated or deleted directly (409).
 */
@Injectable()
export class CampaignStatusesService extends ConfigResourceService<CampaignStatusEntity, CampaignStatusResponseDto> {
  constructor(
    private readonly statuses: CampaignStatusRepository,
    audit: AuditLogService,
    tenancy: TenantContext,
  ) {
    super(statuses, audit, tenancy, {
      entityType: 'campaign_status',
      label: 'campaign status',
      codeField: 'status_code',
      codeOf: (e) => e.statusCode,
      toResponse: toCampaignStatusResponse,
      createDefaults: { allowedTransitions: [] },
    });
  }

  @Transactional()
  override async create(dto: { is_initial?: boolean }): Promise<CampaignStatusEntity> {
    if (dto.is_initial === true) await this.registry.lockCurrentTenant();
    const created = await super.create(dto);
    if (created.isInitial) await this.clearOtherInitials(created);
    return created;
  }

  @Transactional()
  override async update(code: string, dto: { is_initial?: boolean }, ifMatch?: number): Promise<CampaignStatusEntity> {
    if (dto.is_initial === true) await this.registry.lockCurrentTenant();
    const updated = await super.update(code, dto, ifMatch);
    if (updated.isInitial) await this.clearOtherInitials(updated);
    return updated;
  }

  @Transactional()
  override async setActive(code: string, active: boolean): Promise<CampaignStatusEntity> {
    if (!active && (await this.getForWrite(code)).isInitial) throw conflict(`${code} is the initial status; ${KEEP_INITIAL}`);
    return super.setActive(code, active);
  }

  @Transactional()
  override async remove(code: string, ifMatch?: number): Promise<void> {
    if ((await this.getForWrite(code)).isInitial) throw conflict(`${code} is the initial status; ${KEEP_INITIAL}`);
    return super.remove(code, ifMatch);
  }

  /** The previous initial status stops being initial: its row locked first, its update audited. */
  private async clearOtherInitials(keep: CampaignStatusEntity): Promise<void> {
    for (const other of await this.statuses.findOtherInitials(keep.id)) {
      await this.applyUpdate(await this.getForWrite(other.statusCode), { isInitial: false }, 'update');
    }
  }

  protected override async validate(next: CampaignStatusEntity, previous: CampaignStatusEntity | null): Promise<void> {
    const rule = {
      statusCode: next.statusCode,
      isInitial: next.isInitial ?? false,
      isFinal: next.isFinal ?? false,
      isActive: next.isActive ?? true,
      allowedTransitions: next.allowedTransitions ?? [],
    };
    if (previous?.isInitial && (!rule.isInitial || !rule.isActive)) throw conflict(`${previous.statusCode} is the initial status; ${KEEP_INITIAL}`);
    const errors = statusConfigErrors(rule);
    if (errors.length > 0) throw validationFailed(errors, errors.map((e) => e.message).join('; '));
    // Only codes this write adds must name live statuses; codes the row already holds may stay after
    // their status was deleted (a campaign cannot move to them: /transition wants a live target).
    const held = new Set(previous?.allowedTransitions ?? []);
    const targets = [...new Set(rule.allowedTransitions.filter((c) => !held.has(c)))];
    if (targets.length > 0) {
      const known = new Set((await this.statuses.findByCodes(targets)).map((s) => s.statusCode));
      const unknown = targets.filter((c) => !known.has(c));
      if (unknown.length > 0) throw fieldInvalid('allowed_transitions', `no campaign status ${unknown.join(', ')} in this tenant`);
    }
  }
}
