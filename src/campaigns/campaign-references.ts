import { Injectable } from '@nestjs/common';
import { FieldError, validationFailed } from '../common/errors/app-error';
import { CampaignBudgetTypeEntity } from './campaign-budget-type.entity';
import { CampaignBudgetTypeRepository } from './campaign-budget-type.repository';
import { CampaignChannelEntity } from './campaign-channel.entity';
import { CampaignChannelRepository } from './campaign-channel.repository';
import { CampaignStatusEntity } from './campaign-status.entity';
import { CampaignStatusRepository } from './campaign-status.repository';
import { CampaignTypeEntity } from './campaign-type.entity';
import { CampaignTypeRepository } from './campaign-type.repository';

/**
 * Resolves the configuration codes a request names (types, statuses, budget types, channels) to rows
 * of the tenant. A new reference must name a live, active row; a reference the row already holds
 * (`keepId`) may stay even if that row was deactivated since. Every bad code of a request is
 * collected, then reported at once as a 400 naming each field.
 */
export class ReferenceErrors {
  readonly errors: FieldError[] = [];

  /** `rename` maps a field to the name the caller knows it by (e.g. a template's field at instantiate). */
  constructor(private readonly rename: (field: string) => string = (field) => field) {}

  add(field: string, message: string): void {
    this.errors.push({ field: this.rename(field), message });
  }

  throwIfAny(): void {
    if (this.errors.length > 0) throw validationFailed(this.errors, this.errors.map((e) => `${e.field}: ${e.message}`).join('; '));
  }
}

interface ConfigRow {
  id: number;
  isActive: boolean;
}

@Injectable()
export class CampaignReferences {
  constructor(
    private readonly types: CampaignTypeRepository,
    private readonly statuses: CampaignStatusRepository,
    private readonly budgetTypes: CampaignBudgetTypeRepository,
    private readonly channels: CampaignChannelRepository,
  ) {}

  private check<E extends ConfigRow>(row: E | null, what: string, code: string, field: string, errs: ReferenceErrors, keepId?: number): E | undefined {
    if (!row) errs.add(field, `no ${what} ${code} in this tenant`);
    else if (!row.isActive && row.id !== keepId) errs.add(field, `${what} ${code} is inactive`);
    else return row;
    return undefined;
  }

  async type(code: string, field: string, errs: ReferenceErrors, keepId?: number): Promise<CampaignTypeEntity | undefined> {
    return this.check(await this.types.findByCode(code), 'campaign type', code, field, errs, keepId);
  }

  async status(code: string, field: string, errs: ReferenceErrors, keepId?: number): Promise<CampaignStatusEntity | undefined> {
    return this.check(await this.statuses.findByCode(code), 'campaign status', code, field, errs, keepId);
  }

  async budgetType(code: string, field: string, errs: ReferenceErrors, keepId?: number): Promise<CampaignBudgetTypeEntity | undefined> {
    return this.check(await this.budgetTypes.findByCode(code), 'campaign budget type', code, field, errs, keepId);
  }

  /** Channels by code, in the order given; `fieldOf(i)` names the i-th code's field in errors; `keep` spares held rows the active check. */
  async channelList(
    codes: string[],
    fieldOf: (i: number) => string,
    errs: ReferenceErrors,
    keep: (row: CampaignChannelEntity) => boolean = () => false,
  ): Promise<(CampaignChannelEntity | undefined)[]> {
    const found = new Map((await this.channels.findByCodes(codes)).map((c) => [c.channelCode, c]));
    return codes.map((code, i) => {
      const row = found.get(code) ?? null;
      return this.check(row, 'campaign channel', code, fieldOf(i), errs, row && keep(row) ? row.id : undefined);
    });
  }

  findInitialStatus(): Promise<CampaignStatusEntity | null> {
    return this.statuses.findInitial();
  }
}
