import { Injectable } from '@nestjs/common';
import { changedMeanwhile } from '../common/errors/app-error';
import { assertVersion } from '../common/http/etag';
import { validateInput } from '../common/validation/validate-input';
import { AfterCommit } from '../database/transaction-hooks';
import { Transactional } from '../database/transactional';
import { AuditLogService } from './audit-log.service';
import { TenantContext } from './tenant-context';
import { SYSTEM_ACTOR } from './tenant-registry';
import { TenantSettingsEntity } from './tenant-settings.entity';
import { SETTINGS_AUDIT_KEY, SETTINGS_AUDIT_TYPE, TenantSettingsResponseDto, toSettingsResponse, UpdateTenantSettingsDto } from './tenant-settings.dto';
import { defaultSettings, TenantSettingsRepository } from './tenant-settings.repository';
import { ZoneRecompute } from './zone-recompute';

/**
 * The tenant's settings (`/settings`; docs/time-zones.md): every role reads them, an admin changes
 * them, versioned (If-Match) and audited like every resource. A new time zone is applied in the
 * background (ZoneRecompute): the answer of the change shows it in time_zone at once, and in
 * days_time_zone once every stored day is recomputed.
 *
 * For hosts (validate-input.ts): inside TenantScope.run, `get()` and `update(body, ifMatch?)` answer
 * what the routes answer.
 */
@Injectable()
export class TenantSettingsService {
  constructor(
    private readonly settings: TenantSettingsRepository,
    private readonly audit: AuditLogService,
    private readonly tenancy: TenantContext,
    private readonly afterCommit: AfterCommit,
    private readonly recompute: ZoneRecompute,
  ) {}

  @Transactional()
  async get(): Promise<TenantSettingsResponseDto> {
    return toSettingsResponse((await this.settings.find()) ?? (await this.create()));
  }

  /**
   * Changes time_zone and/or week_start. A new week_start applies at once (weeks are grouped when
   * read). A new time_zone starts (or restarts) the recomputation of the stored days in it; going
   * back to the zone answers use gives up the recomputation under way. 412 when `ifMatch` is stale.
   */
  @Transactional()
  async update(body: unknown, ifMatch?: number): Promise<TenantSettingsResponseDto> {
    const dto = validateInput(UpdateTenantSettingsDto, body);
    const current = (await this.settings.findForUpdate()) ?? (await this.create(true));
    assertVersion(current, ifMatch);
    const now = new Date();
    const fields: Partial<TenantSettingsEntity> = { updatedAt: now, updatedBy: this.tenancy.require().userId };
    if (dto.week_start !== undefined) fields.weekStart = dto.week_start;
    const timeZone = dto.time_zone ?? current.timeZone;
    if (timeZone !== current.timeZone) {
      fields.timeZone = timeZone;
      // Rows of a recomputation given up (or replaced by a new one) wait for deletion with the others.
      if (current.recomputeGeneration !== null) fields.retiredAt = current.retiredAt ?? now;
      if (timeZone === current.daysTimeZone) {
        Object.assign(fields, { recomputeGeneration: null, recomputedThroughLeadId: 0, recomputeStartedAt: null });
      } else {
        const generation = current.lastGeneration + 1;
        Object.assign(fields, { recomputeGeneration: generation, lastGeneration: generation, recomputedThroughLeadId: 0, recomputeStartedAt: now });
      }
    }
    if ((await this.settings.update(fields, current.version, true)) === 0) throw changedMeanwhile('settings');
    const next = Object.assign(new TenantSettingsEntity(), current, fields, { version: current.version + 1 });
    await this.audit.record('update', SETTINGS_AUDIT_TYPE, SETTINGS_AUDIT_KEY, toSettingsResponse(current), toSettingsResponse(next));
    if (next.recomputeGeneration !== null && next.recomputeGeneration !== current.recomputeGeneration) {
      const { tenantId } = this.tenancy.require();
      this.afterCommit.run(() => this.recompute.kick(tenantId));
    }
    return toSettingsResponse(next);
  }

  /** The row of a tenant registered before the row existed (a host's own registration): the defaults. */
  private async create(lock = false): Promise<TenantSettingsEntity> {
    await this.settings.insert(defaultSettings(new Date(), SYSTEM_ACTOR));
    return (lock ? await this.settings.findForUpdate() : await this.settings.find())!;
  }
}
