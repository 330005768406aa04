import { Injectable } from '@nestjs/common';
import { SelectQueryBuilder } from 'typeorm';
import { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { TimeZone } from '../common/analytics/time-zone';
import { datetimeOf } from '../database/columns';
import { TenantSettingsEntity, Weekday } from './tenant-settings.entity';
import { TenantTablesBase } from './tenant-tables';

/** The columns every read of the settings takes, under their property names. */
const COLUMNS = [
  'timeZone',
  'weekStart',
  'version',
  'createdAt',
  'updatedAt',
  'createdBy',
  'updatedBy',
  'daysTimeZone',
  'generation',
  'recomputeGeneration',
  'recomputedThroughLeadId',
  'recomputeStartedAt',
  'lastGeneration',
  'retiredAt',
] as const;

/** The days of a tenant that has set nothing (and of one not registered yet): UTC, weeks from Monday. */
export const DEFAULT_CALENDAR_SETTINGS = { timeZone: TimeZone.UTC_NAME, weekStart: 'monday' as Weekday };

/** A DATETIME as the driver returns it (a Date on MySQL, UTC text on SQLite). */
const toDate = (v: unknown): Date | null => (v === null || v === undefined ? null : datetimeOf(v as Date | string));
const toInt = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

/** A new tenant's settings: the days of a tenant that set nothing (UTC, weeks from Monday), written by `actor`. */
export const defaultSettings = (now: Date, actor: string): Omit<TenantSettingsEntity, 'tenantId'> => ({
  timeZone: DEFAULT_CALENDAR_SETTINGS.timeZone,
  weekStart: DEFAULT_CALENDAR_SETTINGS.weekStart,
  version: 1,
  createdAt: now,
  updatedAt: now,
  createdBy: actor,
  updatedBy: actor,
  daysTimeZone: DEFAULT_CALENDAR_SETTINGS.timeZone,
  generation: 0,
  recomputeGeneration: null,
  recomputedThroughLeadId: 0,
  recomputeStartedAt: null,
  lastGeneration: 0,
  retiredAt: null,
});

/** The tenant's settings row (tenant_settings), in the context's tenant. */
@Injectable()
export class TenantSettingsRepository extends TenantTablesBase {
  private select(): SelectQueryBuilder<TenantSettingsEntity> {
    const qb = this.tables.select(TenantSettingsEntity, 's');
    qb.select(COLUMNS.map((c) => `s.${c} AS "${c}"`));
    return qb;
  }

  /** The row, or null before the tenant's registration wrote it. */
  async find(): Promise<TenantSettingsEntity | null> {
    const [row] = await this.select().getRawMany();
    return row ? this.toEntity(row) : null;
  }

  /**
   * The row, holding a shared lock on it until the transaction ends (MySQL): every write that keeps
   * zoned rollups reads the settings this way, so a batch of a zone change (which takes the row's
   * write lock first) runs either wholly before such a write or wholly after it.
   */
  async findShared(): Promise<TenantSettingsEntity | null> {
    const [row] = await this.tables.rawShared<Record<string, unknown>>(this.select());
    return row ? this.toEntity(row) : null;
  }

  /** The row, after taking its write lock until the transaction ends (null when there is none). */
  async findForUpdate(): Promise<TenantSettingsEntity | null> {
    await this.tables.lock(TenantSettingsEntity, {}, true);
    return this.find();
  }

  /** Writes the row of a tenant being registered; false when it is there already. */
  insert(values: Omit<TenantSettingsEntity, 'tenantId'>): Promise<boolean> {
    return this.tables.insertIfAbsent(TenantSettingsEntity, values);
  }

  /** Sets `fields` (and version + 1 when `bumpVersion`) if the row is still at `version`: the rows changed (0 or 1). */
  async update(fields: QueryDeepPartialEntity<TenantSettingsEntity>, version: number, bumpVersion: boolean): Promise<number> {
    const set = bumpVersion ? { ...fields, version: () => 'version + 1' } : fields;
    const result = await this.tables.update(TenantSettingsEntity, set, 'version = :version', { version }).execute();
    return result.affected ?? 0;
  }

  private toEntity(r: Record<string, unknown>): TenantSettingsEntity {
    return Object.assign(new TenantSettingsEntity(), {
      tenantId: this.tables.principal().tenantId,
      timeZone: String(r.timeZone),
      weekStart: String(r.weekStart) as Weekday,
      version: Number(r.version),
      createdAt: toDate(r.createdAt)!,
      updatedAt: toDate(r.updatedAt)!,
      createdBy: String(r.createdBy),
      updatedBy: String(r.updatedBy),
      daysTimeZone: String(r.daysTimeZone),
      generation: Number(r.generation),
      recomputeGeneration: toInt(r.recomputeGeneration),
      recomputedThroughLeadId: Number(r.recomputedThroughLeadId),
      recomputeStartedAt: toDate(r.recomputeStartedAt),
      lastGeneration: Number(r.lastGeneration),
      retiredAt: toDate(r.retiredAt),
    });
  }
}
